import { useState } from 'react';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import { staffApi } from '../../../services/staff';
import { useAction } from '../../../hooks/use-action';
import '../counter.css';

export default function StaffLogin() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // The password comes with the call: Enter in its field sends what the field holds at that moment.
  const signIn = useAction(
    async (pw: string) => {
      if (!username.trim() || !pw) return;
      await staffApi.signIn(username.trim(), pw);
      await Taro.redirectTo({ url: '/subpackages/counter/counter/index' });
    },
    // Signing in, UNAUTHENTICATED means the credentials were wrong, not that a session lapsed.
    { texts: { UNAUTHENTICATED: '用户名或密码错误' } },
  );

  return (
    <View className='page counter-page'>
      <View className='panel'>
        <View className='panel-title'>门店收银台</View>
        <View className='field'>
          <Input className='staff-username' placeholder='员工账号' value={username} onChange={setUsername} />
        </View>
        <View className='field'>
          <Input
            className='staff-password'
            type='password'
            placeholder='密码'
            confirmType='go'
            value={password}
            onChange={setPassword}
            onConfirm={(e) => void signIn.run(e.detail.value)}
          />
        </View>
        {signIn.error ? (
          <View className='form-error' data-testid='login-error'>
            {signIn.error}
          </View>
        ) : null}
        <Button
          className='wide'
          data-testid='staff-login'
          type='primary'
          block
          loading={signIn.busy}
          disabled={!username || !password}
          onClick={() => void signIn.run(password)}
        >
          登录
        </Button>
      </View>
    </View>
  );
}

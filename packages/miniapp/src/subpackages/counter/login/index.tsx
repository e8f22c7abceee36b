import { useState } from 'react';
import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import { staffApi } from '../../../services/staff';
import { entryOf } from '../../../services/labels';
import { useAction } from '../../../hooks/use-action';
import '../counter.css';

/** Where a sign-in goes next: the counter, or the operator area when it sent the user here. */
const NEXT: Record<string, string> = { operator: '/subpackages/operator/dashboard/index' };
const COUNTER = '/subpackages/counter/counter/index';

export default function StaffLogin() {
  const next = entryOf(NEXT, useRouter().params.next ?? '') ?? COUNTER;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // The password comes with the call: Enter in its field sends what the field holds at that moment.
  const signIn = useAction(
    async (pw: string) => {
      if (!username.trim() || !pw) return;
      await staffApi.signIn(username.trim(), pw);
      await Taro.redirectTo({ url: next });
    },
    // Signing in, UNAUTHENTICATED means the credentials were wrong, not that a session lapsed.
    { texts: { UNAUTHENTICATED: '用户名或密码错误' } },
  );

  return (
    <View className='page counter-page'>
      <View className='panel'>
        <View className='panel-title'>{next === COUNTER ? '门店收银台' : '运营后台'}</View>
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

import { useState } from 'react';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import { staffApi } from '../../../services/staff';
import { errorText } from '../../../services/error-text';
import '../counter.css';

export default function StaffLogin() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    if (!username || !password || busy) return;
    setBusy(true);
    setError(null);
    try {
      await staffApi.signIn(username.trim(), password);
      await Taro.redirectTo({ url: '/subpackages/counter/counter/index' });
    } catch (e) {
      // Signing in, UNAUTHENTICATED means the credentials were wrong, not that a session lapsed.
      setError(errorText(e, { UNAUTHENTICATED: '用户名或密码错误' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page counter-page'>
      <View className='panel'>
        <View className='panel-title'>门店收银台</View>
        <View className='field'>
          <Input className='staff-username' placeholder='员工账号' value={username} onChange={setUsername} />
        </View>
        <View className='field'>
          <Input className='staff-password' type='password' placeholder='密码' value={password} onChange={setPassword} />
        </View>
        {error ? <View className='form-error' data-testid='login-error'>{error}</View> : null}
        <Button className='wide' data-testid='staff-login' type='primary' block loading={busy} disabled={!username || !password} onClick={submit}>
          登录
        </Button>
      </View>
    </View>
  );
}

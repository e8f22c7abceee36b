import Taro from '@tarojs/taro';
import type { LoginProof } from './login.h5';

export type { LoginProof };

/** wx.login gives a single-use code; the BFF exchanges it with WeChat (code2Session). */
export async function obtainLoginProof(): Promise<LoginProof> {
  const { code } = await Taro.login();
  return { kind: 'wechat', value: code };
}

/** Identity switching is an H5 development aid; WeChat users are who WeChat says they are. */
export function applyIdentitySwitch(): boolean {
  return false;
}

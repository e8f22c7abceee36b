import Taro from '@tarojs/taro';

/**
 * H5 has no wx.login: the browser keeps a random device identity and signs in through the BFF's
 * development login (enabled on the embedded database and in development, never in production).
 */
export interface LoginProof {
  kind: 'wechat' | 'dev';
  value: string;
}

const DEVICE_KEY = 'mc.h5-device';

export async function obtainLoginProof(): Promise<LoginProof> {
  let id = Taro.getStorageSync<string>(DEVICE_KEY);
  if (!id) {
    id = `h5_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
    Taro.setStorageSync(DEVICE_KEY, id);
  }
  return { kind: 'dev', value: id };
}

import Taro from '@tarojs/taro';
import type { LoginPlatform } from './index';

/**
 * H5 has no wx.login: the browser keeps a random device identity and signs in through the BFF's
 * development login (enabled on the embedded database and in development, never in production).
 * Opening the app with `?as=demo-gold` (any dev openid) switches this browser to that identity,
 * which is how the seeded demo members are visited.
 */
const DEVICE_KEY = 'mc.h5-device';

export const login: LoginPlatform = {
  obtainLoginProof() {
    let id = Taro.getStorageSync<string>(DEVICE_KEY);
    if (!id) {
      id = `h5_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
      Taro.setStorageSync(DEVICE_KEY, id);
    }
    return Promise.resolve({ kind: 'dev', value: id });
  },
  applyIdentitySwitch() {
    const as = new URLSearchParams(window.location.search).get('as');
    if (!as || !/^[A-Za-z0-9_-]{1,64}$/.test(as) || Taro.getStorageSync(DEVICE_KEY) === as) return false;
    Taro.setStorageSync(DEVICE_KEY, as);
    return true;
  },
};

import Taro from '@tarojs/taro';
import type { LoginPlatform } from './index';

export const login: LoginPlatform = {
  /** wx.login gives a single-use code; the BFF exchanges it with WeChat (code2Session). */
  async obtainLoginProof() {
    const { code } = await Taro.login();
    return { kind: 'wechat', value: code };
  },
  /** Identity switching is an H5 development aid; WeChat users are who WeChat says they are. */
  applyIdentitySwitch: () => false,
};

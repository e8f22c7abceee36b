import Taro from '@tarojs/taro';
import type { BrightnessPlatform } from './index';

/** Full brightness while the code is shown, so counter scanners read it. */
export const brightness: BrightnessPlatform = {
  async raise() {
    try {
      const { value } = await Taro.getScreenBrightness();
      await Taro.setScreenBrightness({ value: 1 });
      void Taro.setKeepScreenOn({ keepScreenOn: true });
      return () => {
        void Taro.setScreenBrightness({ value });
        void Taro.setKeepScreenOn({ keepScreenOn: false });
      };
    } catch {
      return () => undefined;
    }
  },
};

import Taro from '@tarojs/taro';

/** Full brightness while the code is shown, so counter scanners read it; returns the restore step. */
export async function raiseBrightness(): Promise<() => void> {
  try {
    const { value } = await Taro.getScreenBrightness();
    await Taro.setScreenBrightness({ value: 1 });
    Taro.setKeepScreenOn({ keepScreenOn: true });
    return () => {
      void Taro.setScreenBrightness({ value });
      Taro.setKeepScreenOn({ keepScreenOn: false });
    };
  } catch {
    return () => undefined;
  }
}

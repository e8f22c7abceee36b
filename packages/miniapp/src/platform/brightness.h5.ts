import type { BrightnessPlatform } from './index';

/** Browsers cannot change the screen brightness: nothing to do on H5. */
export const brightness: BrightnessPlatform = {
  raise: () => Promise.resolve(() => undefined),
};

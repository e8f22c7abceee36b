// Type-checking entry: Taro bundles brightness.weapp.ts or brightness.h5.ts instead (see index.ts).
import type { BrightnessPlatform, Variants } from './index';
import { brightness as h5 } from './brightness.h5';
import { brightness as weapp } from './brightness.weapp';

const variants: Variants<BrightnessPlatform> = { weapp, h5 };
export const brightness: BrightnessPlatform = variants.h5;

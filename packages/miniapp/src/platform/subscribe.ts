// Type-checking entry: Taro bundles subscribe.weapp.ts or subscribe.h5.ts instead (see index.ts).
import type { SubscribePlatform, Variants } from './index';
import { subscribe as h5 } from './subscribe.h5';
import { subscribe as weapp } from './subscribe.weapp';

const variants: Variants<SubscribePlatform> = { weapp, h5 };
export const subscribe: SubscribePlatform = variants.h5;

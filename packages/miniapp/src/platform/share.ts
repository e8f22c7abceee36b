// Type-checking entry: Taro bundles share.weapp.ts or share.h5.ts instead (see index.ts).
import type { SharePlatform, Variants } from './index';
import { share as h5 } from './share.h5';
import { share as weapp } from './share.weapp';

const variants: Variants<SharePlatform> = { weapp, h5 };
export const share: SharePlatform = variants.h5;

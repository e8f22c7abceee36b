// Type-checking entry: Taro bundles scan.weapp.ts or scan.h5.ts instead (see index.ts).
import type { ScanPlatform, Variants } from './index';
import { scan as h5 } from './scan.h5';
import { scan as weapp } from './scan.weapp';

const variants: Variants<ScanPlatform> = { weapp, h5 };
export const scan: ScanPlatform = variants.h5;

// Type-checking entry: Taro bundles data-file.weapp.ts or data-file.h5.ts instead (see index.ts).
import type { DataFilePlatform, Variants } from './index';
import { dataFile as h5 } from './data-file.h5';
import { dataFile as weapp } from './data-file.weapp';

const variants: Variants<DataFilePlatform> = { weapp, h5 };
export const dataFile: DataFilePlatform = variants.h5;

// Type-checking entry: Taro bundles login.weapp.ts or login.h5.ts instead (see index.ts).
import type { LoginPlatform, Variants } from './index';
import { login as h5 } from './login.h5';
import { login as weapp } from './login.weapp';

const variants: Variants<LoginPlatform> = { weapp, h5 };
export const login: LoginPlatform = variants.h5;

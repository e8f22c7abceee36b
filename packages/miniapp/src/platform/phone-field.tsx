// Type-checking entry: Taro bundles phone-field.weapp.tsx or phone-field.h5.tsx instead (see index.ts).
import type { PhoneFieldComponent, Variants } from './index';
import { PhoneField as h5 } from './phone-field.h5';
import { PhoneField as weapp } from './phone-field.weapp';

const variants: Variants<PhoneFieldComponent> = { weapp, h5 };
export const PhoneField: PhoneFieldComponent = variants.h5;

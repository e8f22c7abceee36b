import { Input } from '@nutui/nutui-react-taro';
import type { PhoneFieldComponent } from './index';

/** H5: the member types the number (optional). */
export const PhoneField: PhoneFieldComponent = ({ value, onChange }) => (
  <Input
    className='phone-input'
    type='tel'
    maxLength={11}
    placeholder='手机号（选填）'
    value={value.kind === 'typed' ? value.phone : ''}
    onChange={(v: string) => onChange(v ? { kind: 'typed', phone: v.replace(/\D/g, '') } : { kind: 'none' })}
  />
);

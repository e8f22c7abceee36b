import { Input } from '@nutui/nutui-react-taro';
import type { PhoneFieldProps } from './phone-field.types';

/** H5: the member types the number (optional). */
export function PhoneField({ value, onChange }: PhoneFieldProps) {
  return (
    <Input
      className='phone-input'
      type='tel'
      maxLength={11}
      placeholder='手机号（选填）'
      value={value.kind === 'typed' ? value.phone : ''}
      onChange={(v: string) => onChange(v ? { kind: 'typed', phone: v.replace(/\D/g, '') } : { kind: 'none' })}
    />
  );
}

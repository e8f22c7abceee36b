import { Button } from '@tarojs/components';
import type { PhoneFieldComponent } from './index';

/** WeChat: the getPhoneNumber button hands a one-time code that only the BFF can exchange. */
export const PhoneField: PhoneFieldComponent = ({ value, onChange }) => {
  if (value.kind === 'code')
    return (
      <Button className='phone-bound' disabled>
        已获取微信手机号
      </Button>
    );
  return (
    <Button
      className='phone-button'
      openType='getPhoneNumber'
      onGetPhoneNumber={(e) => {
        const code = (e.detail as { code?: string }).code;
        if (code) onChange({ kind: 'code', code });
      }}
    >
      使用微信手机号（选填）
    </Button>
  );
};

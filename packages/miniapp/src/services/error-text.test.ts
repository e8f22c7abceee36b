import { describe, expect, it } from '@jest/globals';
import type { ErrorCode } from '@member/shared/errors';
import { ApiError } from './api-error';
import { errorText } from './error-text';

const failed = (code: ApiError['code'], message = 'whatever the server said') => new ApiError(409, code, message);

describe('errorText', () => {
  it('decides by code, never by the server’s message', () => {
    expect(errorText(failed('ALREADY_REGISTERED', 'this phone number belongs to another member'))).toBe('您已经是会员了');
  });

  it('lets the caller, who knows what was asked, name what a code means there', () => {
    expect(errorText(failed('ALREADY_REGISTERED'), { ALREADY_REGISTERED: '该手机号已被其他会员使用' })).toBe('该手机号已被其他会员使用');
    expect(errorText(failed('NETWORK'), { ALREADY_REGISTERED: '该手机号已被其他会员使用' })).toBe('网络不可用，请检查网络后重试');
  });

  it('reads a code this build does not know yet, and anything not from the BFF, as the generic failure', () => {
    expect(errorText(failed('SOMETHING_NEW' as ErrorCode))).toBe('出错了，请稍后重试');
    expect(errorText(new Error('boom'))).toBe('出错了，请稍后重试');
  });
});

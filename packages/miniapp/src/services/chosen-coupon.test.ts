import { describe, expect, it, jest } from '@jest/globals';
import { CHOSEN_TTL_MS, chooseCoupon, chosenCoupon, forgetChosenCoupon } from './chosen-coupon';

const storage = new Map<string, unknown>();
jest.mock('@tarojs/taro', () => ({
  getStorageSync: (key: string) => storage.get(key) ?? '',
  setStorageSync: (key: string, value: unknown) => storage.set(key, value),
  removeStorageSync: (key: string) => storage.delete(key),
}));

describe('the coupon chosen with 去使用', () => {
  const c = { ref: 'REF1', id: 'C1', title: '首单满100减30', terms: '满¥100.00减¥30.00' };
  it('is shown to the member who chose it, until it is used, too old or dismissed', () => {
    chooseCoupon(c, 1000);
    expect(chosenCoupon('REF1', 2000)).toMatchObject(c);
    expect(chosenCoupon('OTHER', 2000)).toBeNull();
    expect(chosenCoupon('REF1', 1000 + CHOSEN_TTL_MS + 1)).toBeNull();
    expect(chosenCoupon('REF1', 2000, 'C1')).toBeNull();
    expect(chosenCoupon('REF1', 2000, 'C2')).not.toBeNull();
    forgetChosenCoupon();
    expect(chosenCoupon('REF1', 2000)).toBeNull();
  });
});

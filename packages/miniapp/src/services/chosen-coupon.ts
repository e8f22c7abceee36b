import Taro from '@tarojs/taro';

/**
 * The coupon a member chose with 去使用, for the code page to show the cashier. The member code
 * carries no coupon (its digits are the member and the points flag only), so the till cannot know
 * the choice: the code page shows it, and the cashier ticks the same coupon in the till's list.
 * Kept per member (code reference) for `CHOSEN_TTL_MS`, and dropped once an order used it.
 */
const KEY = 'mc.chosen-coupon';
export const CHOSEN_TTL_MS = 30 * 60_000;

export interface ChosenCoupon {
  ref: string;
  id: string;
  title: string;
  /** The coupon's terms in one line ("满¥100.00减¥30.00"). */
  terms: string;
  at: number;
}

export function chooseCoupon(c: Omit<ChosenCoupon, 'at'>, now = Date.now()): void {
  Taro.setStorageSync(KEY, { ...c, at: now });
}

/** The member's chosen coupon, unless another member's, too old, or already used by `usedCouponId`'s order. */
export function chosenCoupon(ref: string, now = Date.now(), usedCouponId: string | null = null): ChosenCoupon | null {
  const v = Taro.getStorageSync<ChosenCoupon | ''>(KEY);
  if (typeof v !== 'object' || v.ref !== ref || now - v.at > CHOSEN_TTL_MS || v.id === usedCouponId) return null;
  return v;
}

export function forgetChosenCoupon(): void {
  Taro.removeStorageSync(KEY);
}

import type { CounterOrderDetail } from '@member/shared/api';
import { parseYuanToCents } from '@member/shared/rules/money';
import { refundCouponOutcome, refundEffect, refundNeedsManager, type RefundEffect } from '@member/shared/rules/refund';
import type { RefundCouponOutcome, StaffRole } from '@member/shared/vocabulary';
import { yuan } from './format';

export interface RefundPreview {
  amountCents: number;
  effect: RefundEffect;
  coupon: RefundCouponOutcome;
}

/** What is left to refund of an order, in cents. */
export const refundableCents = (order: CounterOrderDetail) => order.dueCents - order.refundedCents;

/**
 * The amount typed for a refund, checked before the confirmation sheet opens: strictly a price
 * ("1e9" is refused, never read as ¥19), positive (0 only for an order that was paid with coupon
 * and points alone), and no more than is left. Either the cents or the Chinese reason.
 */
export function refundAmount(order: CounterOrderDetail, text: string): { cents: number } | { error: string } {
  const cents = parseYuanToCents(text);
  if (cents === null) return { error: '请输入正确的金额，如 12 或 12.50' };
  const left = refundableCents(order);
  if (left <= 0 && order.dueCents > 0) return { error: '这笔订单已全部退款' };
  if (cents === 0 && order.dueCents > 0) return { error: '退款金额须大于 0' };
  if (cents > left) return { error: `退款金额超过可退金额（最多 ${yuan(left)}）` };
  return { cents };
}

/**
 * What the refund will do, by the same shared rule the BFF records it with: points and growth
 * taken back, spent points given back, and the coupon (given back only by the refund that
 * completes the order, and only while it is still valid at `now`).
 */
export function refundPreview(order: CounterOrderDetail, amountCents: number, now: Date): RefundPreview {
  const effect = refundEffect(order, amountCents);
  const stillValid = order.coupon !== null && new Date(order.coupon.validTo).getTime() > now.getTime();
  return { amountCents, effect, coupon: refundCouponOutcome(effect, order, stillValid) };
}

/**
 * Whether the till must ask a manager before sending the refund: by the rule the BFF serves
 * (`refunds.managerApprovalAboveCents`), unless the signed-in staff member is a manager. Unknown
 * rules ask nobody up front: the BFF's 403 `needs: manager` then asks.
 */
export function asksForManager(order: CounterOrderDetail, amountCents: number, role: StaffRole, aboveCents: number | null): boolean {
  if (role !== 'cashier' || aboveCents === null) return false;
  return refundNeedsManager(order, amountCents, aboveCents);
}

import type { RefundCouponOutcome } from '../vocabulary';
import { refundShare } from './pricing';

/** What a refund works from: the order's figures and what its earlier refunds already moved. */
export interface RefundableOrder {
  dueCents: number;
  refundedCents: number;
  pointsEarned: number;
  growthEarned: number;
  pointsUsed: number;
  pointsReversed: number;
  growthReversed: number;
  pointsReturned: number;
  couponId: string | null;
}

/** What refunding `amountCents` more of an order moves. */
export interface RefundEffect {
  /** The order's refunded total once this refund is recorded. */
  refundedAfterCents: number;
  /** This refund brings the refunded total to everything that was paid: the order is then refunded in full. */
  completes: boolean;
  /** Earned points taken back from the member. */
  pointsReversed: number;
  /** Growth taken back. */
  growthReversed: number;
  /** Points the order spent, given back to the member. */
  pointsReturned: number;
  /** The order's coupon is handed back by this refund (if still valid): only the refund that completes the order does. */
  returnsCoupon: boolean;
}

/**
 * What refunding `amountCents` more of an order takes back and gives back. Shares are cumulative
 * (`refundShare` of the refunded total, less what earlier refunds moved), so partial refunds add up
 * exactly to a full one. The counter's confirmation sheet shows this before the refund; the BFF
 * records exactly this. Does not check that the amount fits what is left (the BFF refuses that).
 */
export function refundEffect(order: RefundableOrder, amountCents: number): RefundEffect {
  const refundedAfterCents = order.refundedCents + amountCents;
  const completes = refundedAfterCents === order.dueCents;
  return {
    refundedAfterCents,
    completes,
    pointsReversed: refundShare(order.pointsEarned, refundedAfterCents, order.dueCents) - order.pointsReversed,
    growthReversed: refundShare(order.growthEarned, refundedAfterCents, order.dueCents) - order.growthReversed,
    pointsReturned: refundShare(order.pointsUsed, refundedAfterCents, order.dueCents) - order.pointsReturned,
    returnsCoupon: completes && order.couponId !== null,
  };
}

/**
 * What a refund does with the order's coupon: nothing without one; nothing yet on a partial refund;
 * on the refund that completes the order, back to the wallet when still valid, else it stays expired.
 * `stillValid`: the coupon's validity has not passed (`validTo > now`, as the BFF restores it).
 */
export function refundCouponOutcome(
  effect: Pick<RefundEffect, 'completes'>,
  order: Pick<RefundableOrder, 'couponId'>,
  stillValid: boolean,
): RefundCouponOutcome {
  if (order.couponId === null) return 'none';
  if (!effect.completes) return 'partial';
  return stillValid ? 'restored' : 'expired';
}

/**
 * Whether a refund needs a manager's approval (`refunds.managerApprovalAboveCents`): when the
 * order's refunded total, counting this refund, goes above the set amount (so splitting a large
 * refund into small ones does not avoid it), and for the refund that completes the order (a full
 * refund, in one go or as the last part).
 */
export function refundNeedsManager(order: Pick<RefundableOrder, 'dueCents' | 'refundedCents'>, amountCents: number, aboveCents: number): boolean {
  const after = order.refundedCents + amountCents;
  return after > aboveCents || after >= order.dueCents;
}

import type { LoyaltyConfig } from '../config/loyalty.schema';
import { DomainError } from '../errors';
import { couponDiscount, couponRefusal, type CouponTerms } from './coupon';
import { earnForPayment, maxPointsUsable } from './points';

export interface QuoteInput {
  grossCents: number;
  /** Share of the price the member's tier pays, 95 = 9.5折. */
  tierDiscountPercent: number;
  tierCode: string;
  coupon: CouponTerms | null;
  pointsToUse: number;
  /**
   * Whether the member allowed points on this purchase (the flag inside their dynamic code).
   * Without it nothing is usable: `maxPointsUsable` is 0 and any `pointsToUse` is NOT_ELIGIBLE.
   */
  pointsAllowed: boolean;
  pointsBalance: number;
  /** Campaign multiplier for the points the payment earns (see `pointsMultiplier`). */
  multiplier: number;
  now: Date;
}

export interface Quote {
  grossCents: number;
  tierDiscountCents: number;
  couponDiscountCents: number;
  pointsUsed: number;
  pointsDiscountCents: number;
  dueCents: number;
  pointsToEarn: number;
  growthToEarn: number;
  maxPointsUsable: number;
  multiplier: number;
}

/**
 * Prices a counter purchase, in this order: gross → tier discount → coupon (its threshold is
 * checked on the amount after the tier discount) → points (at most `spend.maxPercentOfDue` % of
 * what remains, in whole yuan of `spend.pointsPerYuan` points) → amount due, never negative.
 *
 * Rounding rule, the same at every step: each discount is computed in integer cents and rounded
 * down, so a discount is never more than its exact value and the member never pays a fraction of
 * a cent. Points and growth are earned on the amount due (see `earnForPayment`).
 *
 * Points are only usable when the member allowed them (`pointsAllowed`, from their code).
 *
 * Throws COUPON_NOT_APPLICABLE, NOT_ELIGIBLE (points without the member's consent),
 * POINTS_INSUFFICIENT, POINTS_CAP_EXCEEDED or VALIDATION_FAILED.
 */
export function priceOrder(input: QuoteInput, config: Pick<LoyaltyConfig, 'spend' | 'points' | 'growth' | 'tiers'>): Quote {
  const { grossCents, pointsToUse } = input;
  if (!Number.isSafeInteger(grossCents) || grossCents <= 0) throw new DomainError('VALIDATION_FAILED', 'amount must be a positive number of cents');
  if (!Number.isSafeInteger(pointsToUse) || pointsToUse < 0) throw new DomainError('VALIDATION_FAILED', 'pointsToUse must be a non-negative integer');

  const tierDiscountCents = Math.floor((grossCents * (100 - input.tierDiscountPercent)) / 100);
  const afterTier = grossCents - tierDiscountCents;

  let couponDiscountCents = 0;
  if (input.coupon) {
    const refusal = couponRefusal(input.coupon, afterTier, input.now, input.tierCode, config.tiers);
    if (refusal) throw new DomainError('COUPON_NOT_APPLICABLE', `coupon cannot be used: ${refusal}`, { reason: refusal });
    couponDiscountCents = couponDiscount(input.coupon, afterTier);
  }
  const afterCoupon = afterTier - couponDiscountCents;

  const cap = input.pointsAllowed ? maxPointsUsable(afterCoupon, input.pointsBalance, config.spend) : 0;
  if (pointsToUse % config.spend.pointsPerYuan !== 0) {
    throw new DomainError('VALIDATION_FAILED', `points are used in multiples of ${config.spend.pointsPerYuan}`, {
      issues: [{ in: 'body', path: ['pointsToUse'], message: `multiple of ${config.spend.pointsPerYuan}` }],
    });
  }
  if (pointsToUse > 0 && !input.pointsAllowed) {
    throw new DomainError('NOT_ELIGIBLE', 'the member has not allowed points on this purchase: they switch it on in their member code');
  }
  if (pointsToUse > Math.max(input.pointsBalance, 0)) {
    throw new DomainError('POINTS_INSUFFICIENT', 'not enough points', { balance: input.pointsBalance, required: pointsToUse });
  }
  if (pointsToUse > cap) throw new DomainError('POINTS_CAP_EXCEEDED', `at most ${cap} points can be used on this amount`, { maxPointsUsable: cap });
  const pointsDiscountCents = (pointsToUse / config.spend.pointsPerYuan) * 100;
  const dueCents = Math.max(0, afterCoupon - pointsDiscountCents);
  const earn = earnForPayment(dueCents, input.multiplier, config);

  return {
    grossCents,
    tierDiscountCents,
    couponDiscountCents,
    pointsUsed: pointsToUse,
    pointsDiscountCents,
    dueCents,
    pointsToEarn: earn.points,
    growthToEarn: earn.growth,
    maxPointsUsable: cap,
    multiplier: input.multiplier,
  };
}

/**
 * What a (partial) refund takes back, computed cumulatively so that several partial refunds add
 * up exactly to a full one: after refunding `refundedAfter` of `paidCents` in total, `floor(x ×
 * refundedAfter / paidCents)` of each earned or spent quantity has been reversed.
 */
export function refundShare(total: number, refundedAfterCents: number, paidCents: number): number {
  if (paidCents <= 0) return total;
  return Math.floor((total * refundedAfterCents) / paidCents);
}

import type { TierConfig } from '../config/loyalty.schema';
import type { CouponKind } from '../vocabulary';
import { tierAtLeast } from './tier';

/** The terms a member's coupon carries (copied from its template when issued, so they never change under it). */
export interface CouponTerms {
  kind: CouponKind;
  valueCents: number | null;
  thresholdCents: number | null;
  /** For `discount` coupons: share of the price paid, 80 = 8折. */
  discountPercent: number | null;
  capCents: number | null;
  minTier: string | null;
  validFrom: Date;
  validTo: Date;
}

export type CouponRefusal = 'not_started' | 'expired' | 'below_threshold' | 'tier_required' | 'nothing_to_discount';

/**
 * Whether a coupon can be used on an amount (after the tier discount) at `now` by a member of
 * `tierCode`: inside its validity window, the threshold met, the minimum tier held.
 */
export function couponRefusal(terms: CouponTerms, amountCents: number, now: Date, tierCode: string, tiers: readonly TierConfig[]): CouponRefusal | null {
  if (now.getTime() < terms.validFrom.getTime()) return 'not_started';
  if (now.getTime() >= terms.validTo.getTime()) return 'expired';
  if (terms.minTier && !tierAtLeast(tiers, tierCode, terms.minTier)) return 'tier_required';
  if (terms.thresholdCents !== null && amountCents < terms.thresholdCents) return 'below_threshold';
  if (amountCents <= 0) return 'nothing_to_discount';
  return null;
}

/**
 * Discount a coupon gives on an amount, in cents, never more than the amount:
 * `cash` and `threshold` take off their value; `discount` takes `floor(amount × (100 − percent) / 100)`,
 * capped by `capCents`. Rounding is always down, so no coupon gives more than its exact value.
 */
export function couponDiscount(terms: CouponTerms, amountCents: number): number {
  if (amountCents <= 0) return 0;
  let off = 0;
  if (terms.kind === 'discount') {
    off = Math.floor((amountCents * (100 - (terms.discountPercent ?? 100))) / 100);
    if (terms.capCents !== null) off = Math.min(off, terms.capCents);
  } else {
    off = terms.valueCents ?? 0;
  }
  return Math.max(0, Math.min(off, amountCents));
}

/**
 * Validity of a coupon issued at `issuedAt`: a fixed window from its template, or `days` from issue.
 */
export function couponValidity(validity: { days: number } | { from: string; to: string }, issuedAt: Date): { validFrom: Date; validTo: Date } {
  if ('days' in validity) return { validFrom: issuedAt, validTo: new Date(issuedAt.getTime() + validity.days * 86_400_000) };
  return { validFrom: new Date(validity.from), validTo: new Date(validity.to) };
}

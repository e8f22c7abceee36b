import { describe, expect, it } from '@jest/globals';
import { priceOrder, refundShare } from './pricing';
import { pointsMultiplier } from './points';
import type { CouponTerms } from './coupon';
import { testConfig } from '../../test/test-config';
import { pricingCases } from '../../test/pricing-cases';

const memberDay = new Date('2026-11-18T04:00:00Z');
const ordinaryDay = new Date('2026-11-20T04:00:00Z');

describe('priceOrder (the counter pricing table)', () => {
  it.each(pricingCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const now = c.memberDay ? memberDay : ordinaryDay;
    const tier = testConfig.tiers.find((t) => t.code === c.tier)!;
    const coupon: CouponTerms | null = c.coupon
      ? {
          kind: c.coupon.kind,
          valueCents: c.coupon.valueCents ?? null,
          thresholdCents: c.coupon.thresholdCents ?? null,
          discountPercent: c.coupon.discountPercent ?? null,
          capCents: c.coupon.capCents ?? null,
          minTier: null,
          validFrom: new Date('2026-01-01T00:00:00Z'),
          validTo: new Date('2027-01-01T00:00:00Z'),
        }
      : null;
    const run = () =>
      priceOrder(
        {
          grossCents: c.grossCents,
          tierDiscountPercent: tier.discountPercent,
          tierCode: tier.code,
          coupon,
          pointsToUse: c.pointsToUse ?? 0,
          pointsAllowed: c.pointsAllowed ?? true,
          pointsBalance: c.balance,
          multiplier: pointsMultiplier(testConfig.campaigns, tier.code, now, testConfig.businessTimeZone),
          now,
        },
        testConfig,
      );
    if ('error' in c.expect) {
      expect(run).toThrow(expect.objectContaining({ code: c.expect.error }));
      return;
    }
    const q = run();
    expect(q).toMatchObject({ ...c.expect, grossCents: c.grossCents, pointsUsed: c.pointsToUse ?? 0 });
    expect(q.grossCents - q.tierDiscountCents - q.couponDiscountCents - q.pointsDiscountCents).toBe(q.dueCents);
  });

  it('has at least 20 cases', () => expect(pricingCases.length).toBeGreaterThanOrEqual(20));
});

describe('refundShare', () => {
  it.each([
    [100, 5000, 10000, 50],
    [99, 3333, 10000, 32],
    [99, 10000, 10000, 99], // a full refund takes everything back, whatever earlier partials rounded
    [0, 5000, 10000, 0],
  ])('%i over %i of %i cents → %i', (total, refunded, paid, share) => expect(refundShare(total, refunded, paid)).toBe(share));
});

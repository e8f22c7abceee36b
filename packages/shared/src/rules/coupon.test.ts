import { describe, expect, it } from '@jest/globals';
import { couponDiscount, couponRefusal, couponValidity, type CouponTerms } from './coupon';
import { testConfig } from '../../test/test-config';

const window = { validFrom: new Date('2026-11-01T00:00:00Z'), validTo: new Date('2026-12-01T00:00:00Z') };
const cash: CouponTerms = { kind: 'cash', valueCents: 1000, thresholdCents: null, discountPercent: null, capCents: null, minTier: null, ...window };
const threshold: CouponTerms = { ...cash, kind: 'threshold', valueCents: 3000, thresholdCents: 10000 };
const discount: CouponTerms = { ...cash, kind: 'discount', valueCents: null, discountPercent: 85, capCents: null };
const capped: CouponTerms = { ...discount, discountPercent: 80, capCents: 1500 };
const goldOnly: CouponTerms = { ...cash, minTier: 'gold' };
const inside = new Date('2026-11-15T00:00:00Z');

describe('couponDiscount', () => {
  it.each([
    ['cash on more than its value', cash, 5000, 1000],
    ['cash on less than its value', cash, 600, 600],
    ['threshold', threshold, 12000, 3000],
    ['discount 8.5折', discount, 10000, 1500],
    ['discount rounds down', discount, 999, 149],
    ['discount under its cap', capped, 5000, 1000],
    ['discount over its cap', capped, 20000, 1500],
    ['nothing to discount', cash, 0, 0],
  ])('%s', (_n, terms, amount, off) => expect(couponDiscount(terms, amount)).toBe(off));
});

describe('couponRefusal', () => {
  it.each([
    ['cash, any amount', cash, 1, inside, 'normal', null],
    ['threshold met', threshold, 10000, inside, 'normal', null],
    ['threshold missed by a cent', threshold, 9999, inside, 'normal', 'below_threshold'],
    ['before its window', cash, 5000, new Date('2026-10-31T23:59:59Z'), 'normal', 'not_started'],
    ['at the end of its window', cash, 5000, new Date('2026-12-01T00:00:00Z'), 'normal', 'expired'],
    ['tier held', goldOnly, 5000, inside, 'diamond', null],
    ['tier exactly', goldOnly, 5000, inside, 'gold', null],
    ['tier below', goldOnly, 5000, inside, 'silver', 'tier_required'],
    ['discount on nothing', discount, 0, inside, 'normal', 'nothing_to_discount'],
  ])('%s', (_n, terms, amount, now, tier, refusal) => expect(couponRefusal(terms, amount, now, tier, testConfig.tiers)).toBe(refusal));
});

describe('couponValidity', () => {
  it('counts days from issue', () => {
    expect(couponValidity({ days: 7 }, new Date('2026-11-01T10:00:00Z'))).toEqual({
      validFrom: new Date('2026-11-01T10:00:00Z'),
      validTo: new Date('2026-11-08T10:00:00Z'),
    });
  });
  it('keeps a fixed window', () => {
    expect(couponValidity({ from: '2026-12-01T00:00:00+08:00', to: '2026-12-31T23:59:59+08:00' }, new Date())).toEqual({
      validFrom: new Date('2026-11-30T16:00:00Z'),
      validTo: new Date('2026-12-31T15:59:59Z'),
    });
  });
});

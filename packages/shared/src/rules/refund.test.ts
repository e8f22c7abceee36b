import { describe, expect, it } from '@jest/globals';
import type { RefundCouponOutcome } from '../vocabulary';
import { refundCouponOutcome, refundEffect, refundNeedsManager, type RefundableOrder } from './refund';

// 10000 − 1000 coupon = 9000 → 2000 points → 7000 due, 70 points and 70 growth earned.
const order: RefundableOrder = {
  dueCents: 7000,
  refundedCents: 0,
  pointsEarned: 70,
  growthEarned: 70,
  pointsUsed: 2000,
  pointsReversed: 0,
  growthReversed: 0,
  pointsReturned: 0,
  couponId: 'C1',
};

/** The order after `effect` was recorded, as the BFF keeps its running totals. */
const after = (o: RefundableOrder, amountCents: number): RefundableOrder => {
  const e = refundEffect(o, amountCents);
  return {
    ...o,
    refundedCents: e.refundedAfterCents,
    pointsReversed: o.pointsReversed + e.pointsReversed,
    growthReversed: o.growthReversed + e.growthReversed,
    pointsReturned: o.pointsReturned + e.pointsReturned,
  };
};

describe('refundEffect', () => {
  it('a full refund takes back everything earned, gives back everything spent, and returns the coupon', () => {
    expect(refundEffect(order, 7000)).toEqual({
      refundedAfterCents: 7000,
      completes: true,
      pointsReversed: 70,
      growthReversed: 70,
      pointsReturned: 2000,
      returnsCoupon: true,
    });
  });

  it('a partial refund moves its share, rounded down, and leaves the coupon with the order', () => {
    expect(refundEffect(order, 3333)).toEqual({
      refundedAfterCents: 3333,
      completes: false,
      pointsReversed: 33,
      growthReversed: 33,
      pointsReturned: 952,
      returnsCoupon: false,
    });
  });

  it('partial refunds add up exactly to a full one, and only the last returns the coupon', () => {
    const first = refundEffect(order, 3333);
    const rest = refundEffect(after(order, 3333), 3667);
    expect(rest.completes && rest.returnsCoupon).toBe(true);
    expect([first.pointsReversed + rest.pointsReversed, first.growthReversed + rest.growthReversed, first.pointsReturned + rest.pointsReturned]).toEqual([
      70, 70, 2000,
    ]);
  });

  it('an order paid entirely with coupon and points is refunded whole by a refund of 0', () => {
    const free = { ...order, dueCents: 0, pointsEarned: 0, growthEarned: 0, pointsUsed: 500 };
    expect(refundEffect(free, 0)).toMatchObject({ completes: true, pointsReturned: 500, returnsCoupon: true });
  });

  it('an order without a coupon returns none', () => expect(refundEffect({ ...order, couponId: null }, 7000).returnsCoupon).toBe(false));
});

describe('refundCouponOutcome', () => {
  it.each<[string, string | null, number, boolean, RefundCouponOutcome]>([
    ['no coupon', null, 7000, true, 'none'],
    ['partial refund', 'C1', 3000, true, 'partial'],
    ['partial refund, coupon expired meanwhile', 'C1', 3000, false, 'partial'],
    ['full refund, coupon still valid', 'C1', 7000, true, 'restored'],
    ['full refund, coupon expired', 'C1', 7000, false, 'expired'],
  ])('%s → %s', (_name, couponId, amount, valid, outcome) => {
    const o = { ...order, couponId };
    expect(refundCouponOutcome(refundEffect(o, amount), o, valid)).toBe(outcome);
  });
});

describe('refundNeedsManager (above ¥100, and every full refund)', () => {
  const big = { ...order, dueCents: 50000 };
  it.each([
    ['a small partial refund', big, 5000, false],
    ['exactly the set amount', big, 10000, false],
    ['one cent above it', big, 10001, true],
    ['a small refund that takes the refunded total above it', { ...big, refundedCents: 9000 }, 2000, true],
    ['a full refund under the set amount', order, 7000, true],
    ['the last part of an order, under the set amount', { ...order, refundedCents: 5000 }, 2000, true],
    ['a partial refund of a small order', order, 6999, false],
    ['the refund of 0 of an order paid with coupon and points', { ...order, dueCents: 0 }, 0, true],
  ])('%s → %s', (_name, o, amount, needs) => expect(refundNeedsManager(o, amount, 10000)).toBe(needs));
});

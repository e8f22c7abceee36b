import { describe, expect, it } from '@jest/globals';
import type { CounterOrderDetail } from '@member/shared/api';
import { asksForManager, refundAmount, refundPreview } from './refund-preview';

const now = new Date('2026-11-20T04:00:00Z');
// ¥200.00 with 首单满100减30: ¥170.00 paid, 170 points and growth earned.
const order: CounterOrderDetail = {
  id: '01J0000000000000000000000A',
  storeId: '01J0000000000000000000000B',
  receiptNo: 'POS-1',
  grossCents: 20000,
  tierDiscountCents: 0,
  couponId: '01J0000000000000000000000C',
  couponDiscountCents: 3000,
  pointsUsed: 0,
  pointsDiscountCents: 0,
  dueCents: 17000,
  pointsEarned: 170,
  growthEarned: 170,
  refundedCents: 0,
  pointsReversed: 0,
  growthReversed: 0,
  pointsReturned: 0,
  member: { id: '01J0000000000000000000000D', nickname: '退款测试' },
  coupon: { title: '首单满100减30', validTo: '2026-11-27T04:00:00.000Z' },
  createdAt: '2026-11-20T03:00:00.000Z',
};

describe('refundAmount', () => {
  it.each(['1e9', '12.345', '-1', '', '１２', '0x10', '1,000'])('refuses %j as a price', (text) => {
    expect(refundAmount(order, text)).toEqual({ error: '请输入正确的金额，如 12 或 12.50' });
  });
  it('reads 170.00 as the whole order', () => expect(refundAmount(order, '170.00')).toEqual({ cents: 17000 }));
  it('refuses more than is left, saying how much is', () => expect(refundAmount(order, '170.01')).toEqual({ error: '退款金额超过可退金额（最多 ¥170.00）' }));
  it('refuses 0 for an order that was paid', () => expect(refundAmount(order, '0')).toEqual({ error: '退款金额须大于 0' }));
  it('takes 0 for an order paid with coupon and points alone', () => expect(refundAmount({ ...order, dueCents: 0 }, '0')).toEqual({ cents: 0 }));
});

describe('refundPreview', () => {
  it('a full refund takes back what was earned and gives the still-valid coupon back', () => {
    expect(refundPreview(order, 17000, now)).toMatchObject({ effect: { pointsReversed: 170, growthReversed: 170, completes: true }, coupon: 'restored' });
  });
  it('after the coupon lapsed, the full refund does not give it back', () => {
    expect(refundPreview(order, 17000, new Date('2026-11-28T00:00:00Z')).coupon).toBe('expired');
  });
  it('a partial refund leaves the coupon with the order', () => {
    expect(refundPreview(order, 5000, now)).toMatchObject({ effect: { pointsReversed: 50 }, coupon: 'partial' });
  });
  it('an order without a coupon has none to give back', () => {
    expect(refundPreview({ ...order, couponId: null, coupon: null }, 17000, now).coupon).toBe('none');
  });
});

describe('asksForManager', () => {
  it('asks a cashier above the set amount and for the whole order', () => {
    expect(asksForManager(order, 10001, 'cashier', 10000)).toBe(true);
    expect(asksForManager({ ...order, dueCents: 5000 }, 5000, 'cashier', 10000)).toBe(true);
    expect(asksForManager(order, 5000, 'cashier', 10000)).toBe(false);
  });
  it('never asks a manager, and leaves it to the server when the rules are not known', () => {
    expect(asksForManager(order, 17000, 'manager', 10000)).toBe(false);
    expect(asksForManager(order, 17000, 'cashier', null)).toBe(false);
  });
});

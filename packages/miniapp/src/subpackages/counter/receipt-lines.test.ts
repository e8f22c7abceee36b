import { describe, expect, it } from '@jest/globals';
import type { CounterOrder } from '@member/shared/api';
import { receiptLines } from './receipt-lines';

/** A gold member's ¥1,234.50 purchase: 9折, a ¥30 coupon, 500 points for ¥5. */
const order: CounterOrder = {
  id: 'o1',
  storeId: 's1',
  receiptNo: 'POS-1',
  grossCents: 123450,
  tierDiscountCents: 12345,
  couponId: 'c1',
  couponDiscountCents: 3000,
  pointsUsed: 500,
  pointsDiscountCents: 500,
  dueCents: 107605,
  pointsEarned: 1076,
  growthEarned: 1076,
  refundedCents: 0,
  createdAt: '2026-11-20T04:00:00.000Z',
  member: { id: 'm1', nickname: '小明', pointsBalance: 12576, growth: 6076, tier: { code: 'gold', name: '金卡会员', discountPercent: 90 } },
  upgradedTo: null,
};

const table = (o: CounterOrder, title: string | null) => receiptLines(o, title).map((l) => [l.label, l.value]);

describe('receiptLines', () => {
  it('lists the bill as the e-receipt does: gross, tier discount, coupon, points, paid, earned, balances after the order', () => {
    expect(table(order, '满300减30')).toEqual([
      ['原价', '¥1,234.50'],
      ['会员折扣', '-¥123.45'],
      ['优惠券', '满300减30 -¥30.00'],
      ['积分抵扣', '500 积分 -¥5.00'],
      ['实付', '¥1,076.05'],
      ['本单积分', '+1,076'],
      ['成长值', '+1,076'],
      ['本单后积分余额', '12,576'],
      ['本单后成长值', '6,076'],
      ['会员等级', '金卡会员'],
    ]);
  });

  it('keeps every line when nothing was taken off, so the receipt reads the same for every order', () => {
    const plain = { ...order, tierDiscountCents: 0, couponId: null, couponDiscountCents: 0, pointsUsed: 0, pointsDiscountCents: 0, dueCents: 123450 };
    expect(table(plain, null).slice(0, 5)).toEqual([
      ['原价', '¥1,234.50'],
      ['会员折扣', '无'],
      ['优惠券', '未使用'],
      ['积分抵扣', '未使用'],
      ['实付', '¥1,234.50'],
    ]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { orderSummary } from './order-summary';

const order = { grossCents: 30000, tierDiscountCents: 3000, couponDiscountCents: 2000, pointsDiscountCents: 4700, pointsEarned: 203, pointsReversed: 0 };

describe('orderSummary', () => {
  it('lists every discount in yuan so the line adds up to what was paid (¥300 − ¥30 − ¥20 − ¥47 = ¥203)', () => {
    expect(orderSummary(order)).toEqual({ breakdown: '原价 ¥300.00 · 会员折扣 -¥30.00 · 券 -¥20.00 · 积分抵扣 -¥47.00', earned: '+203 积分' });
  });

  it('leaves out discounts the order did not have', () => {
    expect(orderSummary({ ...order, tierDiscountCents: 0, couponDiscountCents: 0, pointsDiscountCents: 0 }).breakdown).toBe('原价 ¥300.00');
  });

  it('shows what the order still gives after refunds, not what it first earned', () => {
    expect(orderSummary({ ...order, pointsReversed: 50 }).earned).toBe('+153 积分（已扣回 50）');
    expect(orderSummary({ ...order, pointsReversed: 203 }).earned).toBe('积分已扣回');
  });
});

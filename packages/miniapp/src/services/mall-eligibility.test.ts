import { describe, expect, it } from '@jest/globals';
import type { MallItem } from '@member/shared/api';
import { redeemBlock } from './mall-eligibility';

const tiers = [
  { code: 'normal', name: '普通会员' },
  { code: 'silver', name: '银卡会员' },
  { code: 'gold', name: '金卡会员' },
  { code: 'diamond', name: '钻石会员' },
];
const item: MallItem = {
  id: 'ITEM000001',
  kind: 'service',
  title: '体验课',
  description: '',
  imageUrl: null,
  pointsCost: 100,
  stockLeft: 5,
  perMemberLimit: null,
};
const me = { tier: 'normal', balance: 5000, held: 0 };

describe('what stops a redemption before the confirmation sheet', () => {
  it('a tier the member has not reached says which tier it needs', () => {
    expect(redeemBlock({ ...item, minTier: 'gold' }, tiers, me)).toBe('金卡会员及以上可兑换');
    expect(redeemBlock({ ...item, minTier: 'gold' }, tiers, { ...me, tier: 'diamond' })).toBeNull();
    expect(redeemBlock({ ...item, minTier: 'gold' }, tiers, { ...me, tier: 'gold' })).toBeNull();
  });
  it('a reached per-member limit says so', () => {
    expect(redeemBlock({ ...item, perMemberLimit: 1 }, tiers, { ...me, held: 1 })).toBe('每人限兑 1 件，你已兑换 1 件');
    expect(redeemBlock({ ...item, perMemberLimit: 2 }, tiers, { ...me, held: 1 })).toBeNull();
  });
  it('sold out comes first, points last; a visitor is only told about stock', () => {
    expect(redeemBlock({ ...item, stockLeft: 0, minTier: 'gold' }, tiers, me)).toBe('已兑完');
    expect(redeemBlock({ ...item, minTier: 'gold' }, tiers, { ...me, balance: 0 })).toBe('金卡会员及以上可兑换');
    expect(redeemBlock(item, tiers, { ...me, balance: 40 })).toBe('积分不足（还差 60）');
    expect(redeemBlock({ ...item, minTier: 'gold', perMemberLimit: 1 }, tiers, { tier: null, balance: null, held: null })).toBeNull();
  });
});

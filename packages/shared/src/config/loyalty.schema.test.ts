import { describe, expect, it } from '@jest/globals';
import raw from '../../../../config/loyalty.json';
import { parseLoyaltyConfig } from './loyalty.schema';

type RawConfig = typeof raw;
const clone = () => JSON.parse(JSON.stringify(raw)) as RawConfig;

describe('parseLoyaltyConfig', () => {
  it('accepts the shipped defaults (the product default rules)', () => {
    const c = parseLoyaltyConfig(raw);
    expect(c.tiers.map((t) => [t.code, t.growthMin, t.discountPercent])).toEqual([
      ['normal', 0, 100],
      ['silver', 1000, 95],
      ['gold', 5000, 90],
      ['diamond', 20000, 85],
    ]);
    expect(c.spend).toEqual({ pointsPerYuan: 100, maxPercentOfDue: 30 });
    expect(c.points.lotLifetimeDays).toBe(365);
    expect(c.refunds.managerApprovalAboveCents).toBe(10000);
    expect(c.interactionCaps).toEqual({ perDay: { points: 300, growth: 20 }, perMonth: { points: 3000, growth: 200 } });
  });

  it.each([
    ['tiers out of order', (c: RawConfig) => (c.tiers[2].growthMin = 10), 'tiers.2.growthMin'],
    ['first tier above zero', (c: RawConfig) => (c.tiers[0].growthMin = 1), 'tiers.0.growthMin'],
    ['unknown time zone', (c: RawConfig) => (c.businessTimeZone = 'Mars/Olympus'), 'businessTimeZone'],
    ['unknown upgrade gift', (c: RawConfig) => (c.tiers[1].upgradeGiftTemplate = 'nope'), 'tiers.1.upgradeGiftTemplate'],
    ['negative earn rate', (c: RawConfig) => (c.points.perYuanPaid = -1), 'points.perYuanPaid'],
    ['cap over 100%', (c: RawConfig) => (c.spend.maxPercentOfDue = 130), 'spend.maxPercentOfDue'],
    ['threshold coupon without threshold', (c: RawConfig) => delete c.couponTemplates[1].thresholdCents, 'couponTemplates.1.thresholdCents'],
    ['campaign for unknown tier', (c: RawConfig) => (c.campaigns[1].tiers = ['platinum']), 'campaigns.1.tiers'],
    ['negative refund approval amount', (c: RawConfig) => (c.refunds.managerApprovalAboveCents = -1), 'refunds.managerApprovalAboveCents'],
    ['fractional refund approval amount', (c: RawConfig) => (c.refunds.managerApprovalAboveCents = 99.5), 'refunds.managerApprovalAboveCents'],
    [
      'no refund approval amount',
      (c: RawConfig) => delete (c.refunds as Partial<RawConfig['refunds']>).managerApprovalAboveCents,
      'refunds.managerApprovalAboveCents',
    ],
    ['a daily cap above the monthly one', (c: RawConfig) => (c.interactionCaps.perDay.growth = 201), 'interactionCaps.perDay.growth'],
    ['a daily cap below one referral reward', (c: RawConfig) => (c.interactionCaps.perDay.points = 99), 'interactionCaps.perDay.points'],
    ['a daily cap below a check-in with its bonus', (c: RawConfig) => (c.checkin.bonusPoints = 400), 'interactionCaps.perDay.points'],
    ['a monthly cap below a month of referral rewards', (c: RawConfig) => (c.interactionCaps.perMonth.points = 1999), 'interactionCaps.perMonth.points'],
    ['a monthly growth cap below a month of referral rewards', (c: RawConfig) => (c.referral.inviterGrowth = 11), 'interactionCaps.perMonth.growth'],
    ['no interaction caps', (c: RawConfig) => delete (c as Partial<RawConfig>).interactionCaps, 'interactionCaps'],
  ])('rejects %s with a readable message naming %s', (_name, mutate, path) => {
    const c = clone();
    mutate(c);
    expect(() => parseLoyaltyConfig(c, 'test.json')).toThrow(new RegExp(`Invalid loyalty configuration in test.json:[\\s\\S]*${path.replace(/\./g, '\\.')}`));
  });
});

import { describe, expect, it } from '@jest/globals';
import { growthProgress, keepTier, nextReviewAt, reviewPeriodOf, tierAfterGrowth, tierAfterReview, tierAtLeast, tierForGrowth, tiersCrossed } from './tier';
import { testConfig } from '../../test/test-config';

const { tiers } = testConfig;

describe('tierForGrowth', () => {
  it.each([
    [0, 'normal'],
    [999, 'normal'],
    [1000, 'silver'],
    [4999, 'silver'],
    [5000, 'gold'],
    [19999, 'gold'],
    [20000, 'diamond'],
    [10_000_000, 'diamond'],
  ])('growth %i → %s', (growth, code) => {
    expect(tierForGrowth(tiers, growth).code).toBe(code);
  });
});

describe('tierAfterGrowth', () => {
  it.each([
    ['normal', 1000, 'silver'],
    ['normal', 25000, 'diamond'],
    ['gold', 1200, 'gold'], // growth never lowers a tier; only the review does
    ['silver', 999, 'silver'],
    ['silver', 5000, 'gold'],
  ])('%s with growth %i → %s', (current, growth, code) => {
    expect(tierAfterGrowth(tiers, current, growth).code).toBe(code);
  });
});

describe('tierAtLeast', () => {
  it.each([
    ['gold', 'silver', true],
    ['gold', 'gold', true],
    ['silver', 'gold', false],
    ['normal', 'normal', true],
  ])('%s at least %s → %s', (code, min, ok) => expect(tierAtLeast(tiers, code, min)).toBe(ok));
});

describe('growthProgress', () => {
  it.each([
    // tier, growth, percent, toNext, next, yuanToNext
    ['normal', 0, 0, 1000, 'silver', 1000],
    ['normal', 250, 25, 750, 'silver', 750],
    ['normal', 999, 99, 1, 'silver', 1],
    ['silver', 1000, 0, 4000, 'gold', 4000],
    ['silver', 3000, 50, 2000, 'gold', 2000],
    ['gold', 12500, 50, 7500, 'diamond', 7500],
    ['diamond', 20000, 100, 0, null, 0],
    ['diamond', 99999, 100, 0, null, 0],
    // kept at a lower tier by a review while lifetime growth is past the next threshold
    ['silver', 6000, 100, 0, 'gold', 0],
  ])('%s with %i growth: %i%%, %i to go', (tier, growth, percent, toNext, next, yuan) => {
    const p = growthProgress(tiers, tier, { lifetime: growth + 7, qualifying: growth }, 1);
    expect(p.percent).toBe(percent);
    expect(p.toNext).toBe(toNext);
    expect(p.nextTier?.code ?? null).toBe(next);
    expect(p.yuanToNext).toBe(yuan);
    expect(p.qualifying).toBe(growth);
    expect(p.value).toBe(growth + 7);
  });

  it('measures the bar by qualifying growth, not lifetime growth, and shows negative qualifying growth as 0', () => {
    const p = growthProgress(tiers, 'normal', { lifetime: 9000, qualifying: 500 }, 1);
    expect([p.value, p.qualifying, p.toNext, p.percent]).toEqual([9000, 500, 500, 50]);
    const refunded = growthProgress(tiers, 'normal', { lifetime: 100, qualifying: -40 }, 1);
    expect([refunded.qualifying, refunded.toNext, refunded.percent]).toEqual([0, 1000, 0]);
  });

  it('rounds yuan still needed up when a yuan earns more than one growth', () => {
    expect(growthProgress(tiers, 'normal', { lifetime: 0, qualifying: 0 }, 3).yuanToNext).toBe(334);
  });

  it('has no yuan figure when spending earns no growth', () => {
    expect(growthProgress(tiers, 'normal', { lifetime: 0, qualifying: 0 }, 0).yuanToNext).toBeNull();
  });
});

describe('tiersCrossed', () => {
  it('lists every tier an upgrade passes into, lowest first', () => {
    expect(tiersCrossed(tiers, 'normal', 'gold').map((t) => t.code)).toEqual(['silver', 'gold']);
    expect(tiersCrossed(tiers, 'silver', 'diamond').map((t) => t.code)).toEqual(['gold', 'diamond']);
    expect(tiersCrossed(tiers, 'gold', 'gold')).toEqual([]);
    expect(tiersCrossed(tiers, 'gold', 'silver')).toEqual([]);
  });
});

describe('tierAfterReview', () => {
  it.each([
    // current, qualifying growth, max drop, after
    ['gold', 5000, 1, 'gold'], // still meets the threshold: kept
    ['gold', 4999, 1, 'silver'],
    ['diamond', 0, 1, 'gold'], // below two thresholds: still one tier per review
    ['gold', 200, 1, 'silver'],
    ['diamond', 0, 2, 'silver'],
    ['diamond', 3000, 3, 'silver'], // never below what the growth earns
    ['silver', -50, 1, 'normal'], // refund reversals can leave it negative
    ['normal', 0, 1, 'normal'],
  ])('%s with %i qualifying growth, at most %i down → %s', (current, growth, maxDrop, code) => {
    expect(tierAfterReview(tiers, current, growth, maxDrop).code).toBe(code);
  });
});

describe('review periods (business quarters, Asia/Shanghai)', () => {
  const tz = 'Asia/Shanghai';
  it('names the quarter an instant falls in by the business calendar', () => {
    expect(reviewPeriodOf(new Date('2026-11-23T06:00:00Z'), tz)).toEqual({ key: '2026-Q4', startsAt: new Date('2026-09-30T16:00:00Z') });
    // 2026-12-31 17:00 UTC is already 1 January 2027 in Shanghai
    expect(reviewPeriodOf(new Date('2026-12-31T17:00:00Z'), tz).key).toBe('2027-Q1');
    expect(reviewPeriodOf(new Date('2026-03-31T15:59:59Z'), tz).key).toBe('2026-Q1');
  });

  it('puts the next review at the start of the following quarter', () => {
    expect(nextReviewAt(new Date('2026-11-23T06:00:00Z'), tz)).toEqual(new Date('2026-12-31T16:00:00Z'));
    expect(nextReviewAt(new Date('2026-02-10T00:00:00Z'), tz)).toEqual(new Date('2026-03-31T16:00:00Z'));
    expect(nextReviewAt(new Date('2026-09-30T16:00:00Z'), tz)).toEqual(new Date('2026-12-31T16:00:00Z'));
  });
});

describe('keepTier (保级)', () => {
  it('is what is still missing from the threshold of the current tier at the review', () => {
    expect(keepTier(tiers, 'gold', 3200)).toEqual({ tierCode: 'gold', tierName: '金卡会员', needed: 1800 });
    expect(keepTier(tiers, 'gold', 7000)?.needed).toBe(0);
    expect(keepTier(tiers, 'silver', -20)?.needed).toBe(1020);
  });

  it('is nothing for the lowest tier', () => {
    expect(keepTier(tiers, 'normal', 0)).toBeNull();
  });
});

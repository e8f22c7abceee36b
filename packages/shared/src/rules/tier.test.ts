import { describe, expect, it } from '@jest/globals';
import { growthProgress, tierAfterGrowth, tierAtLeast, tierForGrowth, tiersCrossed } from './tier';
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
    const p = growthProgress(tiers, tier, growth, 1);
    expect(p.percent).toBe(percent);
    expect(p.toNext).toBe(toNext);
    expect(p.nextTier?.code ?? null).toBe(next);
    expect(p.yuanToNext).toBe(yuan);
    expect(p.value).toBe(growth);
  });

  it('rounds yuan still needed up when a yuan earns more than one growth', () => {
    expect(growthProgress(tiers, 'normal', 0, 3).yuanToNext).toBe(334);
  });

  it('has no yuan figure when spending earns no growth', () => {
    expect(growthProgress(tiers, 'normal', 0, 0).yuanToNext).toBeNull();
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

import type { TierConfig } from '../config/loyalty.schema';

/**
 * The tier a growth value qualifies for: the highest tier whose `growthMin` it reaches.
 * Reads `tiers` (ascending by `growthMin`, validated at start-up).
 */
export function tierForGrowth(tiers: readonly TierConfig[], growth: number): TierConfig {
  let best = tiers[0];
  for (const t of tiers) if (growth >= t.growthMin) best = t;
  return best;
}

/** Position of a tier code in the ascending tier list; throws on an unknown code. */
export function tierRank(tiers: readonly TierConfig[], code: string): number {
  const i = tiers.findIndex((t) => t.code === code);
  if (i < 0) throw new Error(`unknown tier ${code}`);
  return i;
}

/** The configured tier with this code (`tiers`); throws on an unknown code. */
export function tierByCode(tiers: readonly TierConfig[], code: string): TierConfig {
  return tiers[tierRank(tiers, code)];
}

/** True when `code` ranks at or above `minimum` (for tier-gated items and coupons). */
export function tierAtLeast(tiers: readonly TierConfig[], code: string, minimum: string): boolean {
  return tierRank(tiers, code) >= tierRank(tiers, minimum);
}

/**
 * Immediate upgrade rule: the tier a member moves to after growth changes. Growth only ever
 * lifts a tier here; drops wait for the quarterly review (a job of the operations work).
 */
export function tierAfterGrowth(tiers: readonly TierConfig[], currentCode: string, growth: number): TierConfig {
  const earned = tierForGrowth(tiers, growth);
  return tierRank(tiers, earned.code) > tierRank(tiers, currentCode) ? earned : tierByCode(tiers, currentCode);
}

/**
 * The tiers an upgrade from `fromCode` to `toCode` passes into, lowest first, `toCode` included:
 * each brings its upgrade gift (`tiers[].upgradeGiftTemplate`), so 普通 → 金卡 brings both the
 * 银卡 and the 金卡 gifts. Empty when `toCode` is not above `fromCode`.
 */
export function tiersCrossed(tiers: readonly TierConfig[], fromCode: string, toCode: string): TierConfig[] {
  return tiers.slice(tierRank(tiers, fromCode) + 1, tierRank(tiers, toCode) + 1);
}

export interface GrowthProgress {
  value: number;
  currentTierMin: number;
  nextTier: { code: string; name: string } | null;
  nextTierMin: number | null;
  /** Growth still needed to reach the next tier (0 at the top tier). */
  toNext: number;
  /** Whole percent of the way from the current tier's threshold to the next (100 at the top). */
  percent: number;
  /** Yuan of spending that earns `toNext` growth at `growth.perYuanPaid`; null when spending earns none. */
  yuanToNext: number | null;
}

/**
 * The member-center progress bar: where a member stands between their tier's threshold and the
 * next tier's, and how much growth (and spending, at `growth.perYuanPaid`) is still needed.
 */
export function growthProgress(tiers: readonly TierConfig[], currentCode: string, growth: number, growthPerYuanPaid: number): GrowthProgress {
  const rank = tierRank(tiers, currentCode);
  const current = tiers[rank];
  const next = rank + 1 < tiers.length ? tiers[rank + 1] : undefined;
  if (!next) {
    return { value: growth, currentTierMin: current.growthMin, nextTier: null, nextTierMin: null, toNext: 0, percent: 100, yuanToNext: 0 };
  }
  const span = next.growthMin - current.growthMin;
  const done = Math.min(Math.max(growth - current.growthMin, 0), span);
  const toNext = Math.max(next.growthMin - growth, 0);
  return {
    value: growth,
    currentTierMin: current.growthMin,
    nextTier: { code: next.code, name: next.name },
    nextTierMin: next.growthMin,
    toNext,
    percent: Math.floor((done * 100) / span),
    yuanToNext: growthPerYuanPaid > 0 ? Math.ceil(toNext / growthPerYuanPaid) : null,
  };
}

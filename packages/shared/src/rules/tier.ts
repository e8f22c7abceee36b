import type { TierConfig } from '../config/loyalty.schema';
import { businessDate, startOfBusinessDay } from './time';

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
 * Immediate upgrade rule: the tier a member moves to after growth changes, decided by qualifying
 * growth (what was earned in the trailing `tierReview.trailingDays`), never by lifetime growth.
 * Growth only ever lifts a tier here; drops wait for the quarterly review (`tierAfterReview`).
 */
export function tierAfterGrowth(tiers: readonly TierConfig[], currentCode: string, qualifyingGrowth: number): TierConfig {
  const earned = tierForGrowth(tiers, qualifyingGrowth);
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

/**
 * The quarterly review rule: the tier is kept while qualifying growth still meets its threshold;
 * otherwise the member drops to the tier that growth earns, but never more than `maxDrop` tiers
 * (`tierReview.maxDropPerReview`) in one review. Never lifts a tier (upgrades are immediate).
 */
export function tierAfterReview(tiers: readonly TierConfig[], currentCode: string, qualifyingGrowth: number, maxDrop: number): TierConfig {
  const rank = tierRank(tiers, currentCode);
  if (qualifyingGrowth >= tiers[rank].growthMin) return tiers[rank];
  const earned = tierRank(tiers, tierForGrowth(tiers, qualifyingGrowth).code);
  return tiers[Math.max(earned, rank - Math.max(1, Math.trunc(maxDrop)), 0)];
}

/** A review period: the business quarter an instant falls in (`2026-Q4`) and the instant it began. */
export interface ReviewPeriod {
  key: string;
  startsAt: Date;
}

/** The business quarter containing `instant` in `timeZone`: its key and first instant (quarters start in January, April, July and October). */
export function reviewPeriodOf(instant: Date, timeZone: string): ReviewPeriod {
  const day = businessDate(instant, timeZone);
  const year = Number(day.slice(0, 4));
  const quarter = Math.floor((Number(day.slice(5, 7)) - 1) / 3);
  return { key: `${year}-Q${quarter + 1}`, startsAt: startOfBusinessDay(`${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01`, timeZone) };
}

/** The next review after `instant`: the start of the following business quarter. */
export function nextReviewAt(instant: Date, timeZone: string): Date {
  const day = businessDate(instant, timeZone);
  const year = Number(day.slice(0, 4));
  const nextQuarter = Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
  return nextQuarter === 4
    ? startOfBusinessDay(`${year + 1}-01-01`, timeZone)
    : startOfBusinessDay(`${year}-${String(nextQuarter * 3 + 1).padStart(2, '0')}-01`, timeZone);
}

export interface KeepTier {
  tierCode: string;
  tierName: string;
  /** Growth still to earn before the review to keep the tier (0: already kept). */
  needed: number;
}

/**
 * 保级: what keeps the current tier at the next review. `countingAtReview` is the growth already
 * earned that will still be inside the trailing window on the review date (qualifying growth now
 * minus what ages out before then). Null for the lowest tier, which has nothing to keep.
 */
export function keepTier(tiers: readonly TierConfig[], currentCode: string, countingAtReview: number): KeepTier | null {
  const rank = tierRank(tiers, currentCode);
  if (rank === 0) return null;
  const t = tiers[rank];
  return { tierCode: t.code, tierName: t.name, needed: Math.max(0, t.growthMin - countingAtReview) };
}

export interface GrowthProgress {
  /** Lifetime growth (shown; tiers follow `qualifying`). */
  value: number;
  /** Qualifying growth: earned in the trailing window, what tiers are decided by (never below 0 here). */
  qualifying: number;
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
 * The member-center progress bar: where a member's qualifying growth stands between their tier's
 * threshold and the next tier's, and how much growth (and spending, at `growth.perYuanPaid`) is
 * still needed. Lifetime growth is carried along for display only.
 */
export function growthProgress(
  tiers: readonly TierConfig[],
  currentCode: string,
  figures: { lifetime: number; qualifying: number },
  growthPerYuanPaid: number,
): GrowthProgress {
  const rank = tierRank(tiers, currentCode);
  const current = tiers[rank];
  const next = rank + 1 < tiers.length ? tiers[rank + 1] : undefined;
  const growth = Math.max(figures.qualifying, 0);
  const shown = { value: figures.lifetime, qualifying: growth };
  if (!next) {
    return { ...shown, currentTierMin: current.growthMin, nextTier: null, nextTierMin: null, toNext: 0, percent: 100, yuanToNext: 0 };
  }
  const span = next.growthMin - current.growthMin;
  const done = Math.min(Math.max(growth - current.growthMin, 0), span);
  const toNext = Math.max(next.growthMin - growth, 0);
  return {
    ...shown,
    currentTierMin: current.growthMin,
    nextTier: { code: next.code, name: next.name },
    nextTierMin: next.growthMin,
    toNext,
    percent: Math.floor((done * 100) / span),
    yuanToNext: growthPerYuanPaid > 0 ? Math.ceil(toNext / growthPerYuanPaid) : null,
  };
}

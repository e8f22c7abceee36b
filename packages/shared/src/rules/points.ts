import type { CampaignConfig, LoyaltyConfig } from '../config/loyalty.schema';
import { addDays, businessDate } from './time';

/**
 * A campaign as the earning rule reads it: the configured ones (a day of every month) and those
 * operators create, which may also be limited to a window of business days (`from`…`to`,
 * inclusive, `YYYY-MM-DD`) and may run every day of it (no `dayOfMonth`).
 */
export interface CampaignRule extends Omit<CampaignConfig, 'dayOfMonth'> {
  dayOfMonth?: number;
  from?: string;
  to?: string;
}

/** Whether a campaign runs on a business day (`YYYY-MM-DD`) for a tier. */
export function campaignRunsOn(c: CampaignRule, day: string, tierCode: string): boolean {
  if (c.dayOfMonth !== undefined && c.dayOfMonth !== Number(day.slice(8, 10))) return false;
  if (c.from !== undefined && day < c.from) return false;
  if (c.to !== undefined && day > c.to) return false;
  return !c.tiers || c.tiers.includes(tierCode);
}

/**
 * Campaign multiplier for points earned at `instant` by a member of `tierCode`: the highest
 * multiplier among campaigns running that business day for that tier (multipliers never stack),
 * or 1. Reads `campaigns` and `businessTimeZone`.
 */
export function pointsMultiplier(campaigns: readonly CampaignRule[], tierCode: string, instant: Date, timeZone: string): number {
  const day = businessDate(instant, timeZone);
  let best = 1;
  for (const c of campaigns) {
    if (!campaignRunsOn(c, day, tierCode)) continue;
    best = Math.max(best, c.multiplier);
  }
  return best;
}

export interface PaymentEarnings {
  points: number;
  growth: number;
  multiplier: number;
}

/**
 * Points and growth earned by cash actually paid (after every discount), in cents. Points are
 * `floor(yuan × points.perYuanPaid)` then multiplied by the campaign multiplier and floored again;
 * growth is `floor(yuan × growth.perYuanPaid)` and never multiplied.
 */
export function earnForPayment(paidCents: number, multiplier: number, config: Pick<LoyaltyConfig, 'points' | 'growth'>): PaymentEarnings {
  if (!Number.isInteger(paidCents) || paidCents <= 0) return { points: 0, growth: 0, multiplier };
  const basePoints = Math.floor((paidCents * config.points.perYuanPaid) / 100);
  return {
    points: Math.floor(basePoints * multiplier),
    growth: Math.floor((paidCents * config.growth.perYuanPaid) / 100),
    multiplier,
  };
}

/**
 * The most points a member may spend on an amount due (after tier discount and coupon):
 * at most `spend.maxPercentOfDue` percent of it, in whole yuan (`spend.pointsPerYuan` points each),
 * never more than the balance allows. A zero or negative balance allows nothing.
 */
export function maxPointsUsable(dueCents: number, balance: number, spend: LoyaltyConfig['spend']): number {
  if (dueCents <= 0 || balance <= 0) return 0;
  const capYuan = Math.floor(Math.floor((dueCents * spend.maxPercentOfDue) / 100) / 100);
  const affordableYuan = Math.floor(balance / spend.pointsPerYuan);
  return Math.max(0, Math.min(capYuan, affordableYuan)) * spend.pointsPerYuan;
}

export interface Lot {
  id: string;
  remaining: number;
  earnedAt: Date;
  expiresAt: Date;
}

/** A lot's expiry: `points.lotLifetimeDays` after it was earned. */
export function lotExpiry(earnedAt: Date, lotLifetimeDays: number): Date {
  return addDays(earnedAt, lotLifetimeDays);
}

/** Order in which lots are spent: closest to expiry first, then oldest, then by id for determinism. */
export function compareLotsForSpending(a: Lot, b: Lot): number {
  return a.expiresAt.getTime() - b.expiresAt.getTime() || a.earnedAt.getTime() - b.earnedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface Allocation {
  lotId: string;
  amount: number;
}

/**
 * Spreads a debit over lots, closest to expiry first (FIFO by expiry). Lots already expired at
 * `now` or empty are skipped. Returns the takes per lot and the part no lot could cover.
 *
 * `first` names lots to take from before any other: a refund takes back the points its order
 * earned from the lot that order created, so a purchase and its refund leave the member's other
 * lots (and when they expire) as they were. Without it, the take-back would eat the points closest
 * to expiry and a buy-and-refund would turn expiring points into fresh ones.
 */
export function allocateDebit(
  lots: readonly Lot[],
  amount: number,
  now: Date,
  first: readonly string[] = [],
): { allocations: Allocation[]; shortfall: number } {
  const allocations: Allocation[] = [];
  let left = amount;
  const preferred = new Set(first);
  const order = [...lots].sort((a, b) => Number(preferred.has(b.id)) - Number(preferred.has(a.id)) || compareLotsForSpending(a, b));
  for (const lot of order) {
    if (left <= 0) break;
    if (lot.remaining <= 0 || lot.expiresAt.getTime() <= now.getTime()) continue;
    const take = Math.min(lot.remaining, left);
    allocations.push({ lotId: lot.id, amount: take });
    left -= take;
  }
  return { allocations, shortfall: left };
}

/** Lots whose expiry has passed at `now` and that still hold points: expiry zeroes exactly these remainders. */
export function expiredLots<T extends Lot>(lots: readonly T[], now: Date): T[] {
  return lots.filter((l) => l.remaining > 0 && l.expiresAt.getTime() <= now.getTime()).sort(compareLotsForSpending);
}

/**
 * The member-center warning "N points expire on DATE": the earliest business day within
 * `points.expiryWarningDays` on which live lots expire, and the points expiring that day.
 */
export function upcomingExpiry(lots: readonly Lot[], now: Date, warningDays: number, timeZone: string): { amount: number; on: string } | null {
  const horizon = addDays(now, warningDays).getTime();
  const live = lots.filter((l) => l.remaining > 0 && l.expiresAt.getTime() > now.getTime() && l.expiresAt.getTime() <= horizon);
  if (live.length === 0) return null;
  const first = live.reduce((a, b) => (compareLotsForSpending(a, b) <= 0 ? a : b));
  const on = businessDate(first.expiresAt, timeZone);
  const amount = live.filter((l) => businessDate(l.expiresAt, timeZone) === on).reduce((s, l) => s + l.remaining, 0);
  return { amount, on };
}

/**
 * The "quantified value" hint: at the pace of the last `points.projectionWindowDays` days, the
 * points a member will earn in a year and what they are worth at the counter (`spend.pointsPerYuan`).
 */
export function yearlyProjection(pointsEarnedInWindow: number, config: Pick<LoyaltyConfig, 'points' | 'spend'>): { pointsPerYear: number; worthCents: number } {
  const earned = Math.max(0, pointsEarnedInWindow);
  const pointsPerYear = Math.round((earned * 365) / config.points.projectionWindowDays);
  return { pointsPerYear, worthCents: Math.floor((pointsPerYear * 100) / config.spend.pointsPerYuan) };
}

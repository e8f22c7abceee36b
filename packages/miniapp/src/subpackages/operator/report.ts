import { addBusinessDays, businessDate } from '@member/shared/rules/time';

/** The dashboard's periods: the last 7, 30 or 90 business days, today included. */
export const PERIODS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIODS)[number];

export interface DayRange {
  from: string;
  to: string;
}

/** Today as the store's calendar reads it (the report's days are business days). */
export function businessToday(now: Date, timeZone: string): string {
  return businessDate(now, timeZone);
}

/** The last `days` business days up to and including `today`: 7 → today and the 6 days before. */
export function periodRange(days: number, today: string): DayRange {
  return { from: addBusinessDays(today, -(days - 1)), to: today };
}

export interface MonthRange extends DayRange {
  /** "2026-11" */
  month: string;
  /** "11月" */
  label: string;
}

function lastDayOfMonth(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The `count` calendar months ending with today's, oldest first; each runs from its 1st to its last
 * day, the current month only up to today (the report refuses nothing in the future, but a month's
 * figures should not claim days that have not happened).
 */
export function monthRanges(today: string, count: number): MonthRange[] {
  const [y, m] = today.split('-').map(Number);
  const out: MonthRange[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i;
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    const month2 = String(month).padStart(2, '0');
    const last = lastDayOfMonth(year, month);
    out.push({ month: `${year}-${month2}`, label: `${month}月`, from: `${year}-${month2}-01`, to: i === 0 && today < last ? today : last });
  }
  return out;
}

/**
 * A rate as the API gives it (a fraction, null when nothing was counted) as a percentage with at
 * most one decimal: 0.1234 → "12.3%", 0.5 → "50%", null → "—".
 */
export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  // Whole tenths of a percent, printed with integer arithmetic (no binary-fraction digits).
  const tenths = Math.round(rate * 1000);
  const rest = tenths % 10;
  return `${Math.floor(tenths / 10)}${rest ? `.${rest}` : ''}%`;
}

/**
 * Bar lengths for a bar chart, in percent of the longest bar (the largest value fills the track).
 * Negative values count as zero; all zeros give all zeros (no division by zero). A positive value
 * too small to see still gets a sliver (`minVisible`), so "a little" never looks like "none".
 */
export function barLengths(values: readonly number[], minVisible = 2): number[] {
  const max = Math.max(0, ...values);
  if (max === 0) return values.map(() => 0);
  return values.map((v) => {
    if (v <= 0) return 0;
    const pct = Math.round((v / max) * 1000) / 10;
    return Math.max(pct, minVisible);
  });
}

/** A share of a whole as a fraction (for funnel steps and the tier split); null when the whole is 0. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/**
 * The month grid of the check-in calendar: pure calendar arithmetic on `YYYY-MM` and `YYYY-MM-DD`
 * strings (the business days the BFF sends), never the phone's clock or time zone.
 */

export interface CalendarCell {
  /** `YYYY-MM-DD`, or null for the blanks before the 1st and after the last day. */
  day: string | null;
  /** Day of the month, 1–31 (0 for a blank). */
  date: number;
  checked: boolean;
  today: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Weeks (Monday first) of `month`, each seven cells, marking the days checked in and today. */
export function monthGrid(month: string, checkedDays: readonly string[], today: string): CalendarCell[][] {
  const [y, m] = month.split('-').map(Number);
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const leading = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7; // Monday = 0
  const checked = new Set(checkedDays);
  const cells: CalendarCell[] = Array.from({ length: leading }, () => ({ day: null, date: 0, checked: false, today: false }));
  for (let d = 1; d <= daysInMonth; d++) {
    const day = `${month}-${pad(d)}`;
    cells.push({ day, date: d, checked: checked.has(day), today: day === today });
  }
  while (cells.length % 7) cells.push({ day: null, date: 0, checked: false, today: false });
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}

/** The month `n` months after `month` (negative: before). */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

/** 2026-11 → 2026年11月 */
export function monthTitle(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${y}年${m}月`;
}

export const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

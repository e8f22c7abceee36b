/**
 * Business-calendar helpers. A business day is the calendar date in the configured business time
 * zone (`businessTimeZone`, Asia/Shanghai by default); the server's clock decides it, never the phone.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The business day (`YYYY-MM-DD`) an instant falls on in `timeZone` (the en-CA format is ISO). */
export function businessDate(instant: Date, timeZone: string): string {
  return formatter(timeZone).format(instant);
}

/** Day of the month (1–31) of an instant in `timeZone`; campaigns such as member day key on it. */
export function businessDayOfMonth(instant: Date, timeZone: string): number {
  return Number(businessDate(instant, timeZone).slice(8, 10));
}

const DAY_MS = 86_400_000;

/** `instant` plus a whole number of days (24 h each); lot expiry is measured this way. */
export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * DAY_MS);
}

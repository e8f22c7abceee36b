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

/** The business day an instant falls on, formatted by Intl each time (see `businessDate`). */
function formattedDate(instant: Date, timeZone: string): string {
  return formatter(timeZone).format(instant);
}

/** Per zone, the last business day asked for and the instants it spans: [start, end). */
const lastDay = new Map<string, { day: string; start: number; end: number }>();

/**
 * The business day (`YYYY-MM-DD`) an instant falls on in `timeZone` (the en-CA format is ISO).
 * Hot paths ask this many times a request, nearly always about today, and Intl formatting costs
 * microseconds each time: so each zone remembers the span of the last day it answered — its
 * start and the next day's, found by `startOfBusinessDay` — and an instant inside it is answered
 * from there, exactly as Intl would.
 */
export function businessDate(instant: Date, timeZone: string): string {
  const t = instant.getTime();
  const last = lastDay.get(timeZone);
  if (last && t >= last.start && t < last.end) return last.day;
  const day = formattedDate(instant, timeZone);
  let span: { start: number; end: number };
  try {
    span = { start: startOfBusinessDay(day, timeZone).getTime(), end: startOfBusinessDay(addBusinessDays(day, 1), timeZone).getTime() };
  } catch {
    return day; // a day at the calendar's edges (years 0–99, 9999-12-31): answered, not remembered
  }
  if (t >= span.start && t < span.end && isPlainDay(day, span, timeZone)) lastDay.set(timeZone, { day, ...span });
  return day;
}

/**
 * Whether every instant of [start, end) is on `day` and only those are: the instant before `start`
 * and the one at `end` are on other days, the last one is on it, and the zone's offset is the same
 * at both ends (no clock change inside the day, where Intl may repeat or skip part of a day). Only
 * such days are remembered; a day with a clock change is always asked of Intl.
 */
function isPlainDay(day: string, span: { start: number; end: number }, timeZone: string): boolean {
  return (
    formattedDate(new Date(span.start - 1), timeZone) !== day &&
    formattedDate(new Date(span.end - 1), timeZone) === day &&
    formattedDate(new Date(span.end), timeZone) !== day &&
    zoneOffsetMs(span.start, timeZone) === zoneOffsetMs(span.end - 1, timeZone)
  );
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

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in milliseconds (Asia/Shanghai: +8 h). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instant))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a business day (`YYYY-MM-DD`) begins in `timeZone`: its first millisecond at
 * 00:00 local time (or the first local time after midnight that exists, on a DST change at
 * midnight). Daily and monthly counts (the interaction caps) start here.
 */
export function startOfBusinessDay(day: string, timeZone: string): Date {
  const key = `${timeZone} ${day}`;
  const known = dayStarts.get(key);
  if (known !== undefined) return new Date(known);
  const start = findStartOfBusinessDay(day, timeZone);
  // Pure, and asked about a few days again and again (today, this month, the next review): a
  // bounded memo, emptied when full.
  if (dayStarts.size >= DAY_STARTS_KEPT) dayStarts.clear();
  dayStarts.set(key, start.getTime());
  return start;
}

const dayStarts = new Map<string, number>();
const DAY_STARTS_KEPT = 1000;

function findStartOfBusinessDay(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const midnight = new Date(0);
  midnight.setUTCFullYear(y, m - 1, d);
  const midnightAsUtc = midnight.getTime();
  if (Number.isNaN(midnightAsUtc)) throw new RangeError(`not a business day: ${day}`);
  // Two rounds settle a zone whose offset differs between UTC midnight and local midnight.
  let guess = midnightAsUtc - zoneOffsetMs(midnightAsUtc, timeZone);
  guess = midnightAsUtc - zoneOffsetMs(guess, timeZone);
  // A DST gap at midnight: local midnight does not exist; the day starts at the first instant that
  // is on it. A gap is at most a day long: never walk further (a day that cannot be found throws).
  for (let step = 0; formattedDate(new Date(guess), timeZone) !== day; step++) {
    if (step >= 96) throw new RangeError(`cannot find the start of ${day} in ${timeZone}`);
    guess += 15 * 60_000;
  }
  // Clocks turned back to midnight (a fall-back at 00:00): local midnight happens twice and the day
  // starts at the first; walk back while the instant before is still on the day.
  for (let step = 0; step < 96 && formattedDate(new Date(guess - 15 * 60_000), timeZone) === day; step++) guess -= 15 * 60_000;
  return new Date(guess);
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock time (`HH:mm`, 24-hour) of an instant in `timeZone`. The formatter is made once
 * per zone: making one costs about as much as a small SQL statement, and the counter's points
 * notice reads this on every order.
 */
export function businessTimeOfDay(instant: Date, timeZone: string): string {
  let f = timeFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormatters.set(timeZone, f);
  }
  return f.format(instant);
}

/** The business month (`YYYY-MM`) an instant falls in, in `timeZone`. */
export function businessMonth(instant: Date, timeZone: string): string {
  return businessDate(instant, timeZone).slice(0, 7);
}

/** The business day `n` calendar days after `day` (negative: before); pure calendar arithmetic. */
export function addBusinessDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The instants where the business day and the business month containing `instant` begin. */
export function businessPeriodStarts(instant: Date, timeZone: string): { day: Date; month: Date } {
  const day = businessDate(instant, timeZone);
  return { day: startOfBusinessDay(day, timeZone), month: startOfBusinessDay(`${day.slice(0, 7)}-01`, timeZone) };
}

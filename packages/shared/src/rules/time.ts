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
  for (let step = 0; businessDate(new Date(guess), timeZone) !== day; step++) {
    if (step >= 96) throw new RangeError(`cannot find the start of ${day} in ${timeZone}`);
    guess += 15 * 60_000;
  }
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

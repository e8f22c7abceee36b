import { describe, expect, it } from '@jest/globals';
import { addBusinessDays, businessDate, businessTimeOfDay, businessMonth, businessPeriodStarts, startOfBusinessDay } from './time';

describe('business days in a zone', () => {
  it('starts a Shanghai day at 16:00 UTC the evening before', () => {
    expect(startOfBusinessDay('2026-11-25', 'Asia/Shanghai').toISOString()).toBe('2026-11-24T16:00:00.000Z');
    expect(startOfBusinessDay('2026-01-01', 'Asia/Shanghai').toISOString()).toBe('2025-12-31T16:00:00.000Z');
    // Years 0–99 are not read as 1900–1999 (that looped for ever, hanging the BFF on a report for 0026-11-23).
    expect(() => startOfBusinessDay('0026-11-23', 'Asia/Shanghai')).toThrow(RangeError);
    expect(startOfBusinessDay('9999-12-30', 'Asia/Shanghai').toISOString()).toBe('9999-12-29T16:00:00.000Z');
    expect(startOfBusinessDay('2026-11-25', 'UTC').toISOString()).toBe('2026-11-25T00:00:00.000Z');
  });

  it('follows daylight saving time where the zone has it', () => {
    // New York: EDT (−4) until 1 Nov 2026, EST (−5) after.
    expect(startOfBusinessDay('2026-07-01', 'America/New_York').toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(startOfBusinessDay('2026-12-01', 'America/New_York').toISOString()).toBe('2026-12-01T05:00:00.000Z');
    // Santiago moves its clocks at midnight: on 6 Sep 2026 local midnight does not exist.
    const start = startOfBusinessDay('2026-09-06', 'America/Santiago');
    expect(businessDate(start, 'America/Santiago')).toBe('2026-09-06');
    expect(businessDate(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2026-09-05');
    // Magadan turned its clocks back from 01:00 to 00:00 on 26 Oct 2014: the day starts at the first midnight.
    const twice = startOfBusinessDay('2014-10-26', 'Asia/Magadan');
    expect(twice.toISOString()).toBe('2014-10-25T12:00:00.000Z');
    expect(businessDate(new Date(twice.getTime() - 1), 'Asia/Magadan')).toBe('2014-10-25');
  });

  it('gives the day and month an instant falls in, and where they begin', () => {
    const late = new Date('2026-11-30T16:30:00Z'); // 00:30 on 1 December in Shanghai
    expect(businessMonth(late, 'Asia/Shanghai')).toBe('2026-12');
    expect(businessMonth(late, 'UTC')).toBe('2026-11');
    expect(businessPeriodStarts(late, 'Asia/Shanghai')).toEqual({
      day: new Date('2026-11-30T16:00:00Z'),
      month: new Date('2026-11-30T16:00:00Z'),
    });
    expect(businessPeriodStarts(new Date('2026-11-18T03:00:00Z'), 'Asia/Shanghai')).toEqual({
      day: new Date('2026-11-17T16:00:00Z'),
      month: new Date('2026-10-31T16:00:00Z'),
    });
  });

  it('adds calendar days across months and leap years', () => {
    expect(addBusinessDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addBusinessDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addBusinessDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addBusinessDays('2026-11-25', 0)).toBe('2026-11-25');
  });
});

describe('businessDate answered from the remembered day', () => {
  const fresh = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

  it('agrees with Intl minute by minute across midnights and daylight-saving changes, going forwards and back', () => {
    const cases: [string, string, string][] = [
      ['America/New_York', '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z'], // spring forward at 02:00
      ['America/New_York', '2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z'], // fall back at 02:00
      ['America/Santiago', '2026-09-04T00:00:00Z', '2026-09-08T00:00:00Z'], // no local midnight on 6 Sep
      ['Australia/Lord_Howe', '2026-04-03T00:00:00Z', '2026-04-07T00:00:00Z'], // a half-hour change
      ['Asia/Shanghai', '2026-11-29T00:00:00Z', '2026-12-02T00:00:00Z'],
      // Clocks turned back to midnight east of UTC: local midnight happens twice.
      ['Asia/Magadan', '2014-10-24T00:00:00Z', '2014-10-27T00:00:00Z'],
      ['Antarctica/Vostok', '2023-12-16T00:00:00Z', '2023-12-19T00:00:00Z'],
      ['Europe/Bucharest', '1991-09-27T00:00:00Z', '1991-09-30T00:00:00Z'],
      // A fall-back at 00:01: the date goes back to the day before for an hour.
      ['America/St_Johns', '2006-10-27T00:00:00Z', '2006-10-31T00:00:00Z'],
    ];
    for (const [zone, from, to] of cases) {
      const times: number[] = [];
      for (let t = Date.parse(from); t < Date.parse(to); t += 7 * 60_000) times.push(t);
      // One millisecond either side of every quarter hour too: where day changes fall.
      for (let t = Date.parse(from); t < Date.parse(to); t += 15 * 60_000) times.push(t - 1, t);
      for (const order of [times, [...times].reverse()])
        for (const t of order)
          expect([zone, new Date(t).toISOString(), businessDate(new Date(t), zone)]).toEqual([zone, new Date(t).toISOString(), fresh(new Date(t), zone)]);
    }
  });

  it('still answers at the calendar edges, which it does not remember, and alternates zones correctly', () => {
    for (const iso of ['0026-11-23T12:00:00Z', '9999-12-31T12:00:00Z']) expect(businessDate(new Date(iso), 'UTC')).toBe(fresh(new Date(iso), 'UTC'));
    expect(businessDate(new Date('9999-12-31T12:00:00Z'), 'UTC')).toBe('9999-12-31');
    const at = new Date('2026-11-30T16:30:00Z');
    expect([businessDate(at, 'Asia/Shanghai'), businessDate(at, 'UTC'), businessDate(at, 'Asia/Shanghai')]).toEqual(['2026-12-01', '2026-11-30', '2026-12-01']);
    expect(() => businessDate(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });

  it('remembers day starts without changing them (the returned dates are fresh objects)', () => {
    const a = startOfBusinessDay('2026-11-25', 'Asia/Shanghai');
    a.setTime(0);
    expect(startOfBusinessDay('2026-11-25', 'Asia/Shanghai').toISOString()).toBe('2026-11-24T16:00:00.000Z');
    for (let i = 0; i < 1100; i++) startOfBusinessDay(addBusinessDays('2026-01-01', i), 'UTC');
    expect(startOfBusinessDay('2026-11-25', 'Asia/Shanghai').toISOString()).toBe('2026-11-24T16:00:00.000Z');
  });
});

describe('businessTimeOfDay', () => {
  it('is the 24-hour wall-clock time in the zone, the same from a cached formatter', () => {
    const at = new Date('2026-03-08T16:05:59Z');
    expect(businessTimeOfDay(at, 'Asia/Shanghai')).toBe('00:05');
    expect(businessTimeOfDay(at, 'Asia/Shanghai')).toBe('00:05');
    expect(businessTimeOfDay(at, 'America/New_York')).toBe('12:05');
    expect(businessTimeOfDay(new Date('2026-03-08T06:30:00Z'), 'America/New_York')).toBe('01:30');
    expect(businessTimeOfDay(new Date('2026-03-08T07:30:00Z'), 'America/New_York')).toBe('03:30');
  });
});

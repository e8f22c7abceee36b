import { describe, expect, it } from '@jest/globals';
import { businessDateTime, businessDayDots, chineseDate, parseYuan, thousands, yuan, yuanInput } from './format';

describe('format', () => {
  it.each([
    [0, '¥0.00'],
    [1200, '¥12.00'],
    [12850, '¥128.50'],
    [1250, '¥12.50'],
    [1205, '¥12.05'],
    [99, '¥0.99'],
    [29, '¥0.29'],
    [123450, '¥1,234.50'],
    [372000, '¥3,720.00'],
    [-300, '-¥3.00'],
  ])('yuan(%i) → %s, always two decimals', (c, s) => expect(yuan(c)).toBe(s));

  it.each([
    [17000, '170.00'],
    [12345678, '123456.78'],
    [5, '0.05'],
  ])('yuanInput(%i) → %s (parses back)', (c, s) => {
    expect(yuanInput(c)).toBe(s);
    expect(parseYuan(s)).toBe(c);
  });

  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [-1234567, '-1,234,567'],
  ])('thousands(%i) → %s', (n, s) => expect(thousands(n)).toBe(s));

  it('writes times in the business time zone, not the phone’s', () => {
    expect(businessDateTime('2026-11-20T16:05:00.000Z', 'Asia/Shanghai')).toBe('2026-11-21 00:05');
    expect(businessDateTime('2026-11-20T04:00:00.000Z', 'Asia/Shanghai')).toBe('2026-11-20 12:00');
    // A coupon valid to the end of 20 Nov in Shanghai reads 20 Nov, not the 19th of a phone in New York.
    expect(businessDayDots('2026-11-20T15:59:59.000Z', 'Asia/Shanghai')).toBe('2026.11.20');
    expect(businessDayDots('2026-01-05T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026.01.06');
  });

  it('writes dates the Chinese way', () => expect(chineseDate('2027-01-10')).toBe('2027年1月10日'));
});

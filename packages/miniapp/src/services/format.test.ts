import { describe, expect, it } from '@jest/globals';
import { chineseDate, thousands, yuan } from './format';

describe('format', () => {
  it.each([
    [0, '¥0'],
    [1200, '¥12'],
    [1250, '¥12.5'],
    [1205, '¥12.05'],
    [99, '¥0.99'],
  ])('yuan(%i) → %s', (c, s) => expect(yuan(c)).toBe(s));

  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [-1234567, '-1,234,567'],
  ])('thousands(%i) → %s', (n, s) => expect(thousands(n)).toBe(s));

  it('writes dates the Chinese way', () => expect(chineseDate('2027-01-10')).toBe('2027年1月10日'));
});

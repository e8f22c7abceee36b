import { describe, expect, it } from '@jest/globals';
import { parseYuanToCents } from './money';

describe('parseYuanToCents', () => {
  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['12.50', 1250],
    ['0.01', 1],
    ['0', 0],
    ['0.5', 50],
    [' 99.99 ', 9999],
    ['99999999.99', 9_999_999_999],
  ])('%j is %i cents', (text, cents) => expect(parseYuanToCents(text)).toBe(cents));

  it.each([
    ['1e9', 'an exponent (a lenient field would make it ¥19)'],
    ['12.345', 'more than two decimals'],
    ['-1', 'a sign'],
    ['+1', 'a sign'],
    ['', 'nothing'],
    ['   ', 'only blanks'],
    ['１２', 'full-width digits'],
    ['0x10', 'hexadecimal'],
    ['1,000', 'grouping'],
    ['12.', 'an unfinished decimal'],
    ['.5', 'no whole part'],
    ['05', 'a leading zero'],
    ['Infinity', 'not a number'],
    ['NaN', 'not a number'],
    ['1 000', 'inner blanks'],
    ['¥12', 'a currency sign'],
    ['100000000', 'nine whole digits'],
    ['١٢', 'other scripts’ digits'],
  ])('%j is an error (%s)', (text) => expect(parseYuanToCents(text)).toBeNull());
});

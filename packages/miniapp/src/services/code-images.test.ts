import { describe, expect, it } from '@jest/globals';
import { asciiToBase64, barcodeSvg, code128Bars, groupDigits, qrSvg } from './code-images';

describe('code128Bars (set C)', () => {
  const bars = code128Bars('482019337514050471');

  it('starts with START C and ends with the stop pattern', () => {
    expect(bars.startsWith('11010011100')).toBe(true);
    expect(bars.endsWith('1100011101011')).toBe(true);
  });

  it('has start + 9 digit pairs + checksum of 11 modules each, and a 13-module stop', () => {
    expect(bars).toHaveLength(11 * (1 + 9 + 1) + 13);
  });

  it('ends with the right check symbol', () => {
    // (105 + 1·48 + 2·20 + 3·19 + 4·33 + 5·75 + 6·14 + 7·5 + 8·4 + 9·71) mod 103 = 2 → 11001100110
    expect(bars.slice(110, 121)).toBe('11001100110');
  });

  it('refuses an odd number of digits', () => {
    expect(() => code128Bars('123')).toThrow();
  });

  it('draws every bar as a filled rectangle', () => {
    const svg = barcodeSvg('482019337514050471');
    const runs = bars.match(/1+/g)!.length;
    expect(svg.match(/M\d+ 0h\d+v60h-\d+z/g)).toHaveLength(runs);
  });
});

describe('qrSvg', () => {
  it('draws a version-1 symbol (21 modules) plus a 4-module quiet zone for 18 digits', () => {
    const svg = qrSvg('482019337514050471');
    expect(svg).toContain('viewBox="0 0 29 29"');
    // The top-left finder pattern: a 7-module dark run on its first row.
    expect(svg).toContain('M4 4h7v1h-7z');
  });
});

describe('asciiToBase64', () => {
  it.each(['', 'a', 'ab', 'abc', '<svg xmlns="http://www.w3.org/2000/svg"/>'])('matches Buffer for %j', (s) => {
    expect(asciiToBase64(s)).toBe(Buffer.from(s, 'ascii').toString('base64'));
  });
});

describe('groupDigits', () => {
  it('groups 18 digits 4-4-4-4-2', () => {
    expect(groupDigits('482019337514050471')).toBe('4820 1933 7514 0504 71');
  });
});

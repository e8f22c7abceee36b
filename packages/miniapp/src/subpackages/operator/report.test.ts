import { describe, expect, it } from '@jest/globals';
import { barLengths, monthRanges, percent, periodRange, share } from './report';

describe('period ranges', () => {
  it('the last 7 / 30 / 90 days end today and include it', () => {
    expect(periodRange(7, '2026-11-23')).toEqual({ from: '2026-11-17', to: '2026-11-23' });
    expect(periodRange(30, '2026-11-23')).toEqual({ from: '2026-10-25', to: '2026-11-23' });
    expect(periodRange(90, '2026-03-01')).toEqual({ from: '2025-12-02', to: '2026-03-01' });
  });

  it('six months ending with the current one, across a year end, the current month up to today', () => {
    expect(monthRanges('2026-02-10', 6)).toEqual([
      { month: '2025-09', label: '9月', from: '2025-09-01', to: '2025-09-30' },
      { month: '2025-10', label: '10月', from: '2025-10-01', to: '2025-10-31' },
      { month: '2025-11', label: '11月', from: '2025-11-01', to: '2025-11-30' },
      { month: '2025-12', label: '12月', from: '2025-12-01', to: '2025-12-31' },
      { month: '2026-01', label: '1月', from: '2026-01-01', to: '2026-01-31' },
      { month: '2026-02', label: '2月', from: '2026-02-01', to: '2026-02-10' },
    ]);
  });

  it('February of a leap year ends on the 29th; the last day of a month is the whole month', () => {
    expect(monthRanges('2028-03-31', 2)).toEqual([
      { month: '2028-02', label: '2月', from: '2028-02-01', to: '2028-02-29' },
      { month: '2028-03', label: '3月', from: '2028-03-01', to: '2028-03-31' },
    ]);
  });
});

describe('rates as percentages', () => {
  it('one decimal at most, none when whole', () => {
    expect(percent(0.1234)).toBe('12.3%');
    expect(percent(0.5)).toBe('50%');
    expect(percent(1)).toBe('100%');
    expect(percent(0)).toBe('0%');
    expect(percent(0.0005)).toBe('0.1%');
    expect(percent(0.3333)).toBe('33.3%');
  });

  it('nothing counted is a dash, not 0%', () => {
    expect(percent(null)).toBe('—');
    expect(percent(undefined)).toBe('—');
  });

  it('a share of nothing is null', () => {
    expect(share(3, 4)).toBe(0.75);
    expect(share(0, 0)).toBeNull();
  });
});

describe('chart scaling', () => {
  it('the largest value fills the track, the others in proportion', () => {
    expect(barLengths([50, 100, 25])).toEqual([50, 100, 25]);
    expect(barLengths([1, 3])).toEqual([33.3, 100]);
  });

  it('all zeros stay zero (no division by zero); negatives count as zero', () => {
    expect(barLengths([0, 0, 0])).toEqual([0, 0, 0]);
    expect(barLengths([])).toEqual([]);
    expect(barLengths([-5, 10])).toEqual([0, 100]);
  });

  it('a tiny positive value still shows a sliver', () => {
    expect(barLengths([1, 10_000])).toEqual([2, 100]);
    expect(barLengths([1, 10_000], 0)).toEqual([0, 100]);
  });
});

import { describe, expect, it } from '@jest/globals';
import { monthGrid, monthTitle, shiftMonth } from './calendar';

describe('check-in calendar', () => {
  it('lays a month out in Monday-first weeks with the checked days and today marked', () => {
    // 1 November 2026 is a Sunday: six blanks before it; 30 days; five weeks and a half.
    const weeks = monthGrid('2026-11', ['2026-11-01', '2026-11-24'], '2026-11-25');
    expect(weeks).toHaveLength(6);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    expect(weeks[0].map((c) => c.date)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(weeks[0][6]).toEqual({ day: '2026-11-01', date: 1, checked: true, today: false });
    const cells = weeks.flat().filter((c) => c.day);
    expect(cells).toHaveLength(30);
    expect(cells.filter((c) => c.checked).map((c) => c.day)).toEqual(['2026-11-01', '2026-11-24']);
    expect(cells.filter((c) => c.today).map((c) => c.day)).toEqual(['2026-11-25']);
  });

  it('knows February of a leap year and months that start on a Monday', () => {
    expect(
      monthGrid('2028-02', [], '2028-02-01')
        .flat()
        .filter((c) => c.day),
    ).toHaveLength(29);
    expect(monthGrid('2027-02', [], '2027-02-01')[0][0].date).toBe(1); // 1 February 2027 is a Monday
  });

  it('moves between months and names them', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(monthTitle('2026-11')).toBe('2026年11月');
  });
});

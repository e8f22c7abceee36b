import { describe, expect, it } from '@jest/globals';
import { testConfig } from '../../test/test-config';
import { checkinOn, currentStreak, cycleDay, nextCheckin } from './checkin';

const rules = testConfig.checkin; // 5 points + 2 growth, a 7-day cycle, 20 bonus points on day 7

describe('check-in streaks', () => {
  it('continues a streak from yesterday, starts afresh after a gap or on the first check-in', () => {
    expect(checkinOn('2026-11-25', null, rules)).toEqual({ streak: 1, points: 5, growth: 2, bonus: 0 });
    expect(checkinOn('2026-11-25', { day: '2026-11-24', streak: 3 }, rules)).toEqual({ streak: 4, points: 5, growth: 2, bonus: 0 });
    expect(checkinOn('2026-11-25', { day: '2026-11-23', streak: 3 }, rules)).toEqual({ streak: 1, points: 5, growth: 2, bonus: 0 });
    expect(checkinOn('2026-03-01', { day: '2026-02-28', streak: 1 }, rules).streak).toBe(2);
  });

  it('pays the bonus on the last day of each cycle, and only then', () => {
    const bonusDays = Array.from({ length: 21 }, (_, i) => i + 1).filter((s) => checkinOn('2026-11-25', { day: '2026-11-24', streak: s - 1 }, rules).bonus > 0);
    expect(bonusDays).toEqual([7, 14, 21]);
    expect(checkinOn('2026-11-25', { day: '2026-11-24', streak: 6 }, rules)).toEqual({ streak: 7, points: 25, growth: 2, bonus: 20 });
    expect([0, 1, 6, 7, 8, 14].map((s) => cycleDay(s, rules))).toEqual([0, 1, 6, 7, 1, 7]);
  });

  it('reports a streak broken by a missed day as 0', () => {
    expect(currentStreak(null, '2026-11-25')).toBe(0);
    expect(currentStreak({ day: '2026-11-25', streak: 4 }, '2026-11-25')).toBe(4);
    expect(currentStreak({ day: '2026-11-24', streak: 4 }, '2026-11-25')).toBe(4);
    expect(currentStreak({ day: '2026-11-23', streak: 4 }, '2026-11-25')).toBe(0);
  });

  it('tells what the next check-in earns and how far the bonus is', () => {
    expect(nextCheckin(0, rules)).toEqual({ points: 5, growth: 2, bonus: 0, checkinsToBonus: 7 });
    expect(nextCheckin(6, rules)).toEqual({ points: 25, growth: 2, bonus: 20, checkinsToBonus: 1 });
    expect(nextCheckin(7, rules)).toEqual({ points: 5, growth: 2, bonus: 0, checkinsToBonus: 7 });
  });
});

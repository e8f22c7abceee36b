import type { LoyaltyConfig } from '../config/loyalty.schema';
import { addBusinessDays } from './time';

type CheckinRules = LoyaltyConfig['checkin'];

/** The member's latest check-in, as far as streaks care. */
export interface LastCheckin {
  day: string;
  streak: number;
}

/**
 * The streak as of `today`: the latest check-in's streak while it can still go on (checked in
 * today or yesterday), 0 once a day was missed.
 */
export function currentStreak(last: LastCheckin | null, today: string): number {
  if (!last) return 0;
  return last.day === today || last.day === addBusinessDays(today, -1) ? last.streak : 0;
}

/** Where a streak stands in the cycle: 1…`cycleDays`, then 1 again (the bonus is paid on day `cycleDays`). */
export function cycleDay(streak: number, rules: Pick<CheckinRules, 'cycleDays'>): number {
  return streak <= 0 ? 0 : ((streak - 1) % rules.cycleDays) + 1;
}

/** What the check-in that makes a streak of `streak` days earns, before the interaction caps. */
export function checkinReward(streak: number, rules: CheckinRules): { points: number; growth: number; bonus: number } {
  const bonus = cycleDay(streak, rules) === rules.cycleDays ? rules.bonusPoints : 0;
  return { points: rules.points + bonus, growth: rules.growth, bonus };
}

/** The check-in made on `today` after `last`: the streak it makes and its reward (before caps). */
export function checkinOn(today: string, last: LastCheckin | null, rules: CheckinRules): { streak: number; points: number; growth: number; bonus: number } {
  const streak = last && last.day === addBusinessDays(today, -1) ? last.streak + 1 : 1;
  return { streak, ...checkinReward(streak, rules) };
}

/**
 * The next check-in (today's, or tomorrow's when today is done) for a member whose current streak
 * is `streak`: its reward and how many check-ins from here reach the bonus (1: the next one pays it).
 */
export function nextCheckin(streak: number, rules: CheckinRules): { points: number; growth: number; bonus: number; checkinsToBonus: number } {
  const next = streak + 1;
  return { ...checkinReward(next, rules), checkinsToBonus: rules.cycleDays - cycleDay(next, rules) + 1 };
}

import { addDays, reviewPeriodOf } from '@member/shared';
import type { Services } from '../services';
import { runGrowthAging } from './growth-aging';

/**
 * The quarterly tier review, for the business quarter `ctx.now` falls in (scheduled hourly on the
 * first day of each quarter, `jobs.schedules['tier-review']` in runtime.json; a period not started on its first business day is skipped). Ages
 * qualifying growth first, then every member whose qualifying growth is below their tier's
 * threshold drops (at most `tierReview.maxDropPerReview` tiers, one by default) with a `review`
 * entry in their tier history. A review period runs to its end once:
 * re-runs after it finished do nothing (a member who falls below later in the quarter waits for
 * the next review), a re-run after a crash picks up where it stopped, and a member is dropped at
 * most once per period (unique key on the tier history), even by two runs at once.
 */
export async function runTierReview(s: Services, ctx: { now: Date }): Promise<Record<string, number>> {
  const { key: period, startsAt } = reviewPeriodOf(ctx.now, s.loyalty.businessTimeZone);
  const state = await s.repos.members.reviewState(period);
  if (state?.finished) return { members: 0, dropped: 0, skipped: 1 };
  if (!state) {
    // A review starts on the first business day of its quarter only: members are never dropped
    // in the middle of a quarter (say, on the first run after a deployment).
    if (ctx.now >= addDays(startsAt, 1)) {
      s.logger.warn({ job: 'tier-review', period }, 'tier review not started on the first day of its quarter; it waits for the next one');
      return { members: 0, dropped: 0, skipped: 1 };
    }
    await s.repos.members.startReview(period, ctx.now);
  }
  const aging = await runGrowthAging(s, ctx);
  let members = 0;
  let dropped = 0;
  // Highest tier first: a member dropped from 钻石 to 金卡 is seen again under 金卡 and refused by the period key.
  for (const tier of [...s.loyalty.tiers].reverse().slice(0, -1)) {
    let after = '';
    for (;;) {
      const batch = await s.repos.members.belowTier(tier.code, tier.growthMin, after, s.runtime.jobs.growthAgingBatch);
      if (batch.length === 0) break;
      for (const memberId of batch) {
        members++;
        if (await s.points.reviewMember(memberId, period, ctx.now)) dropped++;
      }
      after = batch[batch.length - 1];
    }
  }
  await s.repos.members.finishReview(period, dropped, ctx.now);
  return { members, dropped, aged: aging.members };
}

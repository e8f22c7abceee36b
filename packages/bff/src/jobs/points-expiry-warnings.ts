import { addDays } from '@member/shared';
import type { Services } from '../services';

/**
 * Queues a warning for every lot lapsing within `points.expiryWarningDays` (30), once per lot
 * (dedupe key `points_expiring:<lot>`), in batches. Re-running, or running beside another
 * instance, queues nothing twice.
 */
export async function runPointsExpiryWarnings(s: Services, ctx: { now: Date }): Promise<Record<string, number>> {
  const until = addDays(ctx.now, s.loyalty.points.expiryWarningDays);
  let lots = 0;
  let queued = 0;
  for (;;) {
    const batch = await s.repos.notifications.lotsToWarn(ctx.now, until, s.runtime.jobs.batchSize);
    for (const lot of batch) if (await s.notifications.pointsExpiring(lot)) queued++;
    lots += batch.length;
    // Every lot read now has its warning (queued here or by a concurrent run): the next read moves on.
    if (batch.length < s.runtime.jobs.batchSize) break;
  }
  return { lots, queued };
}

import { addDays } from '@member/shared';
import type { Services } from '../services';

/**
 * Queues a warning for every unused coupon ending within `notifications.couponExpiringDays`, once
 * per coupon (dedupe key `coupon_expiring:<coupon>`), in batches; safe to re-run.
 */
export async function runCouponExpiryWarnings(s: Services, ctx: { now: Date }): Promise<Record<string, number>> {
  const until = addDays(ctx.now, s.runtime.notifications.couponExpiringDays);
  let coupons = 0;
  let queued = 0;
  for (;;) {
    const batch = await s.repos.notifications.couponsToWarn(ctx.now, until, s.runtime.jobs.batchSize);
    for (const c of batch) if (await s.notifications.couponExpiring(c)) queued++;
    coupons += batch.length;
    if (batch.length < s.runtime.jobs.batchSize) break;
  }
  return { coupons, queued };
}

import type { Services } from '../services';

/**
 * Wake-up coupons (`couponEvents.dormant`) for members with no counter order for
 * `couponEvents.dormantAfterDays`, once per dormancy; members in id order, a batch at a time.
 */
export async function runDormantCoupons(s: Services, ctx: { now: Date }): Promise<Record<string, number>> {
  let after = '';
  let members = 0;
  let issued = 0;
  for (;;) {
    const b = await s.occasions.dormantBatch(ctx.now, after, s.runtime.jobs.batchSize);
    members += b.read;
    issued += b.issued;
    if (!b.lastId || b.read < s.runtime.jobs.batchSize) break;
    after = b.lastId;
  }
  return { members, issued };
}

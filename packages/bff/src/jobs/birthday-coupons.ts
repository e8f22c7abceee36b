import type { Services } from '../services';

/**
 * Birthday coupons (`couponEvents.birthday`) for members whose birthday month (business time zone)
 * is now's, once per member per year; members are read in id order, a batch at a time.
 */
export async function runBirthdayCoupons(s: Services, ctx: { now: Date }): Promise<Record<string, number>> {
  let after = '';
  let members = 0;
  let issued = 0;
  for (;;) {
    const b = await s.occasions.birthdayBatch(ctx.now, after, s.runtime.jobs.batchSize);
    members += b.read;
    issued += b.issued;
    if (!b.lastId || b.read < s.runtime.jobs.batchSize) break;
    after = b.lastId;
  }
  return { members, issued };
}

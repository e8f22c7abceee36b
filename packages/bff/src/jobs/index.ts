import { hostname } from 'node:os';
import type { Services } from '../services';
import { runBirthdayCoupons } from './birthday-coupons';
import { runCouponExpiryWarnings } from './coupon-expiry-warnings';
import { runDormantCoupons } from './dormant-coupons';
import { runNotifications } from './notifications';
import { runPointsExpiryWarnings } from './points-expiry-warnings';

export type JobResult = Record<string, number>;

/** Points expiry: settle lapsed lots member by member, in batches; safe to re-run. */
export async function runPointsExpiry(s: Services): Promise<JobResult> {
  let members = 0;
  let points = 0;
  const now = s.clock.now();
  for (;;) {
    const batch = await s.points.membersDueForExpiry(now, s.runtime.jobs.pointsExpiryBatch);
    if (batch.length === 0) break;
    for (const memberId of batch) {
      points += await s.points.expireMember(memberId);
      members++;
    }
  }
  return { members, points };
}

/**
 * Invitations whose first order committed but whose reward did not run (the process stopped in
 * between): settle them. Safe to re-run: an invitation settles once.
 */
export async function runReferralRewards(s: Services): Promise<JobResult> {
  return { settled: await s.referrals.settleStale(60, 200) };
}

export const jobs: Record<string, { everySeconds: number; run: (s: Services) => Promise<JobResult> }> = {
  'points-expiry': { everySeconds: 3600, run: runPointsExpiry },
  'referral-rewards': { everySeconds: 300, run: runReferralRewards },
  notifications: { everySeconds: 60, run: (s) => runNotifications(s, { now: s.clock.now() }) },
  'points-expiry-warnings': { everySeconds: 3600, run: (s) => runPointsExpiryWarnings(s, { now: s.clock.now() }) },
  'coupon-expiry-warnings': { everySeconds: 3600, run: (s) => runCouponExpiryWarnings(s, { now: s.clock.now() }) },
  'birthday-coupons': { everySeconds: 3600, run: (s) => runBirthdayCoupons(s, { now: s.clock.now() }) },
  'dormant-coupons': { everySeconds: 3600, run: (s) => runDormantCoupons(s, { now: s.clock.now() }) },
};

/** Runs each job on its interval in this instance, guarded by a database lease so only one instance works at a time. */
export function startJobs(s: Services): { stop: () => void } {
  const holder = `${hostname()}:${process.pid}`;
  const timers = Object.entries(jobs).map(([name, job]) =>
    setInterval(() => {
      void (async () => {
        const now = s.clock.now();
        if (!(await s.repos.jobLeases.take(name, holder, new Date(now.getTime() + job.everySeconds * 1000), now))) return;
        const result = await job.run(s);
        await s.repos.jobLeases.finished(name, s.clock.now());
        s.logger.info({ job: name, ...result }, 'job finished');
      })().catch((err: unknown) => s.logger.error({ err, job: name }, 'job failed'));
    }, job.everySeconds * 1000),
  );
  for (const t of timers) t.unref();
  return { stop: () => timers.forEach(clearInterval) };
}

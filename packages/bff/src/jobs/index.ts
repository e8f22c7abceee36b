import { hostname } from 'node:os';
import { affectedRows } from '../db/db';
import { JobLeaseEntity } from '../db/entities';
import type { Services } from '../services';

export interface JobResult {
  [k: string]: number;
}

/**
 * Takes the named lease for `seconds` unless another instance holds it: an INSERT for the first
 * run, then a conditional UPDATE that only succeeds when the lease has lapsed. Returns whether
 * this instance may run the job now.
 */
export async function takeLease(s: Services, name: string, holder: string, seconds: number): Promise<boolean> {
  const now = s.clock.now();
  const until = new Date(now.getTime() + seconds * 1000);
  const em = s.db.manager;
  const taken = affectedRows(
    await em
      .createQueryBuilder()
      .update(JobLeaseEntity)
      .set({ holder, leaseUntil: until })
      .where('name = :name AND (lease_until < :now OR holder = :holder)', { name, now, holder })
      .execute(),
  );
  if (taken === 1) return true;
  try {
    await em.insert(JobLeaseEntity, { name, holder, leaseUntil: until, lastRunAt: null });
    return true;
  } catch {
    return false;
  }
}

/** Points expiry: zero lapsed lot remainders member by member, in batches; safe to re-run. */
export async function runPointsExpiry(s: Services): Promise<JobResult> {
  let members = 0;
  let points = 0;
  const now = s.clock.now();
  for (;;) {
    const batch = await s.points.membersWithExpiredLots(now, s.runtime.jobs.pointsExpiryBatch);
    if (batch.length === 0) break;
    for (const memberId of batch) {
      points += await s.points.expireMember(memberId, now);
      members++;
    }
  }
  return { members, points };
}

export const jobs: Record<string, { everySeconds: number; run: (s: Services) => Promise<JobResult> }> = {
  'points-expiry': { everySeconds: 3600, run: runPointsExpiry },
};

/** Runs each job on its interval in this instance, guarded by a database lease so only one instance works at a time. */
export function startJobs(s: Services): { stop: () => void } {
  const holder = `${hostname()}:${process.pid}`;
  const timers = Object.entries(jobs).map(([name, job]) =>
    setInterval(() => {
      void (async () => {
        if (!(await takeLease(s, name, holder, job.everySeconds))) return;
        const result = await job.run(s);
        await s.db.manager.update(JobLeaseEntity, { name }, { lastRunAt: s.clock.now() });
        s.logger.info({ job: name, ...result }, 'job finished');
      })().catch((err: unknown) => s.logger.error({ err, job: name }, 'job failed'));
    }, job.everySeconds * 1000),
  );
  for (const t of timers) t.unref();
  return { stop: () => timers.forEach(clearInterval) };
}

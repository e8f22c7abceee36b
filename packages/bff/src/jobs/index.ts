import type { Services } from '../services';
import { runGrowthAging } from './growth-aging';
import { runTierReview } from './tier-review';
import { runBirthdayCoupons } from './birthday-coupons';
import { runCouponExpiryWarnings } from './coupon-expiry-warnings';
import { runDormantCoupons } from './dormant-coupons';
import { runNotifications } from './notifications';
import { runPointsExpiryWarnings } from './points-expiry-warnings';
import { runReportRollup } from './report-rollup';

/** What a job reports: counts only (rows seen, rows changed…), kept in its run record. */
export type JobResult = Record<string, number>;

/** What a job is given besides the services. Jobs written as `(s, ctx: { now: Date })` fit too. */
export interface JobContext {
  /** The instant the job works as of: the clock's now, or an operator's `asOf` outside production. */
  now: Date;
  /** Aborted when this instance lost the job's lease: a job stops between batches. */
  signal?: AbortSignal;
  /** Keeps ids in the run record beside the counts (the ledger check's members), per kind. */
  report?: (kind: string, ids: readonly string[]) => void;
}

export type Job = (s: Services, ctx: JobContext) => Promise<JobResult>;

/** Most ids one kind keeps in a run record; the count beside them is always exact. */
export const MAX_REPORTED_IDS = 1000;

/**
 * Points expiry: settles lapsed lots member by member (each member in its own transaction, under
 * its row lock), a batch of members at a time. Every expiry is keyed by its lot, so a re-run, a
 * concurrent run or a run after a crash half-way expires nothing twice.
 */
export async function runPointsExpiry(s: Services, ctx: JobContext): Promise<JobResult> {
  let members = 0;
  let points = 0;
  for (;;) {
    ctx.signal?.throwIfAborted();
    const batch = await s.points.membersDueForExpiry(ctx.now, s.runtime.jobs.pointsExpiryBatch);
    if (batch.length === 0) break;
    for (const memberId of batch) {
      points += await s.points.expireMember(memberId, ctx.now);
      members++;
    }
  }
  return { members, points };
}

/** Coupon expiry: unspent coupons past their validity become expired, a batch at a time. */
export async function runCouponExpiry(s: Services, ctx: JobContext): Promise<JobResult> {
  let expired = 0;
  for (;;) {
    ctx.signal?.throwIfAborted();
    const { found, changed } = await s.coupons.expireLapsed(ctx.now, s.runtime.jobs.batchSize);
    if (found === 0) break;
    expired += changed;
  }
  return { expired };
}

/** Coupons locked by a counter quote that lapsed without an order are available again, a batch at a time. */
export async function runCouponLockRelease(s: Services, ctx: JobContext): Promise<JobResult> {
  let released = 0;
  for (;;) {
    ctx.signal?.throwIfAborted();
    const { found, changed } = await s.coupons.releaseStaleLocks(ctx.now, s.runtime.jobs.batchSize);
    if (found === 0) break;
    released += changed;
  }
  return { released };
}

/**
 * Invitations whose first order committed but whose reward did not run (the process stopped in
 * between): settle them, one bounded batch per run. Safe to re-run: an invitation settles once.
 */
export async function runReferralRewards(s: Services, ctx: JobContext): Promise<JobResult> {
  return { settled: await s.referrals.settleStale(60, s.runtime.jobs.batchSize, ctx.now) };
}

/**
 * The ledger invariant check: every member's points balance against the sum of their points
 * ledger and (when not negative) the remainders of their lots, their growth against the sum of
 * their growth ledger, and their qualifying growth against the sum of their growth entries created
 * after qualifying_aged_to (which must be set). Reads members a page at a time by id, one
 * statement a page; changes nothing. The run record keeps the counts and the ids of the members
 * found wrong. Then the KPI summary's counters against a recount from the tables (one snapshot):
 * each counter that differs is reported (`reportCounters`: `metric|day stored≠recounted`), and so
 * is the number of members whose `last_active_at` is not their latest activity.
 */
export async function runLedgerCheck(s: Services, ctx: JobContext): Promise<JobResult> {
  const found = { pointsLedger: [] as string[], lots: [] as string[], growth: [] as string[], qualifyingGrowth: [] as string[] };
  let members = 0;
  let after = '';
  for (;;) {
    ctx.signal?.throwIfAborted();
    const page = await s.repos.ledgerCheck.totalsAfter(after, s.runtime.jobs.batchSize);
    if (page.length === 0) break;
    for (const m of page) {
      if (m.ledgerSum !== m.balance) found.pointsLedger.push(m.id);
      if (m.lotSum !== Math.max(m.balance, 0) || m.negativeLots > 0) found.lots.push(m.id);
      if (m.growthSum !== m.growth) found.growth.push(m.id);
      if (m.agedToMissing || m.qualifyingSum !== m.qualifying) found.qualifyingGrowth.push(m.id);
    }
    members += page.length;
    after = page[page.length - 1].id;
  }
  const wrong = new Set(Object.values(found).flat());
  for (const [kind, ids] of Object.entries(found)) if (ids.length) ctx.report?.(kind, ids.slice(0, MAX_REPORTED_IDS));
  if (wrong.size) s.logger.warn({ job: 'ledger-check', members: [...wrong].slice(0, MAX_REPORTED_IDS) }, 'ledger invariant broken');
  ctx.signal?.throwIfAborted();
  const counters = await s.reports.checkCounters();
  const skewed = counters.counters.map((c) => `${c.key} ${c.stored}≠${c.recounted}`);
  if (skewed.length) ctx.report?.('reportCounters', skewed.slice(0, MAX_REPORTED_IDS));
  if (skewed.length || counters.lastActiveMismatches) {
    s.logger.warn(
      { job: 'ledger-check', counters: skewed.slice(0, MAX_REPORTED_IDS), lastActiveMismatches: counters.lastActiveMismatches },
      'report counters differ from a recount',
    );
  }
  return {
    members,
    wrongMembers: wrong.size,
    pointsLedgerMismatches: found.pointsLedger.length,
    lotMismatches: found.lots.length,
    growthMismatches: found.growth.length,
    qualifyingGrowthMismatches: found.qualifyingGrowth.length,
    reportCounterMismatches: skewed.length,
    lastActiveMismatches: counters.lastActiveMismatches,
  };
}

/**
 * Every job, by name: the one registry the scheduler, the admin route and the tests read. Schedules
 * live in config/runtime.json (`jobs.schedules`); a job without one runs only when asked.
 */
export const jobs: Record<string, Job> = {
  'points-expiry': runPointsExpiry,
  'coupon-expiry': runCouponExpiry,
  'coupon-lock-release': runCouponLockRelease,
  'referral-rewards': runReferralRewards,
  'ledger-check': runLedgerCheck,
  'growth-aging': runGrowthAging,
  'tier-review': runTierReview,
  notifications: runNotifications,
  'points-expiry-warnings': runPointsExpiryWarnings,
  'coupon-expiry-warnings': runCouponExpiryWarnings,
  'birthday-coupons': runBirthdayCoupons,
  'dormant-coupons': runDormantCoupons,
  'report-rollup': runReportRollup,
};

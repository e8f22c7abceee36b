import { Writable } from 'node:stream';
import { describe, expect, it, jest } from '@jest/globals';
import { Cron } from 'croner';
import { createApp } from '../src/app';
import { createDataSource, openDataSource } from '../src/db/data-source';
import { Db } from '../src/db/db';
import { MemberCouponEntity, PointsLedgerEntity, PointsLotEntity, type JobRunRow } from '../src/db/entities';
import { createLogger } from '../src/http/logging';
import { HttpWechatClient } from '../src/integrations/wechat';
import { jobs, runPointsExpiry, type Job } from '../src/jobs';
import { JobRunner } from '../src/jobs/runner';
import { periodOf, startScheduler, tick } from '../src/jobs/scheduler';
import { startTestApp, useTestApp, type TestApp } from './support/test-app';

/**
 * The scheduled jobs as the operations story goes: two instances on one database, runs that race,
 * crash half-way or outlive their instance, and the checks that must find what is wrong and only
 * that. Everything on real MariaDB, the clock pinned by hand.
 */
const t = useTestApp();

/** A second BFF instance on the same database: its own pool, services, runner and log. */
async function secondInstance(app: TestApp) {
  const url = (app.dataSource.options as { url: string }).url;
  const dataSource = await openDataSource(createDataSource({ dbUrl: url, sqlitePath: ':memory:', poolSize: 5 }));
  const logLines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(chunk.toString());
        cb();
      },
    }),
  );
  const wechat = new HttpWechatClient({ baseUrl: app.wechat.baseUrl, appId: app.wechat.appId, secret: app.wechat.secret, timeoutMs: 1000 });
  const built = createApp({ config: app.config, db: new Db(dataSource, 3), wechat, logger, clock: app.clock });
  return { ...built, logger, logLines, close: async () => Promise.all([built.close(), dataSource.destroy()]) };
}

/** A job that waits at a gate: it shows how many runs are inside at once. */
function gatedJob() {
  let inside = 0;
  let most = 0;
  let open: () => void = () => undefined;
  const gate = new Promise<void>((r) => (open = r));
  let entered: () => void = () => undefined;
  const hasEntered = new Promise<void>((r) => (entered = r));
  const job: Job = async () => {
    inside++;
    most = Math.max(most, inside);
    entered();
    await gate;
    inside--;
    return { done: 1 };
  };
  return { job, open, hasEntered, most: () => most };
}

const expireEntries = async (memberId: string) => (await t.dataSource.manager.findBy(PointsLedgerEntity, { memberId, reason: 'expire' })).length;
const balanceOf = async (memberId: string) => Number((await t.dataSource.query('SELECT points_balance AS b FROM members WHERE id = ?', [memberId]))[0].b);

describe('points expiry', () => {
  it('expires each lot exactly once when two runs race', async () => {
    t.clock.set('2024-01-01T00:00:00Z');
    const members = await Promise.all([t.member(), t.member(), t.member()]);
    for (const [i, m] of members.entries()) await t.services.points.credit(m.id, { amount: 10 * (i + 1), reason: 'order', sourceKey: 'race' });
    t.clock.set('2025-01-02T00:00:00Z');
    const ctx = { now: t.clock.now() };
    const [a, b] = await Promise.all([runPointsExpiry(t.services, ctx), runPointsExpiry(t.services, ctx)]);
    expect(a.points + b.points).toBe(60);
    for (const m of members) {
      expect(await expireEntries(m.id)).toBe(1);
      expect(await balanceOf(m.id)).toBe(0);
    }
    // balance = ledger = lots is checked for every member after each test (checkInvariants).
  });

  it('a run that crashes half-way is recorded as failed; the re-run expires the rest, and nothing twice', async () => {
    t.clock.set('2024-02-01T00:00:00Z');
    const members = [];
    for (let i = 0; i < 5; i++) {
      const m = await t.member();
      await t.services.points.credit(m.id, { amount: 7, reason: 'order', sourceKey: 'crash' });
      await t.services.points.credit(m.id, { amount: 5, reason: 'order', sourceKey: 'crash-2' });
      members.push(m);
    }
    t.clock.set('2025-02-02T00:00:00Z');
    const real = t.services.points.expireMember.bind(t.services.points);
    let calls = 0;
    const crash = jest.spyOn(t.services.points, 'expireMember').mockImplementation(async (id, now) => {
      if (++calls > 2) throw new Error('simulated crash after two members');
      return real(id, now);
    });
    const runner = new JobRunner(t.services);
    let failed: JobRunRow;
    try {
      failed = await runner.run('points-expiry', { trigger: 'manual' });
    } finally {
      crash.mockRestore();
    }
    expect(failed).toMatchObject({ outcome: 'failed', error: 'Error: simulated crash after two members' });
    const settled = await Promise.all(members.map((m) => expireEntries(m.id)));
    expect(settled.filter((n) => n === 2)).toHaveLength(2);
    expect(settled.filter((n) => n === 0)).toHaveLength(3);

    const rerun = await runner.run('points-expiry', { trigger: 'manual' });
    expect(rerun).toMatchObject({ outcome: 'ok', error: null });
    expect(JSON.parse(rerun.result!)).toEqual({ members: 3, points: 36 });
    expect(JSON.parse((await runner.run('points-expiry', { trigger: 'manual' })).result!)).toEqual({ members: 0, points: 0 });
    for (const m of members) {
      expect(await expireEntries(m.id)).toBe(2);
      expect(await balanceOf(m.id)).toBe(0);
      const lots = await t.dataSource.manager.findBy(PointsLotEntity, { memberId: m.id });
      expect(lots.map((l) => l.remaining)).toEqual([0, 0]);
    }
  });
});

describe('leases: two instances on one database', () => {
  it('never run the same job at once, however many ticks race for it', async () => {
    const other = await secondInstance(t);
    try {
      const gated = gatedJob();
      const a = new JobRunner(t.services, { 'race-job': gated.job });
      const b = new JobRunner(other.services, { 'race-job': gated.job });
      const runs = [a, b, a, b, a, b].map((r) => tick(r, 'race-job', t.services.logger));
      await gated.hasEntered;
      await expect(b.run('race-job', { trigger: 'manual' })).rejects.toMatchObject({ code: 'JOB_RUNNING' });
      await expect(a.run('race-job', { trigger: 'manual' })).rejects.toMatchObject({ code: 'JOB_RUNNING' });
      gated.open();
      const records = (await Promise.all(runs)).filter((r) => r !== null);
      expect(records.length).toBeGreaterThanOrEqual(1);
      expect(records.every((r) => r.outcome === 'ok')).toBe(true);
      expect(gated.most()).toBe(1);
      // Once the run ended its lease was released: the other instance runs the job at once.
      expect(await tick(b, 'race-job', other.logger)).toMatchObject({ outcome: 'ok', holder: b.holder });
    } finally {
      await other.close();
    }
  });

  it('run each period of a schedule once, even when the second tick comes after the first run ended', async () => {
    const other = await secondInstance(t);
    try {
      let runs = 0;
      const job: Job = () => Promise.resolve({ run: ++runs });
      const a = new JobRunner(t.services, { 'period-job': job });
      const b = new JobRunner(other.services, { 'period-job': job });
      t.clock.set('2026-02-01T00:00:00.040Z');
      const period = new Date('2026-02-01T00:00:00Z');
      expect(await tick(a, 'period-job', t.services.logger, period)).toMatchObject({ outcome: 'ok', holder: a.holder });
      // B's tick for the same period, late (A's run is over and its lease released): skipped, the lease left free.
      t.clock.set('2026-02-01T00:00:03Z');
      const lastRun = (await t.services.repos.jobLeases.all()).find((l) => l.name === 'period-job')!.lastRunAt;
      expect(await tick(b, 'period-job', other.logger, period)).toBeNull();
      expect((await t.services.repos.jobLeases.all()).find((l) => l.name === 'period-job')!.lastRunAt).toEqual(lastRun);
      // An operator's run in the period is no scheduled run: it neither counts nor is refused.
      expect(await b.run('period-job', { trigger: 'manual' })).toMatchObject({ outcome: 'ok' });
      expect(await tick(a, 'period-job', t.services.logger, period)).toBeNull();
      // The next period runs again, on whichever instance asks first.
      t.clock.set('2026-02-01T00:00:05.030Z');
      const next = new Date('2026-02-01T00:00:05Z');
      expect(await tick(b, 'period-job', other.logger, next)).toMatchObject({ outcome: 'ok', holder: b.holder });
      expect(await tick(a, 'period-job', t.services.logger, next)).toBeNull();
      expect(runs).toBe(3);
    } finally {
      await other.close();
    }
  });

  it('count a late tick in the period its schedule fired for', () => {
    const cron = new Cron('*/5 * * * * *', { paused: true, timezone: 'Asia/Shanghai' });
    const daily = new Cron('30 3 * * *', { paused: true, timezone: 'Asia/Shanghai' });
    try {
      expect(periodOf(cron, new Date('2026-02-01T00:00:05.000Z'))).toEqual(new Date('2026-02-01T00:00:05Z'));
      expect(periodOf(cron, new Date('2026-02-01T00:00:05.003Z'))).toEqual(new Date('2026-02-01T00:00:05Z'));
      expect(periodOf(cron, new Date('2026-02-01T00:00:09.999Z'))).toEqual(new Date('2026-02-01T00:00:05Z'));
      // 03:30 in Shanghai is 19:30 UTC the day before.
      expect(periodOf(daily, new Date('2026-02-01T19:30:00.400Z'))).toEqual(new Date('2026-02-01T19:30:00Z'));
      expect(periodOf(daily, new Date('2026-02-01T19:29:59.999Z'))).toEqual(new Date('2026-01-31T19:30:00Z'));
    } finally {
      cron.stop();
      daily.stop();
    }
  });

  it("take over a crashed holder's lease once it has lapsed, and mark the dead run failed", async () => {
    const other = await secondInstance(t);
    try {
      const lease = t.config.runtime.jobs.leaseSeconds * 1000;
      t.clock.set('2026-03-01T00:00:00Z');
      const start = t.clock.now();
      // An instance took the lease, recorded its run, and died without a word.
      const dead = new JobRunner(t.services, { 'crash-job': () => new Promise(() => undefined) }, 'dead-host:1:dead');
      void dead.run('crash-job', { trigger: 'schedule' });
      await waitFor(async () => (await t.services.repos.jobRuns.latest('crash-job', 1)).length === 1);

      const b = new JobRunner(other.services, { 'crash-job': () => Promise.resolve({ redone: 1 }) });
      t.clock.set(new Date(start.getTime() + lease - 1000));
      await expect(b.run('crash-job', { trigger: 'schedule' })).rejects.toMatchObject({ code: 'JOB_RUNNING' });
      t.clock.set(new Date(start.getTime() + lease + 1000));
      const taken = await b.run('crash-job', { trigger: 'schedule' });
      expect(taken).toMatchObject({ outcome: 'ok', holder: b.holder, result: JSON.stringify({ redone: 1 }) });
      const [, deadRun] = await t.services.repos.jobRuns.latest('crash-job', 2);
      expect(deadRun).toMatchObject({ holder: 'dead-host:1:dead', outcome: 'failed' });
      expect(deadRun.error).toMatch(/stopped before it finished/);
    } finally {
      await other.close();
    }
  });

  it('keep a long run by renewing its lease; a holder that lost it stops and records the loss', async () => {
    const other = await secondInstance(t);
    try {
      const lease = t.config.runtime.jobs.leaseSeconds * 1000;
      t.clock.set('2026-04-01T00:00:00Z');
      const start = t.clock.now().getTime();
      let batches = 0;
      let proceed: () => void = () => undefined;
      let atBatch: () => void = () => undefined;
      const long: Job = async (_s, ctx) => {
        for (let i = 0; i < 2; i++) {
          ctx.signal?.throwIfAborted();
          await new Promise<void>((r) => {
            proceed = r;
            atBatch();
          });
          batches++;
        }
        return { batches };
      };
      const reached = () => new Promise<void>((r) => (atBatch = r));
      const a = new JobRunner(t.services, { 'long-job': long });
      const b = new JobRunner(other.services, { 'long-job': () => Promise.resolve({ other: 1 }) });

      let first = reached();
      const running = a.run('long-job', { trigger: 'schedule' });
      await first;
      // Most of a lease later, A renews (its timer does this every third of the lease).
      t.clock.set(new Date(start + lease - 1000));
      await a.renewLeases();
      t.clock.set(new Date(start + lease + 1000));
      await expect(b.run('long-job', { trigger: 'schedule' })).rejects.toMatchObject({ code: 'JOB_RUNNING' });

      // A stalls past its renewed lease; B takes over; A's next renewal finds it lost and A stops.
      t.clock.set(new Date(start + 2 * lease + 1000));
      expect(await b.run('long-job', { trigger: 'schedule' })).toMatchObject({ outcome: 'ok', holder: b.holder });
      first = reached();
      await a.renewLeases();
      proceed();
      const lost = await running;
      expect(lost).toMatchObject({ outcome: 'failed', holder: a.holder });
      expect(lost.error).toMatch(/^LeaseLost: /);
      expect(batches).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('on shutdown, a run stops at its next batch, records why and frees the lease at once', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    let entered: () => void = () => undefined;
    const hasEntered = new Promise<void>((r) => (entered = r));
    const job: Job = async (_s, ctx) => {
      entered();
      await gate;
      ctx.signal?.throwIfAborted();
      return { batches: 2 };
    };
    const a = new JobRunner(t.services, { 'stop-job': job });
    const b = new JobRunner(t.services, { 'stop-job': () => Promise.resolve({ batches: 1 }) });
    const running = a.run('stop-job', { trigger: 'schedule' });
    await hasEntered;
    const stopping = a.stop();
    open();
    await stopping;
    const stopped = await running;
    expect(stopped).toMatchObject({ outcome: 'failed', error: 'Error: the instance is shutting down' });
    expect(await b.run('stop-job', { trigger: 'schedule' })).toMatchObject({ outcome: 'ok', holder: b.holder });
  });

  it('a database error while taking the lease is logged and recorded, never mistaken for "held"', async () => {
    await t.dataSource.query(
      "CREATE TRIGGER job_leases_refuse BEFORE INSERT ON job_leases FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the disk is full'",
    );
    try {
      const ran = jest.fn(() => Promise.resolve({ ran: 1 }));
      const a = new JobRunner(t.services, { 'fresh-job': ran });
      const before = t.logLines.length;
      await expect(a.run('fresh-job', { trigger: 'manual' })).rejects.not.toMatchObject({ code: 'JOB_RUNNING' });
      expect(await tick(a, 'fresh-job', t.services.logger)).toBeNull();
      expect(ran).not.toHaveBeenCalled();
      const logged = t.logLines.slice(before).join('');
      expect(logged).toContain('job lease could not be taken');
      expect(logged).toContain('scheduled job could not run');
      const records = await t.services.repos.jobRuns.latest('fresh-job', 5);
      expect(records).toHaveLength(2);
      for (const r of records) expect(r).toMatchObject({ outcome: 'failed', error: 'lease not taken: database error (ER_SIGNAL_EXCEPTION)' });
    } finally {
      await t.dataSource.query('DROP TRIGGER job_leases_refuse');
    }
  });
});

describe('run records', () => {
  it('are kept for jobs.keepRunsDays; older ones go after the next run of the same job', async () => {
    const day = 86_400_000;
    const keep = t.config.runtime.jobs.keepRunsDays;
    const runner = new JobRunner(t.services, { 'kept-job': () => Promise.resolve({ n: 1 }) });
    const start = Date.parse('2026-01-01T00:00:00Z');
    t.clock.set(new Date(start));
    const old = await runner.run('kept-job', { trigger: 'manual' });
    t.clock.set(new Date(start + (keep - 1) * day));
    const recent = await runner.run('kept-job', { trigger: 'manual' });
    const ids = async () => (await t.services.repos.jobRuns.latest('kept-job', 10)).map((r) => r.id);
    expect(await ids()).toEqual([recent.id, old.id]);
    t.clock.set(new Date(start + (keep + 1) * day));
    const latest = await runner.run('kept-job', { trigger: 'manual' });
    expect(await ids()).toEqual([latest.id, recent.id]);
  });
});

describe('the scheduler', () => {
  it('refuses a schedule naming no job, and starts nothing when switched off', () => {
    const runner = new JobRunner(t.services);
    const settings = { ...t.config.runtime.jobs, schedules: { 'no-such-job': '* * * * *' } };
    expect(() => startScheduler(runner, settings, 'Asia/Shanghai', t.services.logger)).toThrow(/no-such-job/);
    const off = startScheduler(runner, { ...t.config.runtime.jobs, scheduler: false }, 'Asia/Shanghai', t.services.logger);
    off.stop();
  });

  it('is given schedules for registered jobs only by the default settings', () => {
    expect(Object.keys(t.config.runtime.jobs.schedules).filter((name) => !(name in jobs))).toEqual([]);
    expect(Object.keys(t.config.runtime.jobs.schedules)).toEqual(expect.arrayContaining(['points-expiry', 'coupon-expiry', 'ledger-check']));
  });
});

describe('coupon jobs', () => {
  it('coupon expiry marks unspent coupons past their validity expired, in batches, once', async () => {
    t.clock.set('2026-05-01T00:00:00Z');
    const m = await t.member();
    const runner = new JobRunner(t.services);
    const asOf = new Date('2026-05-20T00:00:00Z');
    await runner.run('coupon-expiry', { trigger: 'manual', asOf }); // coupons of earlier tests' members
    const coupons = [];
    for (let i = 0; i < 3; i++) coupons.push(await t.couponFor(m.id, { validityDays: 10 }));
    const later = await t.couponFor(m.id, { validityDays: 60 });
    await t.services.coupons.lock(m.id, coupons[0].id, 'quote-1'); // a locked one lapses too
    t.config.runtime.jobs.batchSize = 2;
    try {
      const first = await runner.run('coupon-expiry', { trigger: 'manual', asOf });
      expect(JSON.parse(first.result!)).toEqual({ expired: 3 });
      const again = await runner.run('coupon-expiry', { trigger: 'manual', asOf });
      expect(JSON.parse(again.result!)).toEqual({ expired: 0 });
    } finally {
      t.config.runtime.jobs.batchSize = 500;
    }
    const rows = await t.dataSource.manager.findBy(MemberCouponEntity, { memberId: m.id });
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(coupons.map((c) => status[c.id])).toEqual(['expired', 'expired', 'expired']);
    expect(status[later.id]).toBe('available');
  });

  it('lock release frees coupons whose counter lock lapsed, and leaves a lock in force alone', async () => {
    const m = await t.member();
    t.clock.set('2026-06-01T00:00:00Z');
    const [stale, fresh] = [await t.couponFor(m.id), await t.couponFor(m.id)];
    await t.services.coupons.lock(m.id, stale.id, 'quote-stale');
    t.clock.advance((t.config.loyalty.counter.couponLockSeconds + 60) * 1000);
    await t.services.coupons.lock(m.id, fresh.id, 'quote-fresh');
    const runner = new JobRunner(t.services);
    expect(JSON.parse((await runner.run('coupon-lock-release', { trigger: 'manual' })).result!)).toEqual({ released: 1 });
    expect(JSON.parse((await runner.run('coupon-lock-release', { trigger: 'manual' })).result!)).toEqual({ released: 0 });
    const rows = Object.fromEntries((await t.dataSource.manager.findBy(MemberCouponEntity, { memberId: m.id })).map((r) => [r.id, r]));
    expect(rows[stale.id]).toMatchObject({ status: 'available', lockRef: null, lockedUntil: null });
    expect(rows[fresh.id]).toMatchObject({ status: 'locked', lockRef: 'quote-fresh' });
  });
});

describe('the ledger invariant check', () => {
  it('finds a member whose balance was corrupted, and nobody else', async () => {
    const members = [];
    for (let i = 0; i < 5; i++) members.push(await t.memberWith(i % 2 ? 'silver' : 'normal', 100 + i));
    const victim = members[2];
    const runner = new JobRunner(t.services);
    t.config.runtime.jobs.batchSize = 2; // several pages, whatever the members of earlier tests
    try {
      const clean = await runner.run('ledger-check', { trigger: 'manual' });
      expect(JSON.parse(clean.result!)).toMatchObject({
        wrongMembers: 0,
        pointsLedgerMismatches: 0,
        lotMismatches: 0,
        growthMismatches: 0,
        qualifyingGrowthMismatches: 0,
      });
      expect(clean.details).toBeNull();

      await t.dataSource.query('UPDATE members SET points_balance = points_balance + 1 WHERE id = ?', [victim.id]);
      const dirty = await runner.run('ledger-check', { trigger: 'manual' });
      const counted = JSON.parse(dirty.result!) as Record<string, number>;
      expect(counted).toEqual({
        members: counted.members,
        wrongMembers: 1,
        pointsLedgerMismatches: 1,
        lotMismatches: 1,
        growthMismatches: 0,
        qualifyingGrowthMismatches: 0,
        reportCounterMismatches: 0,
        lastActiveMismatches: 0,
      });
      expect(counted.members).toBeGreaterThanOrEqual(5);
      expect(JSON.parse(dirty.details!)).toEqual({ pointsLedger: [victim.id], lots: [victim.id] });
      expect(dirty.outcome).toBe('ok');

      await t.dataSource.query('UPDATE members SET points_balance = points_balance - 1, growth = growth + 3 WHERE id = ?', [victim.id]);
      const growth = await runner.run('ledger-check', { trigger: 'manual' });
      expect(JSON.parse(growth.details!)).toEqual({ growth: [victim.id] });
    } finally {
      t.config.runtime.jobs.batchSize = 500;
      await t.dataSource.query('UPDATE members SET growth = growth - 3 WHERE id = ? AND growth >= 3', [victim.id]);
    }
  });

  it('finds a member whose qualifying growth is wrong or was never given its aging point, and nobody else (aged-out growth is no mismatch)', async () => {
    // Growth earned over a year ago and aged out: still in growth, no longer in qualifying growth. That is right.
    t.clock.set(new Date(Date.now() - (t.config.loyalty.tierReview.trailingDays + 30) * 86_400_000));
    const aged = await t.memberWith('silver', 10);
    t.clock.real();
    const runner = new JobRunner(t.services);
    expect(await runner.run('growth-aging', { trigger: 'manual' })).toMatchObject({ outcome: 'ok' });
    const figures = async (id: string) =>
      (await t.dataSource.query('SELECT growth, qualifying_growth AS qualifying, qualifying_aged_to AS agedTo FROM members WHERE id = ?', [id]))[0] as {
        growth: number;
        qualifying: number;
        agedTo: Date;
      };
    expect(await figures(aged.id)).toMatchObject({ growth: 1000, qualifying: 0 });
    const members = [aged];
    for (let i = 0; i < 4; i++) members.push(await t.memberWith(i % 2 ? 'gold' : 'normal', 20 + i));
    const victim = members[2];
    const agedTo = (await figures(aged.id)).agedTo;
    const corrupt = (by: number) => t.dataSource.query('UPDATE members SET qualifying_growth = qualifying_growth + ? WHERE id = ?', [by, victim.id]);
    let corrupted = false;
    t.config.runtime.jobs.batchSize = 2; // several pages, whatever the members of earlier tests
    try {
      const clean = await runner.run('ledger-check', { trigger: 'manual' });
      expect(JSON.parse(clean.result!)).toMatchObject({ wrongMembers: 0, growthMismatches: 0, qualifyingGrowthMismatches: 0 });
      expect(clean.details).toBeNull();

      await corrupt(7);
      corrupted = true;
      const dirty = await runner.run('ledger-check', { trigger: 'manual' });
      const counted = JSON.parse(dirty.result!) as Record<string, number>;
      expect(counted).toEqual({
        members: counted.members,
        wrongMembers: 1,
        pointsLedgerMismatches: 0,
        lotMismatches: 0,
        growthMismatches: 0,
        qualifyingGrowthMismatches: 1,
        reportCounterMismatches: 0,
        lastActiveMismatches: 0,
      });
      expect(JSON.parse(dirty.details!)).toEqual({ qualifyingGrowth: [victim.id] });
      expect(t.logLines.join('')).toContain(victim.id);

      await corrupt(-7);
      corrupted = false;
      await t.dataSource.query('UPDATE members SET qualifying_aged_to = NULL WHERE id = ?', [aged.id]);
      const unset = await runner.run('ledger-check', { trigger: 'manual' });
      expect(JSON.parse(unset.details!)).toEqual({ qualifyingGrowth: [aged.id] });
    } finally {
      t.config.runtime.jobs.batchSize = 500;
      if (corrupted) await corrupt(-7);
      await t.dataSource.query('UPDATE members SET qualifying_aged_to = ? WHERE id = ?', [agedTo, aged.id]);
    }
  });
});

describe('the ledger check of the KPI summary counters', () => {
  it('reports a counter that differs from a recount, and a member whose last activity instant is wrong, and nothing when all is well', async () => {
    const m = await t.memberWith('silver', 30);
    await t.http.post('/api/v1/me/checkins').set(m.auth).expect(201);
    const runner = new JobRunner(t.services);
    const clean = await runner.run('ledger-check', { trigger: 'manual' });
    expect(JSON.parse(clean.result!)).toMatchObject({ wrongMembers: 0, reportCounterMismatches: 0, lastActiveMismatches: 0 });
    expect(clean.details).toBeNull();

    const [{ n }] = await t.dataSource.query<{ n: number | string }[]>("SELECT SUM(n) AS n FROM report_counters WHERE metric = 'tier:silver'");
    const skew = (by: number) =>
      t.dataSource.query(
        "INSERT INTO report_counters (metric, day, shard, n) VALUES ('tier:silver', '0000-00-00', 5, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)",
        [by],
      );
    const lastActive = (await t.dataSource.query<{ at: Date }[]>('SELECT last_active_at AS at FROM members WHERE id = ?', [m.id]))[0].at;
    expect(lastActive).toBeInstanceOf(Date);
    await skew(2);
    await t.dataSource.query('UPDATE members SET last_active_at = NULL WHERE id = ?', [m.id]);
    try {
      const dirty = await runner.run('ledger-check', { trigger: 'manual' });
      expect(JSON.parse(dirty.result!)).toMatchObject({ wrongMembers: 0, reportCounterMismatches: 1, lastActiveMismatches: 1 });
      expect(JSON.parse(dirty.details!)).toEqual({ reportCounters: [`tier:silver|0000-00-00 ${Number(n) + 2}≠${Number(n)}`] });
      expect(t.logLines.join('')).toContain('report counters differ from a recount');
    } finally {
      await skew(-2);
      await t.dataSource.query('UPDATE members SET last_active_at = ? WHERE id = ?', [lastActive, m.id]);
    }
    expect(JSON.parse((await runner.run('ledger-check', { trigger: 'manual' })).result!)).toMatchObject({
      reportCounterMismatches: 0,
      lastActiveMismatches: 0,
    });
  });
});

describe('on the embedded SQLite database', () => {
  it('every job runs, under the same leases', async () => {
    const lite = await startTestApp({ dialect: 'sqlite' });
    try {
      const m = await lite.memberWith('silver', 120);
      const now = lite.clock.now();
      const until = new Date(now.getTime() + 60_000);
      expect(await lite.services.repos.jobLeases.take('ledger-check', 'other-host:1:a', until, now)).toBe(true);
      expect(await lite.services.repos.jobLeases.take('ledger-check', 'other-host:1:b', until, now)).toBe(false);
      const runner = new JobRunner(lite.services);
      await expect(runner.run('ledger-check', { trigger: 'manual' })).rejects.toMatchObject({ code: 'JOB_RUNNING' });
      for (const name of Object.keys(jobs).filter((n) => n !== 'ledger-check')) {
        expect(await runner.run(name, { trigger: 'manual' })).toMatchObject({ job: name, outcome: 'ok', error: null });
      }
      await lite.dataSource.query('UPDATE members SET growth = growth + 1 WHERE id = ?', [m.id]);
      lite.clock.set(new Date(until.getTime() + 1000)); // the other holder's lease has lapsed
      const checked = await runner.run('ledger-check', { trigger: 'manual' });
      expect(JSON.parse(checked.details!)).toEqual({ growth: [m.id] });
      await lite.dataSource.query('UPDATE members SET growth = growth - 1 WHERE id = ?', [m.id]);
      await lite.checkInvariants();
    } finally {
      await lite.close();
    }
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not met');
}

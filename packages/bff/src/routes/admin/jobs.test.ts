import { beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, useTestApp, type TestApp } from '../../../test/support/test-app';

/**
 * Operators run a scheduled job by hand and read how the jobs went: admin tokens only; the run
 * takes the job's lease like a scheduled tick; `asOf` (working as of another instant) exists for
 * tests and rehearsals and is refused by a production server.
 */
const t = useTestApp();
type Staff = Awaited<ReturnType<TestApp['staff']>>;
let admin: Staff;
let cashier: Staff;
let manager: Staff;
beforeAll(async () => {
  admin = await t.staff('admin');
  cashier = await t.staff('cashier');
  manager = await t.staff('manager');
});

describe('POST /api/v1/admin/jobs/{name}/run and GET /api/v1/admin/jobs', () => {
  it('are for admin tokens only', async () => {
    const m = await t.member();
    for (const who of [cashier.auth, manager.auth, m.auth]) {
      expect((await t.http.post('/api/v1/admin/jobs/points-expiry/run').set(who).send({}).expect(403)).body.error.code).toBe('FORBIDDEN');
      expect((await t.http.get('/api/v1/admin/jobs').set(who).expect(403)).body.error.code).toBe('FORBIDDEN');
    }
    await t.http.post('/api/v1/admin/jobs/points-expiry/run').send({}).expect(401);
    expect(await t.services.repos.jobRuns.latest('points-expiry', 1)).toEqual([]);
  });

  it('answer 404 NOT_FOUND for a job that does not exist', async () => {
    for (const name of ['make-everyone-diamond', 'Points_Expiry', '__proto__']) {
      const res = await t.http.post(`/api/v1/admin/jobs/${name}/run`).set(admin.auth).send({}).expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('run a job as of a given instant, return its run record, and list it with the schedule', async () => {
    const m = await t.member();
    t.clock.set('2025-03-01T00:00:00Z');
    await t.services.points.credit(m.id, { amount: 40, reason: 'order', sourceKey: 'by-hand' });
    t.clock.real();
    const asOf = '2026-03-02T00:00:00.000Z';
    const run = (await t.http.post('/api/v1/admin/jobs/points-expiry/run').set(admin.auth).send({ asOf }).expect(200)).body.data;
    expect(run).toMatchObject({ job: 'points-expiry', trigger: 'manual', asOf, outcome: 'ok', error: null, details: null });
    expect(run.result).toEqual({ members: 1, points: 40 });
    expect(run.finishedAt).not.toBeNull();
    expect((await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data.points.balance).toBe(0);
    // Who ran it, as of when, and how it went: in the audit log (a run as of another date moves value).
    const log = (await t.http.get('/api/v1/admin/audit-log').query({ action: 'job.run' }).set(admin.auth).expect(200)).body.data as {
      actorId: string;
      targetId: string;
      details: Record<string, unknown>;
    }[];
    expect(log.find((e) => e.details.runId === run.id)).toMatchObject({ actorId: admin.id, targetId: 'points-expiry', details: { asOf, outcome: 'ok' } });

    const list = (await t.http.get('/api/v1/admin/jobs').set(admin.auth).expect(200)).body.data as {
      name: string;
      schedule: string | null;
      lease: { inForce: boolean } | null;
      lastRuns: { id: string }[];
    }[];
    const expiry = list.find((j) => j.name === 'points-expiry');
    expect(expiry).toMatchObject({ schedule: t.config.runtime.jobs.schedules['points-expiry'], lease: { inForce: false } });
    expect(expiry?.lastRuns.map((r) => r.id)).toEqual([run.id]);
    expect(list.map((j) => j.name)).toEqual(
      expect.arrayContaining(['points-expiry', 'coupon-expiry', 'coupon-lock-release', 'referral-rewards', 'ledger-check']),
    );
  });

  it('answer 409 JOB_RUNNING while another instance holds the job’s lease', async () => {
    const now = new Date();
    expect(await t.services.repos.jobLeases.take('ledger-check', 'other-host:2:abcd', new Date(now.getTime() + 60_000), now)).toBe(true);
    const res = await t.http.post('/api/v1/admin/jobs/ledger-check/run').set(admin.auth).send({}).expect(409);
    expect(res.body.error).toMatchObject({ code: 'JOB_RUNNING', details: { job: 'ledger-check' } });
    expect(await t.services.repos.jobRuns.latest('ledger-check', 1)).toEqual([]);
  });

  it('refuse a malformed asOf', async () => {
    const res = await t.http.post('/api/v1/admin/jobs/coupon-expiry/run').set(admin.auth).send({ asOf: 'tomorrow' }).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('in production', () => {
  it('asOf is refused (expiry as of a future date would destroy value); a run as of now works', async () => {
    const prod = await startTestApp({ production: true });
    try {
      const boss = await prod.staff('admin');
      const res = await prod.http.post('/api/v1/admin/jobs/points-expiry/run').set(boss.auth).send({ asOf: '2030-01-01T00:00:00Z' }).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toMatch(/asOf is not accepted in production/);
      expect(await prod.services.repos.jobRuns.latest('points-expiry', 1)).toEqual([]);
      const run = (await prod.http.post('/api/v1/admin/jobs/points-expiry/run').set(boss.auth).send({}).expect(200)).body.data;
      expect(run).toMatchObject({ outcome: 'ok', trigger: 'manual' });
      expect(prod.contractViolations).toEqual([]);
    } finally {
      await prod.close();
    }
  });
});

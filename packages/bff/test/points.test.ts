import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { PointsLedgerEntity, PointsLotEntity } from '../src/db/entities';
import { testRoute } from './support/test-route';
import { newId } from '../src/lib/ids';
import { useTestApp } from './support/test-app';

const deadlocked = new Set<string>();

// A member route that credits points under Idempotency-Key, each call with a fresh event key,
// so only the HTTP idempotency layer can stop a duplicate.
const t = useTestApp({
  extraRoutes: (s) => [
    testRoute({
      method: 'post',
      path: '/api/v1/test/bonus',
      tag: 'test',
      summary: 'credit a bonus',
      auth: { audience: 'member' },
      idempotent: true,
      status: 201,
      body: z.object({ amount: z.number().int().positive() }).strict(),
      response: z.object({ entryId: z.string(), balanceAfter: z.number().int() }),
      handler: async ({ caller, body }) => {
        const r = await s.points.credit(caller.memberId, { amount: body.amount, reason: 'adjust', sourceKey: `bonus:${newId()}` });
        return { entryId: r.entry.id, balanceAfter: r.entry.balanceAfter };
      },
    }),
    // The same, but the first attempt of each request is chosen as a deadlock victim after it credited.
    testRoute({
      method: 'post',
      path: '/api/v1/test/bonus-after-deadlock',
      tag: 'test',
      summary: 'credit a bonus; the first attempt dies in a deadlock',
      auth: { audience: 'member' },
      idempotent: true,
      status: 201,
      body: z.object({ amount: z.number().int().positive(), attempt: z.string() }).strict(),
      response: z.object({ balanceAfter: z.number().int() }),
      handler: async ({ caller, body }) => {
        const r = await s.points.credit(caller.memberId, { amount: body.amount, reason: 'adjust', sourceKey: `bonus:${newId()}` });
        if (!deadlocked.has(body.attempt)) {
          deadlocked.add(body.attempt);
          throw Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK' });
        }
        return { balanceAfter: r.entry.balanceAfter };
      },
    }),
  ],
});

const ledgerOf = (memberId: string) => t.dataSource.manager.find(PointsLedgerEntity, { where: { memberId }, order: { id: 'ASC' } });
const balanceOf = async (auth: Record<string, string>) => (await t.http.get('/api/v1/me').set(auth).expect(200)).body.data.points.balance as number;

describe('points service under concurrency (MariaDB)', () => {
  it('200 concurrent debits of 10 against 1000 leave exactly 0 with exactly 100 successes', async () => {
    const m = await t.member();
    await t.services.points.credit(m.id, { amount: 1000, reason: 'adjust', sourceKey: 'seed' });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => t.services.points.debit(m.id, { amount: 10, reason: 'spend', sourceKey: `spend:${i}` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'POINTS_INSUFFICIENT').length;
    expect([ok, refused]).toEqual([100, 100]);
    expect(await balanceOf(m.auth)).toBe(0);
    const ledger = await ledgerOf(m.id);
    expect(ledger).toHaveLength(101);
    expect(new Set(ledger.map((e) => e.balanceAfter)).size).toBe(101); // a strict sequence 1000, 990, … 0
  });

  it('the same event key 20 times concurrently applies once', async () => {
    const m = await t.member();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.services.points.credit(m.id, { amount: 15, reason: 'review', sourceKey: 'review:order-1' })),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry.id)).size).toBe(1);
    expect(await balanceOf(m.auth)).toBe(15);
  });

  it('refuses the same event key with another amount', async () => {
    const m = await t.member();
    await t.services.points.credit(m.id, { amount: 15, reason: 'review', sourceKey: 'review:x' });
    await expect(t.services.points.credit(m.id, { amount: 16, reason: 'review', sourceKey: 'review:x' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
    });
  });
});

describe('Idempotency-Key over HTTP', () => {
  it('a deadlock victim is run again from the start: one credit, one record, the reply replays', async () => {
    const m = await t.member();
    const send = () => t.http.post('/api/v1/test/bonus-after-deadlock').set(m.auth).set('Idempotency-Key', 'deadlock-1').send({ amount: 7, attempt: 'a1' });
    expect((await send()).status).toBe(201);
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['cache-control']).toBe('no-store');
    expect(await balanceOf(m.auth)).toBe(7);
  });

  it('the same key sent 20 times concurrently applies once and every reply is the first one', async () => {
    const m = await t.member();
    const res = await Promise.all(
      Array.from({ length: 20 }, () => t.http.post('/api/v1/test/bonus').set(m.auth).set('Idempotency-Key', 'bonus-key-1').send({ amount: 40 })),
    );
    expect(res.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(res.map((r) => r.body.data.entryId)).size).toBe(1);
    expect(res.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await balanceOf(m.auth)).toBe(40);
  });

  it('the same key with a different body is 409 IDEMPOTENCY_MISMATCH and changes nothing', async () => {
    const m = await t.member();
    await t.http.post('/api/v1/test/bonus').set(m.auth).set('Idempotency-Key', 'k2').send({ amount: 10 }).expect(201);
    const res = await t.http.post('/api/v1/test/bonus').set(m.auth).set('Idempotency-Key', 'k2').send({ amount: 11 }).expect(409);
    expect(res.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await balanceOf(m.auth)).toBe(10);
  });

  it('keys are per member: another member may use the same key', async () => {
    const a = await t.member();
    const b = await t.member();
    await t.http.post('/api/v1/test/bonus').set(a.auth).set('Idempotency-Key', 'shared').send({ amount: 5 }).expect(201);
    await t.http.post('/api/v1/test/bonus').set(b.auth).set('Idempotency-Key', 'shared').send({ amount: 5 }).expect(201);
    expect([await balanceOf(a.auth), await balanceOf(b.auth)]).toEqual([5, 5]);
  });

  it('rejects a key longer than 128 characters or with other characters with 400, changing nothing', async () => {
    const m = await t.member();
    for (const key of ['k'.repeat(129), 'a b', 'key.with.dots']) {
      const res = await t.http.post('/api/v1/test/bonus').set(m.auth).set('Idempotency-Key', key).send({ amount: 5 }).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    await t.http.post('/api/v1/test/bonus').set(m.auth).set('Idempotency-Key', 'k'.repeat(128)).send({ amount: 5 }).expect(201);
    expect(await balanceOf(m.auth)).toBe(5);
  });
});

describe('lots', () => {
  it('debits consume the lots closest to expiry first', async () => {
    const m = await t.member();
    t.clock.set('2026-03-01T00:00:00Z');
    const late = await t.services.points.credit(m.id, { amount: 100, reason: 'order', sourceKey: 'late' });
    const early = await t.services.points.credit(m.id, { amount: 100, reason: 'order', sourceKey: 'early', expiresAt: new Date('2026-06-01T00:00:00Z') });
    const mid = await t.services.points.credit(m.id, { amount: 100, reason: 'order', sourceKey: 'mid', expiresAt: new Date('2026-09-01T00:00:00Z') });
    await t.services.points.debit(m.id, { amount: 150, reason: 'spend', sourceKey: 's1' });
    const lots = Object.fromEntries((await t.dataSource.manager.findBy(PointsLotEntity, { memberId: m.id })).map((l) => [l.ledgerId, l.remaining]));
    expect([lots[early.entry.id], lots[mid.entry.id], lots[late.entry.id]]).toEqual([0, 50, 100]);
    await t.services.points.debit(m.id, { amount: 100, reason: 'spend', sourceKey: 's2' });
    const after = Object.fromEntries((await t.dataSource.manager.findBy(PointsLotEntity, { memberId: m.id })).map((l) => [l.ledgerId, l.remaining]));
    expect([after[early.entry.id], after[mid.entry.id], after[late.entry.id]]).toEqual([0, 0, 50]);
  });

  it('expiry zeroes only the remainders of lots past expiry, once', async () => {
    const m = await t.member();
    t.clock.set('2025-01-01T00:00:00Z');
    await t.services.points.credit(m.id, { amount: 100, reason: 'order', sourceKey: 'a' }); // expires 2026-01-01
    t.clock.set('2025-06-01T00:00:00Z');
    await t.services.points.credit(m.id, { amount: 70, reason: 'order', sourceKey: 'b' }); // expires 2026-06-01
    await t.services.points.debit(m.id, { amount: 30, reason: 'spend', sourceKey: 's' }); // takes 30 from a
    t.clock.set('2026-01-01T00:00:00Z');
    expect(await t.services.points.expireMember(m.id)).toBe(70);
    expect(await t.services.points.expireMember(m.id)).toBe(0);
    const lots = await t.dataSource.manager.find(PointsLotEntity, { where: { memberId: m.id }, order: { expiresAt: 'ASC' } });
    expect(lots.map((l) => l.remaining)).toEqual([0, 70]);
    const last = (await ledgerOf(m.id)).at(-1)!;
    expect([last.reason, last.delta, last.balanceAfter]).toEqual(['expire', -70, 70]);
  });

  it('the expiry job settles every member with lapsed lots and is safe to re-run', async () => {
    const a = await t.member();
    const b = await t.member();
    t.clock.set('2024-01-01T00:00:00Z');
    await t.services.points.credit(a.id, { amount: 11, reason: 'order', sourceKey: 'x' });
    await t.services.points.credit(b.id, { amount: 22, reason: 'order', sourceKey: 'x' });
    t.clock.set('2025-01-02T00:00:00Z');
    const { runPointsExpiry } = await import('../src/jobs');
    const first = await runPointsExpiry(t.services, { now: t.clock.now() });
    expect(first.points).toBeGreaterThanOrEqual(33);
    expect(await runPointsExpiry(t.services, { now: t.clock.now() })).toEqual({ members: 0, points: 0 });
  });

  it('a debit never spends points that have lapsed but were not yet settled', async () => {
    const m = await t.member();
    t.clock.set('2025-01-01T00:00:00Z');
    await t.services.points.credit(m.id, { amount: 100, reason: 'order', sourceKey: 'old' });
    t.clock.set('2026-02-01T00:00:00Z');
    await expect(t.services.points.debit(m.id, { amount: 50, reason: 'spend', sourceKey: 's' })).rejects.toMatchObject({ code: 'POINTS_INSUFFICIENT' });
  });

  it('a reversal may leave a negative balance, which blocks spending and is paid back first', async () => {
    const m = await t.member();
    await t.services.points.credit(m.id, { amount: 100, reason: 'order', sourceKey: 'o' });
    await t.services.points.debit(m.id, { amount: 80, reason: 'spend', sourceKey: 's' });
    await t.services.points.reverse(m.id, { amount: 100, reason: 'refund', sourceKey: 'r' });
    expect(await balanceOf(m.auth)).toBe(-80);
    await expect(t.services.points.debit(m.id, { amount: 1, reason: 'spend', sourceKey: 's2' })).rejects.toMatchObject({ code: 'POINTS_INSUFFICIENT' });
    const back = await t.services.points.credit(m.id, { amount: 100, reason: 'order', sourceKey: 'o2' });
    expect(back.entry.balanceAfter).toBe(20);
    const lot = await t.dataSource.manager.findOneByOrFail(PointsLotEntity, { ledgerId: back.entry.id });
    expect([lot.amount, lot.remaining]).toEqual([100, 20]);
  });

  it('refuses non-positive or fractional amounts without writing', async () => {
    const m = await t.member();
    for (const amount of [0, -5, 1.5, Number.NaN]) {
      await expect(t.services.points.credit(m.id, { amount, reason: 'adjust', sourceKey: `bad:${amount}` })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    }
    expect(await ledgerOf(m.id)).toHaveLength(0);
  });
});

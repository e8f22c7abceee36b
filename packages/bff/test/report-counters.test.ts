import { describe, expect, it } from '@jest/globals';
import { addBusinessDays, startOfBusinessDay } from '@member/shared';
import type { DataSource } from 'typeorm';
import { runTierReview } from '../src/jobs/tier-review';
import { Db } from '../src/db/db';
import { ReportCounterRepository } from '../src/db/repositories/report-counter.repository';
import { useTestApp, type TestApp } from './support/test-app';

/**
 * The KPI summary's figures that depend on a row's current status or count distinct members come
 * from pre-aggregated counters moved by the use cases (not from the big tables). The operator's
 * story: a few days of everything that moves them — registrations (one invited), points credited,
 * check-ins on several days, orders with coupons and a full refund giving a coupon back, an
 * invitee's first order converting an invitation and another's refund reversing it, a redemption
 * cancelled, an upgrade by growth and a drop by the quarterly review, an erasure — and the summary
 * must answer exactly what the live queries over the tables (the summary's former implementation)
 * answer, for periods ending today, in the future and in the past. The counters must also equal a
 * recount from the tables after concurrent writers. On real MariaDB through HTTP, the clock pinned;
 * and on SQLite.
 */
const TZ = 'Asia/Shanghai';
/** The days of the story: the quarterly review runs on 2031-04-01, the first day of a quarter. */
const DAYS = ['2031-03-29', '2031-03-30', '2031-03-31', '2031-04-01', '2031-04-02'];
const TODAY = DAYS[4];
/** `hour` o'clock in Shanghai on `day`. */
const at = (day: string, hour: number, minute = 0) => new Date(startOfBusinessDay(day, TZ).getTime() + hour * 3_600_000 + minute * 60_000);

type Summary = {
  members: { total: number; new: number; active30d: number };
  tiers: { code: string; members: number }[];
  coupons: { issued: number; used: number };
  checkins: { checkins: number; members: number };
  referrals: { invited: number; converted: number };
  mall: { redemptions: number; cancelled: number; pointsSpent: number };
};

/**
 * What the summary answered before the counters: the same figures read live from the tables
 * (`AdminRepository.liveFigures` as it was), with the active window as the 30 business days ending `to`.
 */
async function liveFigures(ds: DataSource, tiers: string[], fromDay: string, toDay: string) {
  // SQLite keeps instants as UTC text.
  const instant = (d: Date) => (ds.options.type === 'better-sqlite3' ? d.toISOString().replace('T', ' ').replace('Z', '') : d);
  const from = instant(startOfBusinessDay(fromDay, TZ));
  const to = instant(startOfBusinessDay(addBusinessDays(toDay, 1), TZ));
  const activeSince = instant(startOfBusinessDay(addBusinessDays(toDay, -29), TZ));
  const one = async (sql: string, params: unknown[] = []) => (await ds.query<Record<string, unknown>[]>(sql, params))[0];
  const n = (v: unknown) => Number(v ?? 0);
  const members = await one(
    `SELECT COUNT(*) AS total, SUM(CASE WHEN registered_at >= ? THEN 1 ELSE 0 END) AS fresh FROM members WHERE status = 'active' AND registered_at < ?`,
    [from, to],
  );
  const byTier = new Map(
    (await ds.query<{ tier: string; n: unknown }[]>(`SELECT tier, COUNT(*) AS n FROM members WHERE status = 'active' GROUP BY tier`)).map((r) => [
      r.tier,
      n(r.n),
    ]),
  );
  const active = await one(`SELECT COUNT(DISTINCT member_id) AS n FROM points_ledger WHERE created_at >= ? AND created_at < ? AND reason <> 'expire'`, [
    activeSince,
    to,
  ]);
  const checkins = await one(`SELECT COUNT(DISTINCT member_id) AS n FROM checkins WHERE day >= ? AND day <= ?`, [fromDay, toDay]);
  const used = await one(`SELECT COUNT(*) AS n FROM member_coupons WHERE status = 'used' AND created_at >= ? AND created_at < ?`, [from, to]);
  const converted = await one(
    `SELECT COUNT(*) AS n FROM referrals WHERE status IN ('ordered', 'rewarded', 'held', 'capped') AND registered_at >= ? AND registered_at < ?`,
    [from, to],
  );
  const cancelled = await one(`SELECT COUNT(*) AS n FROM redemptions WHERE status = 'cancelled' AND created_at >= ? AND created_at < ?`, [from, to]);
  const kept = await one(`SELECT SUM(points_spent) AS n FROM redemptions WHERE status <> 'cancelled' AND created_at >= ? AND created_at < ?`, [from, to]);
  return {
    members: { total: n(members.total), new: n(members.fresh), active30d: n(active.n) },
    tiers: tiers.map((code) => ({ code, members: byTier.get(code) ?? 0 })),
    couponsUsed: n(used.n),
    checkinMembers: n(checkins.n),
    converted: n(converted.n),
    cancelled: n(cancelled.n),
    pointsSpent: n(kept.n),
  };
}

/** The summary's counted figures, in the shape of `liveFigures`. */
function counted(s: Summary) {
  return {
    members: s.members,
    tiers: s.tiers.map((x) => ({ code: x.code, members: x.members })),
    couponsUsed: s.coupons.used,
    checkinMembers: s.checkins.members,
    converted: s.referrals.converted,
    cancelled: s.mall.cancelled,
    pointsSpent: s.mall.pointsSpent,
  };
}

/** Counters that differ from a recount of the tables, read in one transaction (one snapshot). */
async function skewedCounters(ds: DataSource): Promise<string[]> {
  const db = new Db(ds);
  const repo = new ReportCounterRepository(db);
  return db.transaction(async () => {
    const stored = await repo.stored();
    const recounted = await repo.recount(TZ);
    const out: string[] = [];
    for (const k of [...new Set([...stored.keys(), ...recounted.keys()])].sort())
      if ((stored.get(k) ?? 0) !== (recounted.get(k) ?? 0)) out.push(`${k}: ${stored.get(k) ?? 0} ≠ ${recounted.get(k) ?? 0}`);
    if (await repo.lastActiveMismatches()) out.push('last_active_at');
    return out;
  });
}

/** Ranges ending today, in the future and in the past (a past period's distinct counts come from the tables). */
const RANGES: [string, string][] = [
  [DAYS[0], TODAY],
  [TODAY, TODAY],
  [DAYS[2], TODAY],
  [DAYS[1], addBusinessDays(TODAY, 5)],
  [addBusinessDays(TODAY, 1), addBusinessDays(TODAY, 3)],
  [DAYS[0], DAYS[1]],
  [DAYS[1], DAYS[3]],
  [DAYS[2], DAYS[2]],
  [DAYS[3], DAYS[3]],
  ['2030-01-01', '2030-12-31'],
];

async function expectSummariesMatchLive(t: TestApp, auth: Record<string, string>, ranges = RANGES): Promise<Summary[]> {
  const tiers = t.config.loyalty.tiers.map((x) => x.code);
  const out: Summary[] = [];
  for (const [from, to] of ranges) {
    const s = (await t.http.get('/api/v1/admin/reports/summary').query({ from, to }).set(auth).expect(200)).body.data as Summary;
    expect({ range: [from, to], ...counted(s) }).toEqual({ range: [from, to], ...(await liveFigures(t.dataSource, tiers, from, to)) });
    out.push(s);
  }
  return out;
}

describe('the KPI summary from counters (MariaDB)', () => {
  const t = useTestApp();

  it('answers what the live queries over the tables answer after every kind of change, for periods ending today, later and earlier', async () => {
    const period = t.config.loyalty.dynamicCode.periodSeconds * 1000 + 1000;
    t.clock.set(at(DAYS[0], 9));
    const admin = await t.staff('admin');
    const cashier = await t.staff('cashier');
    const manager = await t.staff('manager');
    const item = await t.adminItem(admin.auth, { pointsCost: 100, stock: 100 });
    const order = async (m: Awaited<ReturnType<typeof t.member>>, amountCents: number, couponId?: string) => {
      t.clock.advance(period);
      const res = await t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m, { usePoints: false }), receiptNo: `R-${t.freshKey()}`, amountCents, ...(couponId ? { couponId } : {}) })
        .expect(201);
      return res.body.data as { id: string; dueCents: number };
    };
    const refundAll = async (o: { id: string; dueCents: number }) =>
      t.http
        .post(`/api/v1/counter/orders/${o.id}/refunds`)
        .set(manager.auth)
        .send({ refundNo: `RF-${t.freshKey()}`, amountCents: o.dueCents })
        .expect(201);
    const checkin = (m: { auth: Record<string, string> }) => t.http.post('/api/v1/me/checkins').set(m.auth).expect(201);

    // Day 0: four members join (one invited by the first), two check in, one is credited.
    const a = await t.member();
    const b = await t.member({ inviteCode: a.member.inviteCode });
    const c = await t.member();
    const d = await t.member();
    await checkin(a);
    await checkin(c);
    const couponA = await t.couponFor(a.id, { valueCents: 500 });
    const couponC = await t.couponFor(c.id, { valueCents: 500 });

    // Day 1: orders, one with a coupon (used), one big enough to lift c to 银卡; b's first order converts the invitation.
    t.clock.set(at(DAYS[1], 10));
    await order(a, 5000, couponA.id);
    const big = await order(c, 110_000, couponC.id);
    await order(b, 3000);
    await checkin(a); // a's last check-in day moves from day 0 to day 1
    const e = await t.member({ inviteCode: a.member.inviteCode });

    // Day 2: c's big order is refunded in full (the coupon comes back, growth goes); e orders then
    // refunds (the invitation converts, then is reversed); d redeems and cancels; b erases their data.
    t.clock.set(at(DAYS[2], 11));
    await refundAll(big);
    const eFirst = await order(e, 2500);
    await refundAll(eFirst);
    await t.http
      .post(`/api/v1/admin/members/${d.id}/adjustments`)
      .set(admin.auth)
      .set('Idempotency-Key', t.freshKey())
      .send({ points: 300, reason: '活动' })
      .expect(201);
    const kept = (await t.redeem(d.auth, item.id).expect(201)).body.data as { id: string };
    const dropped = (await t.redeem(d.auth, item.id).expect(201)).body.data as { id: string };
    await t.http.post(`/api/v1/me/redemptions/${dropped.id}/cancel`).set(d.auth).expect(200);
    expect(kept.id).not.toBe(dropped.id);
    await checkin(c);
    await t.http.delete('/api/v1/me').set(b.auth).expect(200);

    // Day 3 (a quarter's first day): c's qualifying growth is gone with the refund, so the review drops 银卡.
    t.clock.set(at(DAYS[3], 3));
    expect((await t.http.get('/api/v1/me').set(c.auth).expect(200)).body.data.tier.code).toBe('silver');
    expect(await runTierReview(t.services, { now: t.clock.now() })).toMatchObject({ dropped: 1 });
    expect((await t.http.get('/api/v1/me').set(c.auth).expect(200)).body.data.tier.code).toBe('normal');
    // …and f is lifted to 银卡 by an order that stays.
    t.clock.set(at(DAYS[3], 15));
    const f = await t.member();
    await order(f, 120_000);
    expect((await t.http.get('/api/v1/me').set(f.auth).expect(200)).body.data.tier.code).toBe('silver');

    // Today: more check-ins, a late-night order on today's last minute.
    t.clock.set(at(TODAY, 9));
    await checkin(a);
    await checkin(f);
    t.clock.set(at(TODAY, 23, 58));
    await order(d, 1000);

    t.clock.set(at(TODAY, 23, 59));
    const summaries = await expectSummariesMatchLive(t, admin.auth);
    // Not vacuous: every counted figure moved somewhere over the whole period.
    const week = summaries[0];
    expect(week.members.total).toBeGreaterThan(0);
    expect(week.members.new).toBe(week.members.total);
    expect(week.members.active30d).toBeGreaterThan(0);
    expect(week.tiers.find((x) => x.code === 'silver')?.members).toBe(1);
    expect(week.coupons.used).toBe(1);
    expect(week.checkins.members).toBe(3);
    expect(week.referrals).toMatchObject({ invited: 2, converted: 1 });
    expect(week.mall).toMatchObject({ redemptions: 2, cancelled: 1, pointsSpent: 100 });
    // A past period's total leaves out who joined after it (f); the erased member (b) is out of every total.
    expect(summaries[5].members.total).toBe(4);
    expect(week.members.total).toBe(5);
    expect(await skewedCounters(t.dataSource)).toEqual([]);
  });

  it('keeps the counters equal to a recount under concurrent writers (orders, check-ins, registrations, erasures)', async () => {
    t.clock.set(at(addBusinessDays(TODAY, 10), 10));
    const cashier = await t.staff('cashier');
    const members = [];
    for (let i = 0; i < 8; i++) members.push(await t.member());
    const coupons = await Promise.all(members.map((m) => t.couponFor(m.id, { valueCents: 100 })));
    for (let round = 0; round < 3; round++) {
      t.clock.advance(86_400_000 + 31_000);
      await Promise.all([
        ...members.map((m, i) =>
          t.http
            .post('/api/v1/counter/orders')
            .set(cashier.auth)
            .send({
              code: t.codeOf(m, { usePoints: false }),
              receiptNo: `C-${round}-${i}`,
              amountCents: 2000 + i,
              ...(round === 0 ? { couponId: coupons[i].id } : {}),
            })
            .expect(201),
        ),
        ...members.map((m) => t.http.post('/api/v1/me/checkins').set(m.auth).expect(201)),
        t.member(),
        round === 2 ? t.http.delete('/api/v1/me').set(members[0].auth).expect(200) : Promise.resolve(),
      ]);
    }
    expect(await skewedCounters(t.dataSource)).toEqual([]);
    const admin = await t.staff('admin');
    const today = addBusinessDays(TODAY, 13);
    const s = (
      await t.http
        .get('/api/v1/admin/reports/summary')
        .query({ from: addBusinessDays(TODAY, 10), to: today })
        .set(admin.auth)
        .expect(200)
    ).body.data as Summary;
    expect(s.checkins.members).toBe(8);
    expect(s.coupons.used).toBe(8);
  });

  it('builds the counters of data that has none at start-up (ensureCounters), once', async () => {
    const admin = await t.staff('admin');
    // After the concurrent writers' days (the clock never goes back: no one's last day is after today).
    const today = addBusinessDays(TODAY, 13);
    t.clock.set(at(today, 23, 59));
    // As after the migration on a database with data: no counters, no marker.
    await t.dataSource.query('DELETE FROM report_counters');
    await t.dataSource.query('UPDATE members SET last_active_at = NULL');
    expect(await skewedCounters(t.dataSource)).not.toEqual([]);
    expect(await t.services.reports.ensureCounters()).toBe(true);
    expect(await skewedCounters(t.dataSource)).toEqual([]);
    expect(await t.services.reports.ensureCounters()).toBe(false);
    await expectSummariesMatchLive(t, admin.auth, [
      [DAYS[0], today],
      [addBusinessDays(TODAY, 11), today],
      [today, addBusinessDays(today, 2)],
      [DAYS[0], TODAY],
      [DAYS[2], addBusinessDays(TODAY, 11)],
    ]);
  });
});

describe('the KPI summary from counters (SQLite)', () => {
  const t = useTestApp({ dialect: 'sqlite' });

  it('moves the same counters and answers what the live queries answer', async () => {
    t.clock.set(at(DAYS[0], 9));
    const admin = await t.staff('admin');
    const cashier = await t.staff('cashier');
    const a = await t.member();
    const b = await t.member({ inviteCode: a.member.inviteCode });
    const coupon = await t.couponFor(a.id, { valueCents: 500 });
    await t.http.post('/api/v1/me/checkins').set(a.auth).expect(201);
    t.clock.set(at(DAYS[2], 10));
    for (const [m, couponId] of [
      [a, coupon.id],
      [b, undefined],
    ] as const) {
      await t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m, { usePoints: false }), receiptNo: `S-${t.freshKey()}`, amountCents: 120_000, ...(couponId ? { couponId } : {}) })
        .expect(201);
    }
    await t.http.post('/api/v1/me/checkins').set(a.auth).expect(201);
    t.clock.set(at(TODAY, 12));
    await t.http.delete('/api/v1/me').set(b.auth).expect(200);
    const summaries = await expectSummariesMatchLive(t, admin.auth);
    expect(summaries[0].tiers.find((x) => x.code === 'silver')?.members).toBe(1);
    expect(summaries[0].referrals.converted).toBe(1);
    expect(summaries[0].coupons.used).toBe(1);
    expect(await skewedCounters(t.dataSource)).toEqual([]);
    await t.services.reports.rebuildCounters();
    expect(await skewedCounters(t.dataSource)).toEqual([]);
    await expectSummariesMatchLive(t, admin.auth);
  });
});

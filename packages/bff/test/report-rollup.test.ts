import { describe, expect, it } from '@jest/globals';
import { addBusinessDays, startOfBusinessDay } from '@member/shared';
import { dateOrNull } from '../src/db/db';
import { runReportRollup } from '../src/jobs/report-rollup';
import { newId } from '../src/lib/ids';
import { useTestApp } from './support/test-app';

/**
 * The KPI summary over daily rollups, as the operators' story goes: a week of activity (members
 * joining, points credited and debited, check-ins, redemptions and their cancellations, coupons
 * issued and later used, invitations and later conversions), some of it on the first and last
 * millisecond of a day, and today still going on. Whatever the rollup job did or did not write,
 * the summary answers the figures it answers without any rollup: no day counted twice, none left
 * out, the boundary exact to the millisecond. On real MariaDB, through HTTP, the clock pinned.
 */
const t = useTestApp({ tweak: (c) => Object.assign(c.runtime.reports, { closeAfterMinutes: 60, recomputeDays: 3, backfillDays: 400 }) });

const TZ = 'Asia/Shanghai';
const TODAY = '2031-06-10';
/** 14:00 in Shanghai on TODAY. */
const NOW = new Date(startOfBusinessDay(TODAY, TZ).getTime() + 14 * 3_600_000);
const DAYS = [-5, -4, -3, -2, -1, 0].map((n) => addBusinessDays(TODAY, n));

/** A seeded pseudo-random sequence (mulberry32): the same events on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Member = Awaited<ReturnType<typeof t.member>>;

async function adminAuth() {
  return (await t.staff('admin')).auth;
}

/** An operator's points adjustment of `memberId`, stamped at `at` (the test clock is moved there). */
async function adjustAt(memberId: string, points: number, at: number, reason: string): Promise<void> {
  t.clock.set(new Date(at));
  await t.http
    .post(`/api/v1/admin/members/${memberId}/adjustments`)
    .set(await adminAuth())
    .set('Idempotency-Key', t.freshKey())
    .send({ points, reason })
    .expect(201);
}

async function summary(auth: Record<string, string>, from: string, to: string): Promise<Record<string, unknown>> {
  return (await t.http.get('/api/v1/admin/reports/summary').query({ from, to }).set(auth).expect(200)).body.data as Record<string, unknown>;
}

/** Ranges that cross every boundary: the whole week, closed days only, today alone, a range past today, single days. */
const RANGES: [string, string][] = [
  [DAYS[0], TODAY],
  [DAYS[1], DAYS[4]],
  [TODAY, TODAY],
  [addBusinessDays(TODAY, -20), addBusinessDays(TODAY, 2)],
  ...DAYS.map((d): [string, string] => [d, d]),
];

async function allSummaries(auth: Record<string, string>) {
  const out: Record<string, unknown>[] = [];
  for (const [from, to] of RANGES) out.push(await summary(auth, from, to));
  return out;
}

async function withoutRollups<T>(fn: () => Promise<T>): Promise<T> {
  const saved = await t.dataSource.query('SELECT * FROM report_days');
  await t.dataSource.query('DELETE FROM report_days');
  try {
    return await fn();
  } finally {
    await t.dataSource.query('DELETE FROM report_days');
    for (const r of saved as Record<string, unknown>[]) {
      const cols = Object.keys(r);
      await t.dataSource.query(
        `INSERT INTO report_days (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        cols.map((c) => r[c]),
      );
    }
  }
}

/** Each rollup's day and the instant it covers up to (null: the whole day). */
const rollupSpans = async () =>
  (await t.dataSource.query<{ day: string; until_at: unknown }[]>('SELECT day, until_at FROM report_days ORDER BY day')).map((r) => [
    r.day,
    dateOrNull(r.until_at)?.toISOString() ?? null,
  ]);

const rollupRows = async () =>
  (await t.dataSource.query<Record<string, unknown>[]>('SELECT * FROM report_days ORDER BY day')).map(({ computed_at: _, ...figures }) => figures);

const runJob = async (auth: Record<string, string>, asOf?: Date) =>
  (
    await t.http
      .post('/api/v1/admin/jobs/report-rollup/run')
      .set(auth)
      .send(asOf ? { asOf: asOf.toISOString() } : {})
      .expect(200)
  ).body.data as { outcome: string; result: Record<string, number> | null };

/** A week of seeded random activity through the real routes and services, today's up to NOW. */
async function seedWeek(): Promise<void> {
  const rnd = random(20261123);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const instants: Date[] = [];
  for (const day of DAYS) {
    const start = startOfBusinessDay(day, TZ).getTime();
    const end = startOfBusinessDay(addBusinessDays(day, 1), TZ).getTime();
    const last = Math.min(end, NOW.getTime());
    instants.push(new Date(start), new Date(start + 1));
    if (end <= NOW.getTime()) instants.push(new Date(end - 1));
    for (let i = 0; i < 12; i++) instants.push(new Date(start + Math.floor(rnd() * (last - start))));
  }
  instants.sort((a, b) => a.getTime() - b.getTime());

  t.clock.set(instants[0]);
  const auth = await adminAuth();
  const item = await t.adminItem(auth, { pointsCost: 100, stock: 10_000 });
  const template = await t.couponTemplate();
  const members: Member[] = [];
  const balances = new Map<string, number>();
  const checkedIn = new Set<string>();
  const redemptions: { id: string; member: Member }[] = [];
  const coupons: string[] = [];
  const referrals: string[] = [];
  for (const at of instants) {
    t.clock.set(at);
    const staff = await adminAuth();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(at);
    const kind = members.length < 3 ? 'join' : pick(['join', 'credit', 'credit', 'debit', 'checkin', 'redeem', 'cancel', 'coupon', 'use', 'invite', 'convert']);
    const m = members.length ? pick(members) : null;
    if (kind === 'join' || !m) {
      const fresh = await t.member();
      members.push(fresh);
      balances.set(fresh.id, 0);
    } else if (kind === 'credit' || (kind === 'debit' && (balances.get(m.id) ?? 0) < 10) || (kind === 'redeem' && (balances.get(m.id) ?? 0) < 100)) {
      const points = 50 + Math.floor(rnd() * 300);
      await t.http
        .post(`/api/v1/admin/members/${m.id}/adjustments`)
        .set(staff)
        .set('Idempotency-Key', t.freshKey())
        .send({ points, reason: '活动' })
        .expect(201);
      balances.set(m.id, (balances.get(m.id) ?? 0) + points);
    } else if (kind === 'debit') {
      const points = 1 + Math.floor(rnd() * (balances.get(m.id) ?? 0));
      await t.http
        .post(`/api/v1/admin/members/${m.id}/adjustments`)
        .set(staff)
        .set('Idempotency-Key', t.freshKey())
        .send({ points: -points, reason: '调整' })
        .expect(201);
      balances.set(m.id, (balances.get(m.id) ?? 0) - points);
    } else if (kind === 'checkin') {
      if (checkedIn.has(`${m.id}:${day}`)) continue;
      checkedIn.add(`${m.id}:${day}`);
      await t.http.post('/api/v1/me/checkins').set(m.auth).expect(201);
      balances.set(m.id, await t.balanceOf(m.auth));
    } else if (kind === 'redeem') {
      const res = await t.redeem(m.auth, item.id).expect(201);
      redemptions.push({ id: (res.body.data as { id: string }).id, member: m });
      balances.set(m.id, (balances.get(m.id) ?? 0) - 100);
    } else if (kind === 'cancel') {
      const r = redemptions.pop();
      if (!r) continue;
      await t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(r.member.auth).expect(200);
      balances.set(r.member.id, (balances.get(r.member.id) ?? 0) + 100);
    } else if (kind === 'coupon') {
      coupons.push((await t.issueCoupon(m.id, template, `report:${t.freshKey()}`)).coupon.id);
    } else if (kind === 'use') {
      // A coupon issued earlier is used now: its issue day's "used" count changes after that day closed.
      const id = coupons.shift();
      if (id) await t.dataSource.query("UPDATE member_coupons SET status = 'used', used_at = ? WHERE id = ?", [at, id]);
    } else if (kind === 'invite') {
      const invitee = await t.member();
      members.push(invitee);
      balances.set(invitee.id, 0);
      const id = newId();
      referrals.push(id);
      await t.dataSource.query(
        `INSERT INTO referrals (id, inviter_id, invitee_id, status, inviter_points, inviter_growth, invitee_points, registered_at)
         VALUES (?, ?, ?, 'registered', 0, 0, 0, ?)`,
        [id, m.id, invitee.id, at],
      );
    } else if (kind === 'convert') {
      const id = referrals.shift();
      if (id) await t.dataSource.query("UPDATE referrals SET status = 'ordered', ordered_at = ? WHERE id = ?", [at, id]);
    }
  }
}

describe('the KPI summary over daily rollups', () => {
  let auth: Record<string, string>;

  it('answers the same figures with and without rollups, for every range, whatever was rolled up', async () => {
    await seedWeek();
    // Coupon use and conversions above are direct SQL, past the use cases that keep the summary's
    // counters: recount them (as after any bulk load).
    await t.services.reports.rebuildCounters();
    t.clock.set(NOW);
    auth = await adminAuth();
    const live = await allSummaries(auth);
    // Something happened on every day, and today too.
    for (let i = 0; i < DAYS.length; i++) expect((live[4 + i].points as { issued: number }).issued).toBeGreaterThan(0);
    // …and the week has every kind of figure, status changes after the fact included.
    const week = live[0] as { coupons: { used: number }; referrals: { converted: number }; mall: { cancelled: number }; checkins: { checkins: number } };
    for (const n of [week.coupons.used, week.referrals.converted, week.mall.cancelled, week.checkins.checkins]) expect(n).toBeGreaterThan(0);

    const run = await runJob(auth);
    expect(run.outcome).toBe('ok');
    // The closed days (all but today) are rolled up whole; today, not closed, up to closeAfterMinutes before the run.
    expect(await rollupSpans()).toEqual([...DAYS.slice(0, -1).map((d) => [d, null]), [TODAY, new Date(NOW.getTime() - 3_600_000).toISOString()]]);
    expect(await allSummaries(auth)).toEqual(live);

    // The summary does read the rollups (a tampered one shows), so the comparison above means something.
    await t.dataSource.query('UPDATE report_days SET points_issued = points_issued + 1000 WHERE day = ?', [DAYS[2]]);
    expect(((await summary(auth, DAYS[0], TODAY)).points as { issued: number }).issued).toBe((live[0].points as { issued: number }).issued + 1000);
    await runJob(auth); // recomputes the last three closed days, DAYS[2] among them
    expect(await allSummaries(auth)).toEqual(live);

    // A gap (a day's rollup deleted): that day is read live, its neighbours' rollups still count once.
    await t.dataSource.query('DELETE FROM report_days WHERE day = ?', [DAYS[1]]);
    expect(await allSummaries(auth)).toEqual(live);

    // A day rolled up although it is not closed yet (a run as of tomorrow, outside production): read live, never twice.
    await runJob(auth, new Date(NOW.getTime() + 86_400_000));
    expect((await rollupSpans()).map(([day]) => day)).toEqual([...DAYS, addBusinessDays(TODAY, 1)]);
    expect(await allSummaries(auth)).toEqual(live);
    // Today goes on after that run: its early rollup is stale and must not be read.
    t.clock.set(new Date(NOW.getTime() + 60_000));
    const [{ id }] = await t.dataSource.query<{ id: string }[]>('SELECT id FROM members ORDER BY id LIMIT 1');
    await t.http.post(`/api/v1/admin/members/${id}/adjustments`).set(auth).set('Idempotency-Key', t.freshKey()).send({ points: 9, reason: '活动' }).expect(201);
    const after = await withoutRollups(() => allSummaries(auth));
    expect((after[2].points as { issued: number }).issued).toBe((live[2].points as { issued: number }).issued + 9);
    expect(await allSummaries(auth)).toEqual(after);
  });

  it('rolls a day up once it ended closeAfterMinutes ago, to the millisecond, and counts a late write at the next run', async () => {
    const day = addBusinessDays(TODAY, 30);
    const end = startOfBusinessDay(addBusinessDays(day, 1), TZ).getTime();
    t.clock.set(new Date(end - 60_000));
    const m = await t.member();
    const credit = (points: number, at: number) => adjustAt(m.id, points, at, '边界');
    await credit(7, end - 1); // the day's last millisecond
    await credit(11, end); // the next day's first
    const issued = async (at: number, from = day, to = day) => {
      t.clock.set(new Date(at));
      return ((await summary(await adminAuth(), from, to)).points as { issued: number }).issued;
    };
    const rolled = async () =>
      (await t.dataSource.query<{ n: number | string }[]>('SELECT points_issued AS n FROM report_days WHERE day = ?', [day])).map((r) => Number(r.n));

    // 59 min 59.999 s after the day ended it is not closed: the job leaves it, the summary reads it live.
    t.clock.set(new Date(end + 3_600_000 - 1));
    await runJob(await adminAuth());
    expect(await rolled()).toEqual([]);
    expect(await issued(end + 3_600_000 - 1)).toBe(7);
    // A write stamped in the day while it is still open is counted.
    await credit(5, end - 2);
    expect(await issued(end + 3_600_000 - 1)).toBe(12);
    expect(await issued(end + 3_600_000 - 1, day, addBusinessDays(day, 1))).toBe(23);

    // At exactly 60 minutes it is closed and rolled up, with everything written so far.
    t.clock.set(new Date(end + 3_600_000));
    await runJob(await adminAuth());
    expect(await rolled()).toEqual([12]);
    expect(await issued(end + 3_600_000)).toBe(12);
    expect(await issued(end + 3_600_000, day, addBusinessDays(day, 1))).toBe(23);

    // A write stamped in the closed day after its rollup (a clock far behind): the next run, which
    // recomputes the last recomputeDays closed days, counts it.
    await credit(3, end - 3);
    t.clock.set(new Date(end + 2 * 3_600_000));
    await runJob(await adminAuth());
    expect(await rolled()).toEqual([15]);
    expect(await issued(end + 2 * 3_600_000)).toBe(15);
    expect(await withoutRollups(() => issued(end + 2 * 3_600_000))).toBe(15);
  });

  it('rolls the current day up to closeAfterMinutes before each run; the summary reads live only after that, counts a late write at the next run, and never reads a rollup not final yet', async () => {
    const day = addBusinessDays(TODAY, 90);
    const start = startOfBusinessDay(day, TZ).getTime();
    const H = 3_600_000;
    t.clock.set(new Date(start));
    const early = await t.member();
    const late = await t.member();
    const credit = (points: number, at: number) => adjustAt(early.id, points, at, '当天');
    const checkIn = async (m: Member, at: number) => {
      t.clock.set(new Date(at));
      await t.http.post('/api/v1/me/checkins').set(m.auth).expect(201);
    };
    // The run at 06:00 covers the day's rows created before 05:00: one check-in and two credits
    // on one side of that instant, a check-in and a credit on the other, to the millisecond.
    await credit(7, start + 2 * H);
    await checkIn(early, start + 2 * H);
    await credit(11, start + 5 * H - 1);
    await credit(13, start + 5 * H);
    await checkIn(late, start + 5 * H);
    const runAt = start + 6 * H;
    const at = async (ms: number, from = day, to = day) => {
      t.clock.set(new Date(ms));
      return summary(await adminAuth(), from, to);
    };
    /** Points issued by the ledger rows created in [from, to) (credits only here: nothing was given back). */
    const issuedIn = async (from: number, to: number) =>
      Number(
        (
          await t.dataSource.query<{ n: unknown }[]>(
            'SELECT COALESCE(SUM(delta), 0) AS n FROM points_ledger WHERE delta > 0 AND created_at >= ? AND created_at < ?',
            [new Date(from), new Date(to)],
          )
        )[0].n,
      );
    const live = await withoutRollups(() => at(runAt));
    expect(live.points).toMatchObject({ issued: await issuedIn(start, runAt) });
    expect(await issuedIn(start + 5 * H, runAt)).toBeGreaterThanOrEqual(13);
    expect(live.checkins).toMatchObject({ checkins: 2, members: 2 });
    t.clock.set(new Date(runAt));
    expect((await runJob(await adminAuth())).result).toMatchObject({ openDay: 1 });
    const row = async () =>
      (
        await t.dataSource.query<{ points_issued: unknown; checkins: unknown; until_at: unknown }[]>(
          'SELECT points_issued, checkins, until_at FROM report_days WHERE day = ?',
          [day],
        )
      ).map((r) => ({ issued: Number(r.points_issued), checkins: Number(r.checkins), until: dateOrNull(r.until_at)?.toISOString() }));
    expect(await row()).toEqual([{ issued: await issuedIn(start, start + 5 * H), checkins: 1, until: new Date(start + 5 * H).toISOString() }]);
    expect(await issuedIn(start, start + 5 * H)).toBeGreaterThanOrEqual(7 + 11);
    expect(await at(runAt)).toEqual(live);
    // A period ending today, and one starting the day before, answer the same with and without it.
    const weekLive = await withoutRollups(() => at(runAt, addBusinessDays(day, -6), day));
    expect(await at(runAt, addBusinessDays(day, -6), day)).toEqual(weekLive);

    // The summary does read it (a tampered one shows), and reads the rest of the day live after it.
    await t.dataSource.query('UPDATE report_days SET points_issued = points_issued + 1000 WHERE day = ?', [day]);
    expect((await at(runAt)).points).toMatchObject({ issued: (live.points as { issued: number }).issued + 1000 });
    await credit(17, runAt + 60_000);
    expect((await at(runAt + 60_000)).points).toMatchObject({ issued: (live.points as { issued: number }).issued + 1000 + 17 });
    await runReportRollup(t.services, { now: new Date(runAt + 60_000) }); // rewrites the row up to 05:01
    const later = await withoutRollups(() => at(runAt + 60_000));
    expect((later.points as { issued: number }).issued).toBe((live.points as { issued: number }).issued + 17);
    expect(await at(runAt + 60_000)).toEqual(later);

    // A rollup that is not final at `now` (a run as of later, outside production) is not read: a
    // write made after it, stamped before its end, still counts.
    await runReportRollup(t.services, { now: new Date(runAt + 2 * H) });
    expect((await row())[0].until).toBe(new Date(runAt + H).toISOString());
    await credit(19, runAt + 90_000);
    const after = await withoutRollups(() => at(runAt + 90_000));
    expect((after.points as { issued: number }).issued).toBe((live.points as { issued: number }).issued + 17 + 19);
    expect(await at(runAt + 90_000)).toEqual(after);

    // A write stamped before the rollup's end that lands after it (a clock far behind), like a late
    // write in a closed day: the next run counts it.
    await credit(5, start + 3 * H);
    const t1 = runAt + 2 * H + 60_000;
    await runReportRollup(t.services, { now: new Date(t1) });
    expect(await at(t1)).toEqual(await withoutRollups(() => at(t1)));
    expect(((await at(t1)).points as { issued: number }).issued).toBe((live.points as { issued: number }).issued + 17 + 19 + 5);

    // Runs at once write the same row; the next day's first hour has no rollup of its own, and
    // its period reads the day before from that day's rollup of its first hours onwards.
    await Promise.all([0, 1, 2].map(() => runReportRollup(t.services, { now: new Date(t1) })));
    const once = await row();
    expect(once).toHaveLength(1);
    const nextDay = start + 24 * H + 30 * 60_000;
    t.clock.set(new Date(nextDay));
    expect(await runReportRollup(t.services, { now: new Date(nextDay) })).not.toHaveProperty('openDay');
    expect(await row()).toEqual(once);
    expect(await at(nextDay, day, addBusinessDays(day, 1))).toEqual(await withoutRollups(() => at(nextDay, day, addBusinessDays(day, 1))));

    // Once closed, that day needs a whole day's row like any other, even past the days each run recomputes.
    await runReportRollup(t.services, { now: new Date(start + 5 * 24 * H) });
    expect(await row()).toEqual([{ issued: await issuedIn(start, start + 24 * H), checkins: 2, until: undefined }]);
  });

  it('is idempotent: run twice, at once, and after a day’s row was deleted, it writes the same rows', async () => {
    // Activity over ten days of its own (whatever the other tests left), then a run as of two days later.
    const first = addBusinessDays(TODAY, 60);
    t.clock.set(startOfBusinessDay(first, TZ));
    const m = await t.member();
    for (let i = 0; i < 10; i++) {
      t.clock.set(new Date(startOfBusinessDay(addBusinessDays(first, i), TZ).getTime() + 3_600_000 * (1 + i)));
      await t.http
        .post(`/api/v1/admin/members/${m.id}/adjustments`)
        .set(await adminAuth())
        .set('Idempotency-Key', t.freshKey())
        .send({ points: 10 + i, reason: '活动' })
        .expect(201);
    }
    const now = startOfBusinessDay(addBusinessDays(first, 12), TZ);
    t.clock.set(now);
    await t.dataSource.query('DELETE FROM report_days');
    await runReportRollup(t.services, { now });
    const once = await rollupRows();
    expect(once.length).toBeGreaterThanOrEqual(12);
    expect(once.filter((r) => String(r.day) >= first).map((r) => Number(r.points_issued))).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 0]);

    await runReportRollup(t.services, { now });
    expect(await rollupRows()).toEqual(once);

    await t.dataSource.query('DELETE FROM report_days');
    await Promise.all([runReportRollup(t.services, { now }), runReportRollup(t.services, { now }), runReportRollup(t.services, { now })]);
    expect(await rollupRows()).toEqual(once);

    await t.dataSource.query('DELETE FROM report_days WHERE day = ?', [addBusinessDays(first, 2)]);
    expect(await runReportRollup(t.services, { now })).toEqual({ days: 4, filled: 1 });
    expect(await rollupRows()).toEqual(once);
  });
});

describe('on SQLite', () => {
  const s = useTestApp({ dialect: 'sqlite' });

  it('rolls up and upserts days, and the summary answers what it answers without them', async () => {
    const day = '2031-03-03';
    s.clock.set(new Date(startOfBusinessDay(day, TZ).getTime() + 3_600_000));
    await s.memberWith('normal', 40);
    const now = new Date(startOfBusinessDay(addBusinessDays(day, 2), TZ).getTime() + 2 * 3_600_000);
    s.clock.set(now);
    const auth = (await s.staff('admin')).auth;
    const get = async () =>
      (
        await s.http
          .get('/api/v1/admin/reports/summary')
          .query({ from: day, to: addBusinessDays(day, 2) })
          .set(auth)
          .expect(200)
      ).body.data;
    const live = await get();
    expect(live.points.issued).toBe(40);
    for (let i = 0; i < 2; i++) await s.http.post('/api/v1/admin/jobs/report-rollup/run').set(auth).send({}).expect(200);
    const rows = await s.dataSource.query<{ day: string; points_issued: number | string; until_at: unknown }[]>(
      'SELECT day, points_issued, until_at FROM report_days ORDER BY day',
    );
    // The closed days whole, the current day's first hour (an hour before `now`) too.
    expect(rows.map((r) => [r.day, Number(r.points_issued), dateOrNull(r.until_at)?.toISOString() ?? null])).toEqual([
      [day, 40, null],
      [addBusinessDays(day, 1), 0, null],
      [addBusinessDays(day, 2), 0, new Date(now.getTime() - 3_600_000).toISOString()],
    ]);
    expect(await get()).toEqual(live);
  });
});

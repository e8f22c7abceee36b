import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CheckinEntity, PointsLedgerEntity } from '../../db/entities';
import { backfillCheckinState } from '../../db/migrations/1732790000000-member-checkin-state';
import { startTestApp, useTestApp, type TestApp } from '../../../test/support/test-app';

/**
 * Daily check-in: once per member per business day (Asia/Shanghai by default) by a unique key,
 * a 7-day streak cycle with a bonus on day 7, rewards under the interaction caps.
 */
const t = useTestApp();

const checkIn = (auth: Record<string, string>) => t.http.post('/api/v1/me/checkins').set(auth);
const card = async (auth: Record<string, string>) => (await t.http.get('/api/v1/me').set(auth).expect(200)).body.data;
/** Noon in Shanghai on a day of November 2026. */
const noon = (day: number) => `2026-11-${String(day).padStart(2, '0')}T04:00:00Z`;

describe('POST /api/v1/me/checkins', () => {
  it('checks in once: 5 points and 2 growth, the card says so', async () => {
    t.clock.set(noon(3));
    const m = await t.member();
    const res = await checkIn(m.auth).expect(201);
    expect(res.body.data).toEqual({ day: '2026-11-03', streak: 1, points: 5, growth: 2, bonus: 0, capped: false });
    const c = await card(m.auth);
    expect(c.checkin).toEqual({ today: true, streak: 1 });
    expect(c.points.balance).toBe(5);
    expect(c.growth.value).toBe(2);
    const again = await checkIn(m.auth).expect(409);
    expect(again.body.error.code).toBe('ALREADY_CHECKED_IN');
  });

  it('30 concurrent check-ins of one member on one day award once', async () => {
    t.clock.set(noon(4));
    const m = await t.member();
    const results = await Promise.all(Array.from({ length: 30 }, () => checkIn(m.auth)));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array.from({ length: 29 }, () => 409)]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'ALREADY_CHECKED_IN')).toBe(true);
    expect(await t.dataSource.manager.countBy(CheckinEntity, { memberId: m.id })).toBe(1);
    expect(await t.dataSource.manager.countBy(PointsLedgerEntity, { memberId: m.id, reason: 'checkin' })).toBe(1);
    expect((await card(m.auth)).points.balance).toBe(5);
  });

  it('23:59 and 00:01 in Shanghai are two business days though one UTC day', async () => {
    const m = await t.member();
    t.clock.set('2026-11-24T15:59:00Z'); // 23:59 on the 24th in Shanghai
    expect((await checkIn(m.auth).expect(201)).body.data).toMatchObject({ day: '2026-11-24', streak: 1 });
    t.clock.set('2026-11-24T16:01:00Z'); // 00:01 on the 25th in Shanghai, still the 24th in UTC
    expect((await checkIn(m.auth).expect(201)).body.data).toMatchObject({ day: '2026-11-25', streak: 2 });
  });

  it('and 00:30 and 09:00 in Shanghai are one business day though two UTC days', async () => {
    const m = await t.member();
    t.clock.set('2026-11-25T16:30:00Z'); // 00:30 on the 26th in Shanghai, the 25th in UTC
    expect((await checkIn(m.auth).expect(201)).body.data).toMatchObject({ day: '2026-11-26' });
    t.clock.set('2026-11-26T01:00:00Z'); // 09:00 on the 26th in Shanghai, the 26th in UTC
    expect((await checkIn(m.auth).expect(409)).body.error.code).toBe('ALREADY_CHECKED_IN');
  });

  it('a 7-day streak pays the bonus once, on day 7; a missed day resets the streak', async () => {
    const m = await t.member();
    const got: { streak: number; points: number; bonus: number }[] = [];
    for (let d = 1; d <= 8; d++) {
      t.clock.set(noon(d));
      const { streak, points, bonus } = (await checkIn(m.auth).expect(201)).body.data;
      got.push({ streak, points, bonus });
    }
    expect(got.map((g) => g.streak)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(got.map((g) => g.bonus)).toEqual([0, 0, 0, 0, 0, 0, 20, 0]);
    expect(got.map((g) => g.points)).toEqual([5, 5, 5, 5, 5, 5, 25, 5]);
    expect((await card(m.auth)).points.balance).toBe(60);

    t.clock.set(noon(9)); // not checked in on the 9th
    expect((await card(m.auth)).checkin).toEqual({ today: false, streak: 8 }); // still alive until the day ends
    t.clock.set(noon(10));
    expect((await card(m.auth)).checkin).toEqual({ today: false, streak: 0 }); // the 9th was missed
    expect((await checkIn(m.auth).expect(201)).body.data).toMatchObject({ streak: 1, bonus: 0, points: 5 });
    for (let d = 11; d <= 16; d++) {
      t.clock.set(noon(d));
      await checkIn(m.auth).expect(201);
    }
    // A new streak's day 7 (the 16th) pays the bonus again: one bonus per completed cycle.
    const ledger = await t.dataSource.manager.find(PointsLedgerEntity, { where: { memberId: m.id, reason: 'checkin' }, order: { id: 'ASC' } });
    expect(ledger.filter((e) => e.delta === 25)).toHaveLength(2);
    expect((await card(m.auth)).checkin).toEqual({ today: true, streak: 7 });
  });

  it('stays under the interaction caps: a check-in after the day’s cap is recorded with what was credited', async () => {
    t.clock.set(noon(12));
    const m = await t.member();
    await t.db.transaction(async () =>
      t.services.interactionRewards.award(await t.services.points.lock(m.id, { withLots: false }), {
        kind: 'referral',
        points: 298,
        growth: 20,
        sourceKey: 'referral:fill',
      }),
    );
    expect((await checkIn(m.auth).expect(201)).body.data).toEqual({ day: '2026-11-12', streak: 1, points: 2, growth: 0, bonus: 0, capped: true });
    expect(await t.dataSource.manager.findOneByOrFail(CheckinEntity, { memberId: m.id })).toMatchObject({ points: 2, growth: 0 });
    expect((await card(m.auth)).points.balance).toBe(300);
  });

  it('needs a registered member', async () => {
    const session = await t.login();
    const res = await checkIn({ Authorization: `Bearer ${session.token}` }).expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('GET /api/v1/me/checkins', () => {
  it('lists the days of a month checked in, the streak and whether today is done', async () => {
    const m = await t.member();
    for (const at of ['2026-10-30T04:00:00Z', '2026-10-31T04:00:00Z', '2026-10-31T16:30:00Z' /* 00:30 on 1 Nov */, noon(2), noon(4)]) {
      t.clock.set(at);
      await checkIn(m.auth).expect(201);
    }
    t.clock.set(noon(4));
    expect((await t.http.get('/api/v1/me/checkins').set(m.auth).expect(200)).body.data).toEqual({
      month: '2026-11',
      today: '2026-11-04',
      days: ['2026-11-01', '2026-11-02', '2026-11-04'],
      streak: 1,
      todayChecked: true,
    });
    expect((await t.http.get('/api/v1/me/checkins?month=2026-10').set(m.auth).expect(200)).body.data).toMatchObject({
      month: '2026-10',
      days: ['2026-10-30', '2026-10-31'],
    });
    t.clock.set('2026-11-05T15:59:00Z'); // 23:59 on the 5th: yesterday's streak still stands
    expect((await t.http.get('/api/v1/me/checkins').set(m.auth).expect(200)).body.data).toMatchObject({ today: '2026-11-05', streak: 1, todayChecked: false });
    t.clock.set('2026-11-05T16:00:00Z'); // midnight: the 5th was missed
    expect((await t.http.get('/api/v1/me/checkins').set(m.auth).expect(200)).body.data).toMatchObject({ today: '2026-11-06', streak: 0, todayChecked: false });
  });

  it('refuses a malformed month', async () => {
    const m = await t.member();
    for (const month of ['2026-13', '2026-1', 'november', '2026-11-01']) {
      expect((await t.http.get(`/api/v1/me/checkins?month=${month}`).set(m.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('check-in rate limits (rateLimits.checkin)', () => {
  const generous = { points: 10_000, durationSeconds: 60 };
  let perMember: TestApp;
  let perAddress: TestApp;
  beforeAll(async () => {
    perMember = await startTestApp({
      tweak: (c) => (c.runtime.rateLimits.checkin = { perMember: { points: 3, durationSeconds: 60 }, perAddress: generous }),
    });
    perAddress = await startTestApp({
      tweak: (c) => (c.runtime.rateLimits.checkin = { perMember: generous, perAddress: { points: 3, durationSeconds: 60 } }),
    });
  });
  afterAll(async () => {
    await perMember.close();
    await perAddress.close();
  });

  it('per member: attempts past the limit are 429, refused ones counted too', async () => {
    const m = await perMember.member();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await perMember.http.post('/api/v1/me/checkins').set(m.auth)).status);
    expect(statuses).toEqual([201, 409, 409, 429]);
    const res = await perMember.http.post('/api/v1/me/checkins').set(m.auth).expect(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another member is not held back by this one.
    await perMember.http
      .post('/api/v1/me/checkins')
      .set((await perMember.member()).auth)
      .expect(201);
    expect(perMember.contractViolations).toEqual([]);
  });

  it('per address: many members from one address are held back too', async () => {
    const members = await Promise.all(Array.from({ length: 4 }, () => perAddress.member()));
    const statuses = [];
    for (const m of members) statuses.push((await perAddress.http.post('/api/v1/me/checkins').set(m.auth)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(perAddress.contractViolations).toEqual([]);
  });
});

describe('the latest check-in on the member row', () => {
  it('is put right by the next check-in after an older release inserted one without it (a rolling deploy)', async () => {
    const m = await t.member();
    t.clock.set(noon(20));
    await checkIn(m.auth).expect(201);
    // The previous release checks the member in on the 21st: a checkins row, the member row untouched.
    await t.dataSource.query(
      "INSERT INTO checkins (id, member_id, day, streak, points, growth, bonus, created_at) VALUES (?, ?, '2026-11-21', 2, 0, 0, 0, ?)",
      ['01OLDRELEASECHECKIN0000000', m.id, new Date(noon(21))],
    );
    t.clock.set(noon(22));
    expect((await checkIn(m.auth).expect(201)).body.data).toMatchObject({ day: '2026-11-22', streak: 3 });
    expect((await card(m.auth)).checkin).toEqual({ today: true, streak: 3 });
  });

  it('is backfilled from checkins by the migration for members who checked in before it', async () => {
    const m = await t.member();
    for (const day of [10, 11, 12]) {
      t.clock.set(noon(day));
      await checkIn(m.auth).expect(201);
    }
    // As the rows stood before the migration: nothing on the member row.
    await t.dataSource.query('UPDATE members SET last_checkin_day = NULL, checkin_streak = 0');
    await backfillCheckinState(t.dataSource);
    const rows: unknown[] = await t.dataSource.query('SELECT last_checkin_day AS day, checkin_streak AS streak FROM members WHERE id = ?', [m.id]);
    expect(rows).toEqual([{ day: '2026-11-12', streak: 3 }]);
    // The next check-in continues the streak from the backfilled row; the card agrees.
    t.clock.set(noon(13));
    expect((await checkIn(m.auth).expect(201)).body.data).toMatchObject({ day: '2026-11-13', streak: 4 });
    expect((await card(m.auth)).checkin).toEqual({ today: true, streak: 4 });
  });
});

import { describe, expect, it } from '@jest/globals';
import { generateMemberCode } from '@member/shared';
import { migrations } from '../src/db/data-source';
import { runBirthdayCoupons } from '../src/jobs/birthday-coupons';
import { runDormantCoupons } from '../src/jobs/dormant-coupons';
import { runNotifications } from '../src/jobs/notifications';
import { runPointsExpiryWarnings } from '../src/jobs/points-expiry-warnings';
import { useTestApp } from './support/test-app';

// The embedded default: the same hand-written migrations and the same flows on SQLite.
const t = useTestApp({ dialect: 'sqlite' });

describe('embedded SQLite database', () => {
  it('runs the migrations and reports ready', async () => {
    expect(t.dataSource.options.type).toBe('better-sqlite3');
    const applied = await t.dataSource.query('SELECT name FROM schema_migrations');
    expect(applied.map((r: { name: string }) => r.name)).toEqual(migrations.map((M) => new M().name));
    await t.http.get('/readyz').expect(200);
  });

  it('registers a member with a Chinese nickname and shows the card and code', async () => {
    const m = await t.member({ nickname: '小王🌟', birthday: '2000-01-31' });
    const card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
    expect(card.nickname).toBe('小王🌟');
    const code = (await t.http.get('/api/v1/me/code').set(m.auth).expect(200)).body.data.code;
    expect(code).toBe(generateMemberCode(m.body.codeRef, m.body.codeSecret, Date.now(), 30, false).code);
  });

  it('a statement outside any transaction waits for the open one, so its rollback cannot take the statement with it', async () => {
    const m = await t.member();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const failing = t.db
      .transaction(async () => {
        await t.db.execute('UPDATE members SET updated_at = ? WHERE id = ?', [new Date(), m.id]);
        await gate;
        throw new Error('refused late');
      })
      .catch(() => 'rolled back');
    const patch = t.http.patch('/api/v1/me').set(m.auth).send({ nickname: '新名字' });
    setTimeout(release, 50);
    expect(await failing).toBe('rolled back');
    expect((await patch).status).toBe(200);
    expect((await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data.nickname).toBe('新名字');
  });

  it('gives a member one share link per page a day, however often and however concurrently they share', async () => {
    const m = await t.member();
    const share = () => t.http.post('/api/v1/shares').set(m.auth).send({ page: 'mall' }).expect(201);
    const links = await Promise.all(Array.from({ length: 5 }, share));
    const tokens = new Set(links.map((r) => (r.body.data as { token: string }).token));
    expect(tokens.size).toBe(1);
    expect((await share()).body.data.token).toBe([...tokens][0]);
    expect(await t.dataSource.query('SELECT COUNT(*) AS n FROM shares WHERE member_id = ?', [m.id])).toEqual([{ n: 1 }]);
  });

  it('serialises concurrent transactions: 50 debits of 10 against 300 give 30 successes', async () => {
    const m = await t.member();
    await t.services.points.credit(m.id, { amount: 300, reason: 'adjust', sourceKey: 'seed' });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => t.services.points.debit(m.id, { amount: 10, reason: 'spend', sourceKey: `s${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(30);
    expect((await t.http.get('/api/v1/me').set(m.auth)).body.data.points.balance).toBe(0);
  });

  it('expires lots and upgrades tiers the same way', async () => {
    const m = await t.member();
    t.clock.set('2025-01-01T00:00:00Z');
    await t.services.points.credit(m.id, { amount: 40, reason: 'order', sourceKey: 'a' });
    await t.services.points.addGrowth(m.id, { delta: 5000, reason: 'order', sourceKey: 'a' });
    t.clock.set('2026-01-01T00:00:01Z');
    const card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
    expect(card.points.balance).toBe(0);
    expect(card.tier.code).toBe('gold');
    const ledger = (await t.http.get('/api/v1/me/points/ledger').set(m.auth).expect(200)).body.data;
    expect(ledger.map((e: { reason: string; delta: number }) => [e.reason, e.delta])).toEqual([
      ['expire', -40],
      ['order', 40],
    ]);
  });

  it('sells a mall item and a counter order the same way', async () => {
    const admin = await t.staff('admin');
    const cashier = await t.staff('cashier');
    const item = (
      await t.http.post('/api/v1/admin/mall-items').set(admin.auth).send({ kind: 'physical', title: '杯子', pointsCost: 100, stock: 3 }).expect(201)
    ).body.data;
    const m = await t.member();
    await t.services.points.credit(m.id, { amount: 500, reason: 'adjust', sourceKey: 'seed' });
    const res = await Promise.all(
      Array.from({ length: 5 }, (_, i) => t.http.post('/api/v1/mall/redemptions').set(m.auth).set('Idempotency-Key', `k${i}`).send({ itemId: item.id })),
    );
    expect(res.filter((r) => r.status === 201)).toHaveLength(3);
    const order = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 12000, pointsToUse: 200, receiptNo: 'SQ-1' })
      .expect(201);
    expect(order.body.data).toMatchObject({ dueCents: 12000 - 200, pointsEarned: 118, member: { pointsBalance: 500 - 300 - 200 + 118 } });
  });

  it('checks in once a business day and reviews an order under the interaction caps the same way', async () => {
    const cashier = await t.staff('cashier');
    const m = await t.member();
    t.clock.set('2026-11-24T15:59:00Z'); // 23:59 in Shanghai
    await t.http.post('/api/v1/me/checkins').set(m.auth).expect(201);
    const again = await Promise.all(Array.from({ length: 5 }, () => t.http.post('/api/v1/me/checkins').set(m.auth)));
    expect(again.map((r) => r.status)).toEqual([409, 409, 409, 409, 409]);
    t.clock.set('2026-11-24T16:01:00Z'); // 00:01 on the next day in Shanghai
    expect((await t.http.post('/api/v1/me/checkins').set(m.auth).expect(201)).body.data).toMatchObject({ day: '2026-11-25', streak: 2 });
    expect((await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data.checkin).toEqual({ today: true, streak: 2 });
    expect((await t.http.get('/api/v1/me/checkins?month=2026-11').set(m.auth).expect(200)).body.data.days).toEqual(['2026-11-24', '2026-11-25']);

    const order = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 3000, receiptNo: 'SQ-RV' })
      .expect(201);
    // Today (the 25th in Shanghai) holds one check-in, 5 points: leave 5 of the day's 300 for the review.
    await t.db.transaction(async () =>
      t.services.interactionRewards.award(await t.services.points.lock(m.id, { withLots: false }), {
        kind: 'referral',
        points: 290,
        growth: 2,
        sourceKey: 'fill',
      }),
    );
    const review = await t.http.post(`/api/v1/me/orders/${order.body.data.id}/review`).set(m.auth).send({ stars: 5 }).expect(201);
    expect(review.body.data).toMatchObject({ points: 5, growth: 2 });
    await t.http.post(`/api/v1/me/orders/${order.body.data.id}/review`).set(m.auth).send({ stars: 4 }).expect(409);
  });

  it('serves the operators the same way: adjustments, member search, campaigns in earning, the KPI summary', async () => {
    t.clock.set('2026-11-20T04:00:00Z');
    const admin = await t.staff('admin');
    const cashier = await t.staff('cashier');
    const m = await t.member({ nickname: '嵌入_库' });
    const adjust = () =>
      t.http.post(`/api/v1/admin/members/${m.id}/adjustments`).set(admin.auth).set('Idempotency-Key', 'sqlite-adj').send({ points: 200, reason: '补发' });
    await adjust().expect(201);
    await adjust().expect(201);
    expect(await t.balanceOf(m.auth)).toBe(200);
    const found = (await t.http.get('/api/v1/admin/members').query({ query: '嵌入_' }).set(admin.auth).expect(200)).body.data;
    expect(found.map((x: { id: string }) => x.id)).toEqual([m.id]);
    expect((await t.http.get('/api/v1/admin/members').query({ query: '嵌入%' }).set(admin.auth).expect(200)).body.data).toEqual([]);
    await t.http
      .post('/api/v1/admin/campaigns')
      .set(admin.auth)
      .send({ code: 'sqlite-week', name: '周', multiplier: 2, from: '2026-11-20', to: '2026-11-22' })
      .expect(201);
    const order = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m, { usePoints: false }), amountCents: 10000, receiptNo: 'SQLITE-CAMP' })
      .expect(201);
    expect(order.body.data.pointsEarned).toBe(200);
    const summary = (await t.http.get('/api/v1/admin/reports/summary').query({ from: '2026-11-20', to: '2026-11-20' }).set(admin.auth).expect(200)).body.data;
    expect(summary.points).toEqual({ issued: 400, spent: 0, expired: 0 });
    expect(summary.members.new).toBe(1);
  });

  it('queues, warns, sends notifications and issues occasion coupons the same way', async () => {
    const m = await t.member({ birthday: '1990-03-15' });
    const templateId = t.config.runtime.notifications.templates.points_expiring.id;
    t.wechat.acceptSubscription(m.openid, templateId);
    await t.http
      .post('/api/v1/me/subscriptions')
      .set(m.auth)
      .send({ accepted: ['points_expiring'] })
      .expect(200);
    await t.http
      .post('/api/v1/me/subscriptions')
      .set(m.auth)
      .send({ accepted: ['points_expiring'] })
      .expect(200);
    const now = t.clock.now();
    await t.services.points.credit(m.id, { amount: 20, reason: 'adjust', sourceKey: 'warn', expiresAt: new Date(now.getTime() + 5 * 86_400_000) });
    const ctx = { now };
    // A key queued twice in one transaction: the second insert fails alone, the transaction commits.
    const lot = { lotId: 'L-twice', memberId: (await t.member()).id, remaining: 1, expiresAt: new Date(now.getTime() + 86_400_000), balance: 1 };
    expect(
      await t.db.transaction(async () => [await t.services.notifications.pointsExpiring(lot), await t.services.notifications.pointsExpiring(lot)]),
    ).toEqual([true, false]);
    await runPointsExpiryWarnings(t.services, ctx);
    await runPointsExpiryWarnings(t.services, ctx);
    expect(await runNotifications(t.services, ctx)).toMatchObject({ sent: 1 });
    expect(t.wechat.deliveriesTo(m.openid)).toHaveLength(1);
    const credits = (await t.http.get('/api/v1/me/subscriptions').set(m.auth).expect(200)).body.data.kinds;
    expect(credits.find((k: { kind: string }) => k.kind === 'points_expiring').credits).toBe(1);

    t.clock.set('2027-03-10T04:00:00Z');
    await runBirthdayCoupons(t.services, { now: t.clock.now() });
    await runBirthdayCoupons(t.services, { now: t.clock.now() });
    await runDormantCoupons(t.services, { now: t.clock.now() });
    const keys = (await t.services.coupons.list(m.id, 'available')).map((c) => c.sourceKey).sort();
    expect(keys).toEqual(['birthday:2027', 'dormant:joined']);
  });
});

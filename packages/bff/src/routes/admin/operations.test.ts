import { beforeAll, describe, expect, it } from '@jest/globals';
import { useTestApp, type TestApp } from '../../../test/support/test-app';

const t = useTestApp();
type Staff = Awaited<ReturnType<TestApp['staff']>>;
let admin: Staff;
let cashier: Staff;
let manager: Staff;
beforeAll(async () => {
  admin = await t.staff('admin');
  cashier = await t.staff('cashier');
  manager = await t.staff('manager', '分店');
});

const badRequest = (res: { status: number; body: { error?: { code: string } } }) =>
  expect([res.status, res.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);

describe('GET /api/v1/admin/audit-log', () => {
  it('pages newest first and filters by action, actor and target', async () => {
    const other = await t.staff('admin');
    const items = [await t.adminItem(admin.auth, {}), await t.adminItem(admin.auth, {}), await t.adminItem(other.auth, {})];
    const page1 = await t.http.get('/api/v1/admin/audit-log').query({ action: 'mall-item.create', limit: 2 }).set(admin.auth).expect(200);
    expect(page1.body.data.map((a: { targetId: string }) => a.targetId)).toEqual([items[2].id, items[1].id]);
    const page2 = await t.http
      .get('/api/v1/admin/audit-log')
      .query({ action: 'mall-item.create', limit: 2, cursor: page1.body.nextCursor })
      .set(admin.auth)
      .expect(200);
    expect(page2.body.data.map((a: { targetId: string }) => a.targetId)).toContain(items[0].id);

    const byActor = (await t.http.get('/api/v1/admin/audit-log').query({ actorId: other.id }).set(admin.auth).expect(200)).body.data;
    expect(byActor.map((a: { targetId: string }) => a.targetId)).toEqual([items[2].id]);
    const byTarget = (await t.http.get('/api/v1/admin/audit-log').query({ targetType: 'mall-item', targetId: items[1].id }).set(admin.auth).expect(200)).body
      .data;
    expect(byTarget).toHaveLength(1);
    expect(byTarget[0]).toMatchObject({ action: 'mall-item.create', actorId: admin.id });
  });

  it('refuses other tokens and malformed queries', async () => {
    await t.http.get('/api/v1/admin/audit-log').set(cashier.auth).expect(403);
    await t.http.get('/api/v1/admin/audit-log').set(manager.auth).expect(403);
    for (const query of [{ limit: 0 }, { limit: 101 }, { cursor: 'bogus' }, { actorId: 'x' }, { action: 'a'.repeat(65) }]) {
      badRequest(await t.http.get('/api/v1/admin/audit-log').query(query).set(admin.auth));
    }
  });
});

describe('/api/v1/admin/stores and /api/v1/admin/staff', () => {
  const PASSWORD = 'correct horse battery';
  const signIn = (username: string, password = PASSWORD) => t.http.post('/api/v1/staff/sessions').send({ username, password });

  it('an operator opens a store, hires a cashier, and deactivating the account stops its token at once', async () => {
    const store = await t.http.post('/api/v1/admin/stores').set(admin.auth).send({ name: '西湖店' }).expect(201);
    const storeId = store.body.data.id as string;
    await t.http.patch(`/api/v1/admin/stores/${storeId}`).set(admin.auth).send({ name: '西湖旗舰店' }).expect(200);
    const stores = (await t.http.get('/api/v1/admin/stores').set(admin.auth).expect(200)).body.data;
    expect(stores).toContainEqual(expect.objectContaining({ id: storeId, name: '西湖旗舰店' }));

    const created = await t.http
      .post('/api/v1/admin/staff')
      .set(admin.auth)
      .send({ storeId, username: 'xihu_cashier', password: PASSWORD, role: 'cashier' })
      .expect(201);
    expect(created.body.data).toMatchObject({ storeId, username: 'xihu_cashier', role: 'cashier', active: true, disabledAt: null });
    expect(JSON.stringify(created.body)).not.toMatch(/password|scrypt/i);
    const staffId = created.body.data.id as string;
    const listed = await t.http.get('/api/v1/admin/staff').query({ storeId }).set(admin.auth).expect(200);
    expect(listed.body.data.map((s: { id: string }) => s.id)).toEqual([staffId]);
    expect(JSON.stringify(listed.body)).not.toMatch(/password|scrypt/i);

    const session = await signIn('xihu_cashier').expect(200);
    const auth = { Authorization: `Bearer ${session.body.data.token as string}` };
    const m = await t.member();
    await t.http
      .post('/api/v1/counter/lookup')
      .set(auth)
      .send({ code: t.codeOf(m) })
      .expect(200);

    const off = await t.http.delete(`/api/v1/admin/staff/${staffId}`).set(admin.auth).expect(200);
    expect(off.body.data.active).toBe(false);
    expect(
      (
        await t.http
          .post('/api/v1/counter/lookup')
          .set(auth)
          .send({ code: t.codeOf(m) })
          .expect(401)
      ).body.error.code,
    ).toBe('UNAUTHENTICATED');
    await signIn('xihu_cashier').expect(401);

    await t.http.patch(`/api/v1/admin/staff/${staffId}`).set(admin.auth).send({ active: true, password: 'a new long password' }).expect(200);
    await signIn('xihu_cashier').expect(401);
    await signIn('xihu_cashier', 'a new long password').expect(200);

    const log = (await t.http.get('/api/v1/admin/audit-log').query({ targetType: 'staff', targetId: staffId }).set(admin.auth).expect(200)).body.data;
    expect(log.map((a: { action: string }) => a.action)).toEqual(['staff.update', 'staff.update', 'staff.create']);
    expect(JSON.stringify(log)).not.toContain(PASSWORD);
    expect(JSON.stringify(log)).not.toContain('a new long password');
    expect(log[0].details).toMatchObject({ active: true, passwordChanged: true });
  });

  it('a token ended by a change stays ended when the change is undone, and a password reset ends old sessions', async () => {
    const m = await t.member();
    const lookup = (auth: Record<string, string>) =>
      t.http
        .post('/api/v1/counter/lookup')
        .set(auth)
        .send({ code: t.codeOf(m) });
    const worker = await t.staff('cashier');
    await lookup(worker.auth).expect(200);
    await t.http.delete(`/api/v1/admin/staff/${worker.id}`).set(admin.auth).expect(200);
    await lookup(worker.auth).expect(401);
    // Reactivated: the account works again, but only with a new sign-in (the old token was accepted again).
    await t.http.patch(`/api/v1/admin/staff/${worker.id}`).set(admin.auth).send({ active: true }).expect(200);
    await lookup(worker.auth).expect(401);
    const fresh = await signIn(worker.username).expect(200);
    await lookup({ Authorization: `Bearer ${fresh.body.data.token as string}` }).expect(200);

    // An admin demoted and promoted back: the admin token from before stays dead.
    const other = await t.staff('admin');
    await t.http.get('/api/v1/admin/stores').set(other.auth).expect(200);
    await t.http.patch(`/api/v1/admin/staff/${other.id}`).set(admin.auth).send({ role: 'manager' }).expect(200);
    await t.http.patch(`/api/v1/admin/staff/${other.id}`).set(admin.auth).send({ role: 'admin' }).expect(200);
    await t.http.get('/api/v1/admin/stores').set(other.auth).expect(401);

    // A password reset (a compromised account) ends the sessions signed in with the old one.
    const reset = await t.staff('manager');
    await lookup(reset.auth).expect(200);
    await t.http.patch(`/api/v1/admin/staff/${reset.id}`).set(admin.auth).send({ password: 'another long password' }).expect(200);
    await lookup(reset.auth).expect(401);
  });

  it('cleans what operators write: invisible and control characters go, names shown to members hold no < or >', async () => {
    // Names members read on their e-receipts and in /rules: a NUL or a bidi override was stored as sent.
    const store = await t.http.post('/api/v1/admin/stores').set(admin.auth).send({ name: ' 西湖\u202e\u200b店 ' }).expect(201);
    expect(store.body.data.name).toBe('西湖店');
    for (const name of ['\u0000', '\u202e\u200b', '<b>店</b>']) {
      expect((await t.http.post('/api/v1/admin/stores').set(admin.auth).send({ name }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    }
    await t.http
      .post('/api/v1/admin/campaigns')
      .set(admin.auth)
      .send({ code: 'clean-name', name: '<script>alert(1)</script>', multiplier: 2, from: '2031-01-01', to: '2031-01-02' })
      .expect(400);
    const m = await t.member();
    const adj = await t.http
      .post(`/api/v1/admin/members/${m.id}/adjustments`)
      .set(admin.auth)
      .set('Idempotency-Key', 'clean-reason')
      .send({ points: 5, reason: '\u202e\u0000补发' })
      .expect(201);
    const log = (await t.http.get('/api/v1/admin/audit-log').query({ targetId: m.id, action: 'points.adjust' }).set(admin.auth).expect(200)).body.data;
    expect(log[0].details).toMatchObject({ reason: '补发' });
    expect(adj.status).toBe(201);
  });

  it('moving or re-roling an account stops its old token', async () => {
    const store = (await t.http.post('/api/v1/admin/stores').set(admin.auth).send({ name: '滨江店' }).expect(201)).body.data.id as string;
    const mover = await t.staff('manager');
    const m = await t.member();
    await t.http
      .post('/api/v1/counter/lookup')
      .set(mover.auth)
      .send({ code: t.codeOf(m) })
      .expect(200);
    await t.http.patch(`/api/v1/admin/staff/${mover.id}`).set(admin.auth).send({ storeId: store, role: 'cashier' }).expect(200);
    await t.http
      .post('/api/v1/counter/lookup')
      .set(mover.auth)
      .send({ code: t.codeOf(m) })
      .expect(401);
    const again = await signIn(mover.username).expect(200);
    expect(again.body.data.staff).toMatchObject({ storeId: store, role: 'cashier' });
  });

  it('refuses cashier and manager tokens, taken usernames, unknown stores, bad input and self-deactivation; nothing changes', async () => {
    const before = (await t.http.get('/api/v1/admin/staff').query({ limit: 100 }).set(admin.auth).expect(200)).body.data.length as number;
    const body = { storeId: cashier.storeId, username: 'sneaky_admin', password: PASSWORD, role: 'admin' };
    for (const auth of [cashier.auth, manager.auth]) {
      await t.http.post('/api/v1/admin/staff').set(auth).send(body).expect(403);
      await t.http.get('/api/v1/admin/staff').set(auth).expect(403);
      await t.http.post('/api/v1/admin/stores').set(auth).send({ name: '黑店' }).expect(403);
      await t.http.patch(`/api/v1/admin/staff/${manager.id}`).set(auth).send({ role: 'admin' }).expect(403);
    }
    expect(
      (
        await t.http
          .post('/api/v1/admin/staff')
          .set(admin.auth)
          .send({ ...body, username: cashier.username })
          .expect(409)
      ).body.error.code,
    ).toBe('USERNAME_TAKEN');
    for (const bad of [
      { ...body, storeId: '01ABCDEFGHJKMNPQRSTVWXYZ12' },
      { ...body, password: 'short' },
      { ...body, role: 'owner' },
      { ...body, username: 'a b' },
      { ...body, passwordHash: 'x' },
    ]) {
      badRequest(await t.http.post('/api/v1/admin/staff').set(admin.auth).send(bad));
    }
    badRequest(await t.http.post('/api/v1/admin/stores').set(admin.auth).send({ name: '' }));
    badRequest(await t.http.patch(`/api/v1/admin/staff/${admin.id}`).set(admin.auth).send({ active: false }));
    badRequest(await t.http.patch(`/api/v1/admin/staff/${admin.id}`).set(admin.auth).send({ role: 'cashier' }));
    badRequest(await t.http.patch(`/api/v1/admin/staff/${cashier.id}`).set(admin.auth).send({}));
    await t.http.patch('/api/v1/admin/staff/01ABCDEFGHJKMNPQRSTVWXYZ12').set(admin.auth).send({ active: false }).expect(404);
    await t.http.patch('/api/v1/admin/stores/01ABCDEFGHJKMNPQRSTVWXYZ12').set(admin.auth).send({ name: '无' }).expect(404);
    expect((await t.http.get('/api/v1/admin/staff').query({ limit: 100 }).set(admin.auth).expect(200)).body.data.length).toBe(before);
    await t.http.get('/api/v1/admin/audit-log').set(admin.auth).expect(200);
  });
});

describe('/api/v1/admin/campaigns', () => {
  const ORDINARY_DAY = '2026-11-20T04:00:00Z';
  // Each order a code window later: a code pays for one order.
  const order = async (m: Awaited<ReturnType<TestApp['member']>>, receiptNo: string) => {
    t.clock.advance(t.config.loyalty.dynamicCode.periodSeconds * 1000);
    return (
      await t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m, { usePoints: false }), amountCents: 10000, receiptNo })
        .expect(201)
    ).body.data as { pointsEarned: number };
  };

  it('an operator’s campaign applies to counter earning and shows in /rules; ending it stops it at once', async () => {
    t.clock.set(ORDINARY_DAY);
    const gold = await t.memberWith('gold', 0);
    // ¥100 at 金卡's 9折: ¥90 paid, 90 points.
    expect((await order(gold, 'CAMP-0')).pointsEarned).toBe(90);

    const created = await t.http
      .post('/api/v1/admin/campaigns')
      .set(admin.auth)
      .send({ code: 'gold-week', name: '金卡周', multiplier: 3, tiers: ['gold'], from: '2026-11-19', to: '2026-11-25' })
      .expect(201);
    expect(created.body.data).toMatchObject({ code: 'gold-week', multiplier: 3, dayOfMonth: null, tiers: ['gold'], active: true });
    expect((await order(gold, 'CAMP-1')).pointsEarned).toBe(270);
    const silver = await t.memberWith('silver', 0);
    expect((await order(silver, 'CAMP-2')).pointsEarned).toBe(95);

    const rules = (await t.http.get('/api/v1/rules').expect(200)).body.data.campaigns;
    expect(rules).toContainEqual({ code: 'gold-week', name: '金卡周', multiplier: 3, tiers: ['gold'], from: '2026-11-19', to: '2026-11-25' });
    expect(rules.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(t.config.loyalty.campaigns.map((c) => c.code)));

    await t.http
      .delete(`/api/v1/admin/campaigns/${created.body.data.id as string}`)
      .set(admin.auth)
      .expect(200);
    expect((await order(gold, 'CAMP-3')).pointsEarned).toBe(90);
    expect((await t.http.get('/api/v1/rules').expect(200)).body.data.campaigns.map((c: { code: string }) => c.code)).not.toContain('gold-week');

    // Outside its window a campaign does not apply.
    const later = await t.http
      .post('/api/v1/admin/campaigns')
      .set(admin.auth)
      .send({ code: 'december', name: '十二月', multiplier: 1.5, from: '2026-12-01', to: '2026-12-31' })
      .expect(201);
    expect(later.body.data.multiplier).toBe(1.5);
    expect((await order(gold, 'CAMP-4')).pointsEarned).toBe(90);
    t.clock.set('2026-12-02T04:00:00Z');
    expect((await order(gold, 'CAMP-5')).pointsEarned).toBe(135);

    const log = (await t.http.get('/api/v1/admin/audit-log').query({ targetType: 'campaign' }).set(admin.auth).expect(200)).body.data;
    expect(log.map((a: { action: string }) => a.action)).toEqual(['campaign.create', 'campaign.update', 'campaign.create']);
  });

  it('keeps the configured member day: a stored monthly campaign competes with it (the highest wins, never stacked)', async () => {
    t.clock.set('2026-11-18T04:00:00Z');
    await t.http
      .post('/api/v1/admin/campaigns')
      .set(admin.auth)
      .send({ code: 'member-day-plus', name: '会员日加码', dayOfMonth: 18, multiplier: 2.5 })
      .expect(201);
    const m = await t.memberWith('normal', 0);
    expect((await order(m, 'MD-1')).pointsEarned).toBe(250);
  });

  it('refuses bad campaigns (400), taken codes (409) and other tokens (403); nothing stored', async () => {
    const count = async () => (await t.http.get('/api/v1/admin/campaigns').set(admin.auth).expect(200)).body.data.length as number;
    const before = await count();
    const ok = { code: 'spring', name: '春季', multiplier: 2, from: '2027-03-01', to: '2027-03-31' };
    for (const bad of [
      { ...ok, from: '2027-04-01' },
      { ...ok, multiplier: 11 },
      { ...ok, multiplier: 0.5 },
      { ...ok, multiplier: 1.234 },
      { code: 'x', name: '无期限', multiplier: 2 },
      { ...ok, to: undefined },
      { ...ok, tiers: ['platinum'] },
      { ...ok, dayOfMonth: 32 },
      { ...ok, from: '2027-02-30' },
      { ...ok, code: 'Bad Code' },
    ]) {
      badRequest(await t.http.post('/api/v1/admin/campaigns').set(admin.auth).send(bad));
    }
    for (const auth of [cashier.auth, manager.auth]) await t.http.post('/api/v1/admin/campaigns').set(auth).send(ok).expect(403);
    expect(await count()).toBe(before);
    const created = await t.http.post('/api/v1/admin/campaigns').set(admin.auth).send(ok).expect(201);
    expect((await t.http.post('/api/v1/admin/campaigns').set(admin.auth).send(ok).expect(409)).body.error.code).toBe('CAMPAIGN_CODE_TAKEN');
    expect(
      (
        await t.http
          .post('/api/v1/admin/campaigns')
          .set(admin.auth)
          .send({ ...ok, code: 'member-day' })
          .expect(409)
      ).body.error.code,
    ).toBe('CAMPAIGN_CODE_TAKEN');
    // A patch that would leave it without a day or a complete window, or with an inverted one.
    const id = created.body.data.id as string;
    badRequest(await t.http.patch(`/api/v1/admin/campaigns/${id}`).set(admin.auth).send({ to: null }));
    badRequest(await t.http.patch(`/api/v1/admin/campaigns/${id}`).set(admin.auth).send({ from: '2027-05-01' }));
    expect((await t.http.get(`/api/v1/admin/campaigns/${id}`).set(admin.auth).expect(200)).body.data).toMatchObject({ from: '2027-03-01', to: '2027-03-31' });
    await t.http.patch(`/api/v1/admin/campaigns/${id}`).set(manager.auth).send({ multiplier: 10 }).expect(403);
  });
});

describe('GET /api/v1/admin/reports/summary', () => {
  it('counts members, tiers, points, coupons, check-ins and mall redemptions of the period', async () => {
    t.clock.set('2031-03-10T04:00:00Z');
    const a = await t.memberWith('gold', 0);
    const b = await t.member();
    await t.http
      .post(`/api/v1/admin/members/${a.id}/adjustments`)
      .set(admin.auth)
      .set('Idempotency-Key', t.freshKey())
      .send({ points: 700, reason: '报表' })
      .expect(201);
    await t.http
      .post(`/api/v1/admin/members/${a.id}/adjustments`)
      .set(admin.auth)
      .set('Idempotency-Key', t.freshKey())
      .send({ points: -200, reason: '报表' })
      .expect(201);
    await t.http.post('/api/v1/me/checkins').set(b.auth).expect(201);
    const item = await t.adminItem(admin.auth, { pointsCost: 100 });
    await t.redeem(a.auth, item.id).expect(201);

    const res = await t.http.get('/api/v1/admin/reports/summary').query({ from: '2031-03-10', to: '2031-03-10' }).set(admin.auth).expect(200);
    const s = res.body.data;
    expect(s.members.new).toBe(2);
    expect(s.members.total).toBeGreaterThanOrEqual(2);
    expect(s.members.active30d).toBeGreaterThanOrEqual(2);
    expect(s.points).toEqual({ issued: 700 + 5, spent: 200 + 100, expired: 0 });
    expect(s.checkins).toMatchObject({ checkins: 1, members: 1 });
    expect(s.mall).toEqual({ redemptions: 1, cancelled: 0, pointsSpent: 100 });
    expect(s.coupons.issued).toBeGreaterThanOrEqual(0);
    expect(s.tiers.map((x: { code: string }) => x.code)).toEqual(t.config.loyalty.tiers.map((x) => x.code));
    expect(s.tiers.find((x: { code: string }) => x.code === 'gold').members).toBeGreaterThanOrEqual(1);

    // A day with nothing in it.
    const empty = (await t.http.get('/api/v1/admin/reports/summary').query({ from: '2031-01-01', to: '2031-01-01' }).set(admin.auth).expect(200)).body.data;
    expect(empty.points).toEqual({ issued: 0, spent: 0, expired: 0 });
    expect(empty.coupons.useRate).toBeNull();
  });

  it('refuses other tokens and bad periods', async () => {
    for (const auth of [cashier.auth, manager.auth])
      await t.http.get('/api/v1/admin/reports/summary').query({ from: '2031-01-01', to: '2031-01-02' }).set(auth).expect(403);
    for (const query of [
      {},
      { from: '2031-01-02', to: '2031-01-01' },
      { from: '2030-01-01', to: '2031-12-31' },
      { from: '2031-1-1', to: '2031-01-02' },
      // Year 0001 hung the whole BFF (read as 1901, the day was never found); 9999-12-31 was a 500.
      { from: '0001-01-01', to: '0001-01-01' },
      { from: '0026-11-23', to: '0026-11-23' },
      { from: '9999-12-31', to: '9999-12-31' },
    ]) {
      badRequest(await t.http.get('/api/v1/admin/reports/summary').query(query).set(admin.auth));
    }
    await t.http.get('/api/v1/admin/reports/summary').query({ from: '9999-12-30', to: '9999-12-30' }).set(admin.auth).expect(200);
  });
});

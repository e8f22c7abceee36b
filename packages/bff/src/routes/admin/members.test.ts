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

const adjust = (memberId: string, body: unknown, key: string, auth: Record<string, string> = admin.auth) =>
  t.http
    .post(`/api/v1/admin/members/${memberId}/adjustments`)
    .set(auth)
    .set('Idempotency-Key', key)
    .send(body as object);

const ledgerRows = async (memberId: string) =>
  Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM points_ledger WHERE member_id = ?', [memberId]))[0].n);

const auditOf = async (action: string, targetId: string) =>
  (await t.http.get('/api/v1/admin/audit-log').query({ action, targetId, limit: 100 }).set(admin.auth).expect(200)).body.data as {
    actorId: string;
    details: Record<string, unknown>;
  }[];

describe('POST /api/v1/admin/members/{id}/adjustments — the operator’s story', () => {
  it('credits points as a new lot with the configured lifetime, once per key, audit-logged with the operator and the reason', async () => {
    t.clock.set('2026-11-20T04:00:00Z');
    const m = await t.member();
    const first = await adjust(m.id, { points: 500, reason: '门店活动补发积分' }, 'adj-1').expect(201);
    const lifetime = t.config.loyalty.points.lotLifetimeDays;
    expect(first.body.data).toMatchObject({ memberId: m.id, points: 500, balanceAfter: 500, reason: '门店活动补发积分' });
    expect(Date.parse(first.body.data.expiresAt)).toBe(Date.parse('2026-11-20T04:00:00Z') + lifetime * 86_400_000);
    expect(await t.balanceOf(m.auth)).toBe(500);
    const lots = await t.dataSource.query('SELECT amount, remaining FROM points_lots WHERE member_id = ?', [m.id]);
    expect(lots.map((l: { amount: unknown; remaining: unknown }) => [Number(l.amount), Number(l.remaining)])).toEqual([[500, 500]]);

    // The same key and body: the first answer again, nothing moves.
    const again = await adjust(m.id, { points: 500, reason: '门店活动补发积分' }, 'adj-1').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data.entryId).toBe(first.body.data.entryId);
    expect(await t.balanceOf(m.auth)).toBe(500);

    const log = await auditOf('points.adjust', m.id);
    expect(log).toHaveLength(1);
    expect(log[0].actorId).toBe(admin.id);
    expect(log[0].details).toMatchObject({ points: 500, reason: '门店活动补发积分', entryId: first.body.data.entryId, balanceAfter: 500 });

    // The member sees the entry in their own history.
    const history = (await t.http.get('/api/v1/me/points/ledger').set(m.auth).expect(200)).body.data;
    expect(history[0]).toMatchObject({ delta: 500, reason: 'adjust' });
  });

  it('debits points from the lots closest to expiry, and refuses to go below zero (422, nothing moves)', async () => {
    const m = await t.member();
    const soon = new Date(Date.now() + 10 * 86_400_000);
    const later = new Date(Date.now() + 200 * 86_400_000);
    await t.services.points.credit(m.id, { amount: 100, reason: 'adjust', sourceKey: 'setup:later', expiresAt: later });
    await t.services.points.credit(m.id, { amount: 100, reason: 'adjust', sourceKey: 'setup:soon', expiresAt: soon });
    const res = await adjust(m.id, { points: -150, reason: '重复发放，扣回' }, t.freshKey()).expect(201);
    expect(res.body.data).toMatchObject({ points: -150, balanceAfter: 50, expiresAt: null });
    const lots = await t.dataSource.query('SELECT remaining, expires_at AS e FROM points_lots WHERE member_id = ? ORDER BY expires_at', [m.id]);
    expect(lots.map((l: { remaining: unknown }) => Number(l.remaining))).toEqual([0, 50]);

    const before = await ledgerRows(m.id);
    const refused = await adjust(m.id, { points: -51, reason: '扣回' }, t.freshKey()).expect(422);
    expect(refused.body.error.code).toBe('POINTS_INSUFFICIENT');
    expect(await ledgerRows(m.id)).toBe(before);
    expect(await t.balanceOf(m.auth)).toBe(50);
    expect(await auditOf('points.adjust', m.id)).toHaveLength(1);
  });

  it('applies 20 concurrent identical requests once: one ledger row, balance = ledger = lots (MariaDB)', async () => {
    const m = await t.member();
    const key = t.freshKey();
    const replies = await Promise.all(Array.from({ length: 20 }, () => adjust(m.id, { points: 300, reason: '客诉补偿' }, key)));
    expect(replies.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 201));
    expect(new Set(replies.map((r) => r.body.data.entryId)).size).toBe(1);
    expect(await ledgerRows(m.id)).toBe(1);
    expect(await t.balanceOf(m.auth)).toBe(300);
    expect(await auditOf('points.adjust', m.id)).toHaveLength(1);
    await t.checkInvariants();
  });

  it('applies 10 concurrent debits with different keys only while the balance lasts', async () => {
    const m = await t.memberWith('normal', 250);
    const replies = await Promise.all(Array.from({ length: 10 }, () => adjust(m.id, { points: -100, reason: '扣回' }, t.freshKey())));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(2);
    expect(replies.filter((r) => r.status === 422)).toHaveLength(8);
    expect(await t.balanceOf(m.auth)).toBe(50);
    await t.checkInvariants();
  });
});

describe('POST /api/v1/admin/members/{id}/adjustments — the attacker', () => {
  it('refuses cashier, manager and member tokens (403) and no token (401); nothing moves', async () => {
    const m = await t.member();
    for (const auth of [cashier.auth, manager.auth, m.auth]) {
      const res = await adjust(m.id, { points: 1000, reason: '给自己加分' }, t.freshKey(), auth).expect(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    await t.http.post(`/api/v1/admin/members/${m.id}/adjustments`).set('Idempotency-Key', 'x').send({ points: 1, reason: 'x' }).expect(401);
    expect(await ledgerRows(m.id)).toBe(0);
  });

  it('refuses a replayed Idempotency-Key with another body: 409 IDEMPOTENCY_MISMATCH, nothing moves', async () => {
    const m = await t.member();
    const key = t.freshKey();
    await adjust(m.id, { points: 10, reason: '补偿' }, key).expect(201);
    for (const body of [
      { points: 10000, reason: '补偿' },
      { points: 10, reason: '别的原因' },
    ]) {
      expect((await adjust(m.id, body, key).expect(409)).body.error.code).toBe('IDEMPOTENCY_MISMATCH');
    }
    const other = await t.member();
    expect((await adjust(other.id, { points: 10, reason: '补偿' }, key).expect(409)).body.error.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(await t.balanceOf(m.auth)).toBe(10);
    expect(await ledgerRows(other.id)).toBe(0);
  });

  it('refuses malformed bodies and keys with 400 VALIDATION_FAILED, and unknown members with 404; nothing moves', async () => {
    const m = await t.member();
    const bodies: unknown[] = [
      {},
      { points: 0, reason: '零' },
      { points: 1.5, reason: '小数' },
      { points: '100', reason: '字符串' },
      { points: 1_000_001, reason: '太多' },
      { points: -1_000_001, reason: '太多' },
      { points: 100 },
      { points: 100, reason: '   ' },
      { points: 100, reason: 'x'.repeat(201) },
      { points: 100, reason: 'ok', memberId: 'someone-else' },
    ];
    for (const body of bodies) {
      const res = await adjust(m.id, body, t.freshKey());
      expect([res.status, res.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    await t.http.post(`/api/v1/admin/members/${m.id}/adjustments`).set(admin.auth).send({ points: 1, reason: '无键' }).expect(400);
    await adjust(m.id, { points: 1, reason: '键太长' }, 'k'.repeat(129)).expect(400);
    await adjust('01ABCDEFGHJKMNPQRSTVWXYZ12', { points: 1, reason: '不存在' }, t.freshKey()).expect(404);
    // Someone who signed in but never registered has a member row, not an account to adjust.
    const pending = await t.login();
    await adjust(t.tokens.verify(pending.token).sub, { points: 1, reason: '未注册' }, t.freshKey()).expect(404);
    expect(await ledgerRows(m.id)).toBe(0);
    expect(await auditOf('points.adjust', m.id)).toHaveLength(0);
  });
});

describe('GET /api/v1/admin/members — lookup', () => {
  const PHONE = '13987654321';

  it('finds a member by reference, by full phone (masked, never echoed) and by nickname prefix, paged; each search audit-logged without the query', async () => {
    const logStart = t.logLines.length;
    const withPhone = await t.member({ nickname: '查询测试甲', phone: PHONE });
    await t.member({ nickname: '查询测试乙' });
    await t.member({ nickname: '查询测试丙' });
    await t.member({ nickname: '别的名字' });

    const byRef = await t.http.get('/api/v1/admin/members').query({ query: withPhone.body.codeRef }).set(admin.auth).expect(200);
    expect(byRef.body.data).toHaveLength(1);
    expect(byRef.body.data[0]).toMatchObject({
      id: withPhone.id,
      ref: withPhone.body.codeRef,
      nickname: '查询测试甲',
      phoneMasked: '139****4321',
      status: 'active',
    });

    const byPhone = await t.http.get('/api/v1/admin/members').query({ query: PHONE }).set(admin.auth).expect(200);
    expect(byPhone.body.data.map((x: { id: string }) => x.id)).toEqual([withPhone.id]);
    expect(JSON.stringify(byPhone.body)).not.toContain(PHONE);
    // Part of a number finds nothing: only the full number is looked up (by its hash).
    expect(
      (
        await t.http
          .get('/api/v1/admin/members')
          .query({ query: PHONE.slice(0, 7) })
          .set(admin.auth)
          .expect(200)
      ).body.data,
    ).toEqual([]);

    const page1 = await t.http.get('/api/v1/admin/members').query({ query: '查询测试', limit: 2 }).set(admin.auth).expect(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.nextCursor).not.toBeNull();
    const page2 = await t.http.get('/api/v1/admin/members').query({ query: '查询测试', limit: 2, cursor: page1.body.nextCursor }).set(admin.auth).expect(200);
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    expect([...page1.body.data, ...page2.body.data].map((x: { nickname: string }) => x.nickname).sort()).toEqual(
      ['查询测试丙', '查询测试乙', '查询测试甲'].sort(),
    );

    const searches = (await t.http.get('/api/v1/admin/audit-log').query({ action: 'member.search', limit: 100 }).set(admin.auth).expect(200)).body.data;
    expect(searches.map((a: { details: { kind: string } }) => a.details.kind)).toEqual(expect.arrayContaining(['ref', 'phone', 'nickname']));
    expect(JSON.stringify(searches)).not.toContain(PHONE);
    expect(t.logLines.slice(logStart).join('\n')).not.toContain(PHONE);
  });

  it('treats LIKE wildcards as text: % and _ match nothing but themselves', async () => {
    await t.member({ nickname: '通配测试' });
    for (const query of ['%', '_', '%测试']) {
      expect((await t.http.get('/api/v1/admin/members').query({ query }).set(admin.auth).expect(200)).body.data).toEqual([]);
    }
  });

  it('shows one member with balance, tier, growth and the recent ledger; the view is audit-logged', async () => {
    const m = await t.memberWith('silver', 0);
    await adjust(m.id, { points: 120, reason: '补发' }, t.freshKey()).expect(201);
    const res = await t.http.get(`/api/v1/admin/members/${m.id}`).set(admin.auth).expect(200);
    expect(res.body.data).toMatchObject({ id: m.id, pointsBalance: 120, growth: 1000, tier: { code: 'silver' } });
    expect(res.body.data.recentLedger[0]).toMatchObject({ delta: 120, balanceAfter: 120, reason: 'adjust' });
    const views = await auditOf('member.view', m.id);
    expect(views).toHaveLength(1);
    expect(views[0].actorId).toBe(admin.id);
    await t.http.get('/api/v1/admin/members/01ABCDEFGHJKMNPQRSTVWXYZ12').set(admin.auth).expect(404);
  });

  it('is for admin tokens only and bounds the query', async () => {
    const m = await t.member({ nickname: '越权' });
    for (const auth of [cashier.auth, manager.auth, m.auth]) {
      await t.http.get('/api/v1/admin/members').query({ query: '越权' }).set(auth).expect(403);
      await t.http.get(`/api/v1/admin/members/${m.id}`).set(auth).expect(403);
    }
    for (const query of [{}, { query: '' }, { query: 'x'.repeat(41) }, { query: '越权', limit: 101 }, { query: '越权', cursor: 'not-a-cursor' }]) {
      const res = await t.http.get('/api/v1/admin/members').query(query).set(admin.auth);
      expect([res.status, res.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import { useTestApp, type TestApp } from '../../../test/support/test-app';

const t = useTestApp();
let admin: Awaited<ReturnType<TestApp['staff']>>;
let cashier: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  admin = await t.staff('admin');
  cashier = await t.staff('cashier');
});

describe('admin catalogue', () => {
  it('is for admin tokens only', async () => {
    const m = await t.member();
    await t.http.get('/api/v1/admin/mall-items').set(m.auth).expect(403);
    await t.http.get('/api/v1/admin/mall-items').set(cashier.auth).expect(403);
    await t.http.get('/api/v1/admin/mall-items').expect(401);
  });

  it('validates templates and items', async () => {
    const bad = await t.http
      .post('/api/v1/admin/coupon-templates')
      .set(admin.auth)
      .send({ code: 'x-1', kind: 'threshold', title: '满减', valueCents: 500, validity: { days: 3 } })
      .expect(400);
    expect(bad.body.error.details.issues.map((i: { path: string[] }) => i.path.join('.'))).toContain('thresholdCents');
    const noTemplate = await t.http
      .post('/api/v1/admin/mall-items')
      .set(admin.auth)
      .send({ kind: 'coupon', title: '券', pointsCost: 10, stock: 1 })
      .expect(400);
    expect(noTemplate.body.error.code).toBe('VALIDATION_FAILED');
    await t.http
      .post('/api/v1/admin/mall-items')
      .set(admin.auth)
      .send({ kind: 'physical', title: '杯', pointsCost: 10, stock: 1, minTier: 'platinum' })
      .expect(400);
  });

  it('moves stock by a delta, withdraws items, and audit-logs every change', async () => {
    const mug = await t.adminItem(admin.auth, { stock: 2 });
    await t.http.patch(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).send({ stockDelta: 5, pointsCost: 120 }).expect(200);
    expect(await t.stockOf(mug.id)).toBe(7);
    expect((await t.http.patch(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).send({ stockDelta: -8 }).expect(422)).body.error.code).toBe(
      'OUT_OF_STOCK',
    );
    expect(await t.stockOf(mug.id)).toBe(7);
    await t.http.delete(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).expect(200);
    expect((await t.http.get('/api/v1/mall/items').expect(200)).body.data.map((i: { id: string }) => i.id)).not.toContain(mug.id);
    await t.http.get(`/api/v1/mall/items/${mug.id}`).expect(404);
    const log = (await t.http.get('/api/v1/admin/audit-log').set(admin.auth).expect(200)).body.data.filter((a: { targetId: string }) => a.targetId === mug.id);
    expect(log.map((a: { action: string }) => a.action)).toEqual(['mall-item.update', 'mall-item.update', 'mall-item.create']);
    expect(log[0].actorId).toBe(admin.id);
  });

  it('grants a coupon to a member once per Idempotency-Key, audit-logged', async () => {
    const tpl = await t.adminTemplate(admin.auth, { title: '客服补偿券' });
    const m = await t.member();
    const grant = () =>
      t.http
        .post(`/api/v1/admin/members/${m.id}/coupons`)
        .set(admin.auth)
        .set('Idempotency-Key', 'grant-1')
        .send({ templateCode: tpl.code, reason: '排队太久' });
    const first = await grant().expect(201);
    const again = await grant().expect(201);
    expect(again.body.data.id).toBe(first.body.data.id);
    expect((await t.services.coupons.list(m.id, 'available')).filter((c) => c.title === '客服补偿券')).toHaveLength(1);
    const log = (await t.http.get('/api/v1/admin/audit-log').set(admin.auth)).body.data.filter(
      (a: { action: string; targetId: string }) => a.action === 'coupon.grant' && a.targetId === m.id,
    );
    expect(log).toHaveLength(1);
    expect(log[0].details).toMatchObject({ templateCode: tpl.code, reason: '排队太久' });
    await t.http
      .post('/api/v1/admin/members/01ABCDEFGHJKMNPQRSTVWXYZ12/coupons')
      .set(admin.auth)
      .set('Idempotency-Key', 'g2')
      .send({ templateCode: tpl.code, reason: 'x' })
      .expect(404);
  });

  it('the public catalogue shows coupon terms and stock left', async () => {
    const tpl = await t.adminTemplate(admin.auth, { kind: 'discount', title: '8折券', valueCents: undefined, discountPercent: 80, capCents: 2000 });
    const couponItem = await t.adminItem(admin.auth, { kind: 'coupon', title: '8折券', couponTemplateCode: tpl.code, stock: 4 });
    const res = await t.http.get(`/api/v1/mall/items/${couponItem.id}`).expect(200);
    expect(res.body.data).toMatchObject({ kind: 'coupon', stockLeft: 4, coupon: { kind: 'discount', discountPercent: 80, capCents: 2000 } });
  });
});

describe('admin input beyond what the columns hold', () => {
  const issuesOf = (res: { body: { error: { code: string; details?: { issues?: { path: string[] }[] } } } }) => {
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    return (res.body.error.details?.issues ?? []).map((i) => i.path.join('.'));
  };
  const templateCount = async () => (await t.http.get('/api/v1/admin/coupon-templates').set(admin.auth).expect(200)).body.data.length as number;
  const itemCount = async () => (await t.http.get('/api/v1/admin/mall-items').set(admin.auth).expect(200)).body.data.length as number;

  it('refuses validity and sale dates in year 10000 (also reached through an offset) or before 1970: 400, nothing stored', async () => {
    const templatesBefore = await templateCount();
    const itemsBefore = await itemCount();
    const window = (from: string, to: string) => ({
      code: `y-${Math.random().toString(36).slice(2, 8)}`,
      kind: 'cash',
      title: '券',
      valueCents: 100,
      validity: { from, to },
    });
    for (const [from, to] of [
      ['2024-01-01T00:00:00Z', '10000-01-01T00:00:00Z'],
      // 23:59 on the last day of 9999 in UTC−12 is year 10000 in UTC, where DATETIME stops.
      ['2024-01-01T00:00:00Z', '9999-12-31T23:59:59-12:00'],
      ['0000-01-01T00:00:00Z', '2030-01-01T00:00:00Z'],
      ['1969-12-31T23:59:59Z', '2030-01-01T00:00:00Z'],
      ['2030-01-01T00:00:00Z', '2024-01-01T00:00:00Z'],
    ]) {
      const res = await t.http.post('/api/v1/admin/coupon-templates').set(admin.auth).send(window(from, to)).expect(400);
      expect(issuesOf(res).some((p) => p.startsWith('validity'))).toBe(true);
    }
    const tpl = await t.adminTemplate(admin.auth, {});
    const patched = await t.http
      .patch(`/api/v1/admin/coupon-templates/${tpl.id}`)
      .set(admin.auth)
      .send({ validity: { from: '2024-01-01T00:00:00Z', to: '9999-12-31T23:59:59-12:00' } });
    expect(patched.status).toBe(400);
    expect((await t.http.get(`/api/v1/admin/coupon-templates/${tpl.id}`).set(admin.auth).expect(200)).body.data.validity).toEqual({ days: 30 });

    for (const saleTo of ['10000-01-01T00:00:00Z', '9999-12-31T23:59:59-12:00']) {
      const res = await t.http
        .post('/api/v1/admin/mall-items')
        .set(admin.auth)
        .send({ kind: 'physical', title: '杯', pointsCost: 10, stock: 1, saleTo })
        .expect(400);
      expect(issuesOf(res)).toContain('saleTo');
    }
    const mug = await t.adminItem(admin.auth, {});
    expect(
      issuesOf(await t.http.patch(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).send({ saleFrom: '9999-12-31T23:00:00-14:00' }).expect(400)),
    ).toContain('saleFrom');
    expect(await templateCount()).toBe(templatesBefore + 1);
    expect(await itemCount()).toBe(itemsBefore + 1);

    // The last instant DATETIME holds is still fine.
    const last = await t.http
      .post('/api/v1/admin/mall-items')
      .set(admin.auth)
      .send({ kind: 'physical', title: '杯', pointsCost: 10, stock: 1, saleFrom: '1970-01-01T00:00:00Z', saleTo: '9999-12-31T23:59:59Z' })
      .expect(201);
    expect(last.body.data.saleTo).toBe('9999-12-31T23:59:59.000Z');
  });

  it('refuses an edit that moves one end of the sale window past the other: 400, the item unchanged', async () => {
    const item = (
      await t.http
        .post('/api/v1/admin/mall-items')
        .set(admin.auth)
        .send({ kind: 'physical', title: '杯', pointsCost: 10, stock: 1, saleFrom: '2026-12-01T00:00:00Z', saleTo: '2026-12-31T00:00:00Z' })
        .expect(201)
    ).body.data;
    const patch = (body: object) => t.http.patch(`/api/v1/admin/mall-items/${item.id}`).set(admin.auth).send(body);
    expect(issuesOf(await patch({ saleFrom: '2026-12-31T00:00:00Z' }).expect(400))).toContain('saleFrom');
    expect(issuesOf(await patch({ saleTo: '2026-11-30T00:00:00Z', title: '改名' }).expect(400))).toContain('saleTo');
    const after = (await t.http.get(`/api/v1/admin/mall-items/${item.id}`).set(admin.auth).expect(200)).body.data;
    expect([after.title, after.saleFrom, after.saleTo]).toEqual(['杯', '2026-12-01T00:00:00.000Z', '2026-12-31T00:00:00.000Z']);
    // Moving both ends together, or opening one end, is fine.
    await patch({ saleFrom: '2027-01-01T00:00:00Z', saleTo: '2027-02-01T00:00:00Z' }).expect(200);
    await patch({ saleTo: null }).expect(200);
  });

  it('refuses stock moves that would overflow the column, huge or repeated: 400, stock unchanged', async () => {
    const mug = await t.adminItem(admin.auth, { stock: 100_000_000 });
    for (const stockDelta of [2 ** 31, 1e12, -(2 ** 31), 1.5]) {
      expect(issuesOf(await t.http.patch(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).send({ stockDelta }).expect(400))).toContain('stockDelta');
    }
    // Each delta is within bounds; their sum is not: the stock never passes what the column holds.
    const moved = await Promise.all(
      Array.from({ length: 3 }, () => t.http.patch(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).send({ stockDelta: 100_000_000, title: '改名' })),
    );
    expect(moved.map((r) => r.status)).toEqual([400, 400, 400]);
    expect(issuesOf(moved[0])).toContain('stockDelta');
    expect(await t.stockOf(mug.id)).toBe(100_000_000);
    // The whole patch is refused, not only the stock.
    expect((await t.http.get(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).expect(200)).body.data.title).toBe('帆布袋');
    await t.http.patch(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).send({ stockDelta: -1 }).expect(200);
    await t.http.patch(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).send({ stockDelta: 1 }).expect(200);
    expect(await t.stockOf(mug.id)).toBe(100_000_000);
    for (const body of [{ stock: 2 ** 31 }, { pointsCost: 2 ** 31 }, { perMemberLimit: 2 ** 31 }]) {
      await t.http
        .post('/api/v1/admin/mall-items')
        .set(admin.auth)
        .send({ kind: 'physical', title: '杯', pointsCost: 10, stock: 1, ...body })
        .expect(400);
    }
    for (const body of [{ valueCents: 2 ** 31 }, { totalStock: 2 ** 31 }, { perMemberLimit: 2 ** 31 }, { validity: { days: 2 ** 31 } }]) {
      await t.http
        .post('/api/v1/admin/coupon-templates')
        .set(admin.auth)
        .send({ code: 'big-1', kind: 'cash', title: '券', valueCents: 100, validity: { days: 3 }, ...body })
        .expect(400);
    }
  });

  it('refuses a 300-character Idempotency-Key: 400, no coupon granted, no points spent', async () => {
    const tpl = await t.adminTemplate(admin.auth, { title: '补偿券' });
    const m = await t.memberWith('normal', 500);
    const key = 'k'.repeat(300);
    const grant = await t.http
      .post(`/api/v1/admin/members/${m.id}/coupons`)
      .set(admin.auth)
      .set('Idempotency-Key', key)
      .send({ templateCode: tpl.code, reason: '测试' })
      .expect(400);
    expect(grant.body.error.details.issues[0].in).toBe('header Idempotency-Key');
    expect((await t.services.coupons.list(m.id, 'available')).filter((c) => c.title === '补偿券')).toHaveLength(0);
    const mug = await t.adminItem(admin.auth, { pointsCost: 100, stock: 3 });
    expect((await t.redeem(m.auth, mug.id, 1, key).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    await t.redeem(m.auth, mug.id, 1, 'k'.repeat(129)).expect(400);
    expect(await t.stockOf(mug.id)).toBe(3);
    expect(await t.balanceOf(m.auth)).toBe(500);
    // 128 characters is the contract's limit, and works.
    await t.redeem(m.auth, mug.id, 1, 'k'.repeat(128)).expect(201);
    expect(await t.balanceOf(m.auth)).toBe(400);
  });
});

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

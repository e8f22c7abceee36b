import { beforeAll, describe, expect, it } from '@jest/globals';
import { CouponTemplateEntity, MallItemEntity, MemberCouponEntity, PointsLedgerEntity } from '../src/db/entities';
import { useTestApp, type TestApp } from './support/test-app';

const t = useTestApp();
let admin: Awaited<ReturnType<TestApp['staff']>>;
let manager: Awaited<ReturnType<TestApp['staff']>>;
let cashier: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  admin = await t.staff('admin');
  manager = await t.staff('manager');
  cashier = await t.staff('cashier');
});

let keys = 0;
const key = () => `k-${Date.now()}-${++keys}`;

async function item(body: Record<string, unknown>) {
  const res = await t.http
    .post('/api/v1/admin/mall-items')
    .set(admin.auth)
    .send({ kind: 'physical', title: '帆布袋', description: '门店自提', pointsCost: 100, stock: 10, ...body })
    .expect(201);
  return res.body.data as { id: string };
}

async function template(body: Record<string, unknown>) {
  const res = await t.http
    .post('/api/v1/admin/coupon-templates')
    .set(admin.auth)
    .send({ code: `t-${Date.now()}-${++keys}`, kind: 'cash', title: '¥5 券', valueCents: 500, validity: { days: 30 }, ...body })
    .expect(201);
  return res.body.data as { id: string; code: string };
}

async function memberWithPoints(points: number) {
  const m = await t.member();
  if (points) await t.services.points.credit(m.id, { amount: points, reason: 'adjust', sourceKey: 'setup' });
  return m;
}

const redeem = (auth: Record<string, string>, itemId: string, quantity = 1, idem = key()) =>
  t.http.post('/api/v1/mall/redemptions').set(auth).set('Idempotency-Key', idem).send({ itemId, quantity });
const stock = async (id: string) => (await t.dataSource.manager.findOneByOrFail(MallItemEntity, { id })).stock;
const balance = async (auth: Record<string, string>) => (await t.http.get('/api/v1/me').set(auth).expect(200)).body.data.points.balance as number;

describe('POST /api/v1/mall/redemptions', () => {
  it('100 members racing for 10 in stock: exactly 10 succeed and stock ends at 0', async () => {
    const it10 = await item({ stock: 10, pointsCost: 300 });
    const members = await Promise.all(Array.from({ length: 100 }, () => memberWithPoints(500)));
    const res = await Promise.all(members.map((m) => redeem(m.auth, it10.id)));
    const ok = res.filter((r) => r.status === 201);
    expect(ok).toHaveLength(10);
    expect(res.filter((r) => r.status === 422).every((r) => r.body.error.code === 'OUT_OF_STOCK')).toBe(true);
    expect(await stock(it10.id)).toBe(0);
    const balances = await Promise.all(members.map((m) => balance(m.auth)));
    expect(balances.filter((b) => b === 200)).toHaveLength(10);
    expect(balances.filter((b) => b === 500)).toHaveLength(90);
  });

  it('one member racing 20 redemptions against a per-member limit of 2 gets exactly 2', async () => {
    const limited = await item({ stock: 100, perMemberLimit: 2, pointsCost: 10 });
    const m = await memberWithPoints(1000);
    const res = await Promise.all(Array.from({ length: 20 }, () => redeem(m.auth, limited.id)));
    expect(res.filter((r) => r.status === 201)).toHaveLength(2);
    expect(res.filter((r) => r.status === 422).map((r) => r.body.error.code)).toEqual(Array(18).fill('LIMIT_REACHED'));
    expect(await stock(limited.id)).toBe(98);
    expect(await balance(m.auth)).toBe(980);
  });

  it('refuses what the member cannot afford with 422 POINTS_INSUFFICIENT and changes nothing', async () => {
    const dear = await item({ pointsCost: 5000 });
    const m = await memberWithPoints(4999);
    const ledgerBefore = await t.dataSource.manager.countBy(PointsLedgerEntity, { memberId: m.id });
    expect((await redeem(m.auth, dear.id).expect(422)).body.error.code).toBe('POINTS_INSUFFICIENT');
    expect([await stock(dear.id), await balance(m.auth), await t.dataSource.manager.countBy(PointsLedgerEntity, { memberId: m.id })]).toEqual([
      10,
      4999,
      ledgerBefore,
    ]);
  });

  it('the same Idempotency-Key applies once, even sent concurrently, and replays the first answer', async () => {
    const mug = await item({ pointsCost: 100 });
    const m = await memberWithPoints(1000);
    const res = await Promise.all(Array.from({ length: 10 }, () => redeem(m.auth, mug.id, 1, 'same-key')));
    expect(res.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(res.map((r) => r.body.data.id)).size).toBe(1);
    expect([await stock(mug.id), await balance(m.auth)]).toEqual([9, 900]);
    expect((await redeem(m.auth, mug.id, 2, 'same-key').expect(409)).body.error.code).toBe('IDEMPOTENCY_MISMATCH');
  });

  it('requires an Idempotency-Key', async () => {
    const mug = await item({});
    const m = await memberWithPoints(1000);
    const res = await t.http.post('/api/v1/mall/redemptions').set(m.auth).send({ itemId: mug.id, quantity: 1 }).expect(400);
    expect(res.body.error.details.issues[0].path).toEqual(['Idempotency-Key']);
  });

  it('issues the coupon of a coupon item into the wallet at once', async () => {
    const tpl = await template({ kind: 'threshold', title: '满50减8', valueCents: 800, thresholdCents: 5000 });
    const couponItem = await item({ kind: 'coupon', title: '满50减8 券', couponTemplateCode: tpl.code, pointsCost: 200 });
    const m = await memberWithPoints(500);
    const res = await redeem(m.auth, couponItem.id, 2).expect(201);
    expect(res.body.data).toMatchObject({ kind: 'coupon', status: 'issued', pickupCode: null, pointsSpent: 400, pointsBalance: 100 });
    expect(res.body.data.coupons.map((c: { title: string; thresholdCents: number }) => [c.title, c.thresholdCents])).toEqual([
      ['满50减8', 5000],
      ['满50减8', 5000],
    ]);
    const wallet = (await t.http.get('/api/v1/me/coupons?status=available').set(m.auth).expect(200)).body.data.map((c: { title: string }) => c.title);
    expect(wallet.filter((x: string) => x === '满50减8')).toHaveLength(2);
  });

  it('enforces minimum tier, sale window and quantity', async () => {
    const goldOnly = await item({ minTier: 'gold' });
    const later = await item({ saleFrom: new Date(Date.now() + 86_400_000).toISOString() });
    const m = await memberWithPoints(10_000);
    expect((await redeem(m.auth, goldOnly.id).expect(422)).body.error.code).toBe('TIER_REQUIRED');
    expect((await redeem(m.auth, later.id).expect(422)).body.error.code).toBe('NOT_ELIGIBLE');
    expect((await redeem(m.auth, goldOnly.id, t.config.loyalty.mall.maxQuantityPerRedemption + 1).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    await t.services.points.addGrowth(m.id, { delta: 5000, reason: 'adjust', sourceKey: 'to-gold' });
    await redeem(m.auth, goldOnly.id).expect(201);
  });

  it('a negative balance left by a refund blocks a redemption', async () => {
    const cheap = await item({ pointsCost: 1 });
    const m = await memberWithPoints(100);
    await t.services.points.debit(m.id, { amount: 100, reason: 'spend', sourceKey: 'spent' });
    await t.services.points.reverse(m.id, { amount: 50, reason: 'refund', sourceKey: 'refund' });
    expect((await redeem(m.auth, cheap.id).expect(422)).body.error.code).toBe('POINTS_INSUFFICIENT');
  });

  it.each([[{}], [{ itemId: 'x' }], [{ itemId: '01ABCDEFGHJKMNPQRSTVWXYZ12', quantity: 0 }], [{ itemId: '01ABCDEFGHJKMNPQRSTVWXYZ12', quantity: 1.5 }]])(
    'rejects %j with 400',
    async (body) => {
      const m = await memberWithPoints(0);
      expect((await t.http.post('/api/v1/mall/redemptions').set(m.auth).set('Idempotency-Key', key()).send(body).expect(400)).body.error.code).toBe(
        'VALIDATION_FAILED',
      );
    },
  );
});

describe('pickups: cancel and fulfil', () => {
  it('cancelling an unfulfilled pickup returns the points (with their expiry) and the stock, once', async () => {
    const bag = await item({ pointsCost: 300, stock: 3 });
    const m = await memberWithPoints(1000);
    const r = (await redeem(m.auth, bag.id).expect(201)).body.data;
    expect(r).toMatchObject({ status: 'awaiting_pickup', pickupCode: expect.stringMatching(/^\d{10}$/) });
    expect([await stock(bag.id), await balance(m.auth)]).toEqual([2, 700]);
    const cancelled = await t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(m.auth).expect(200);
    expect(cancelled.body.data.status).toBe('cancelled');
    await t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(m.auth).expect(200);
    expect([await stock(bag.id), await balance(m.auth)]).toEqual([3, 1000]);
    const reasons = (await t.http.get('/api/v1/me/points/ledger').set(m.auth)).body.data.map((e: { reason: string; delta: number }) => [e.reason, e.delta]);
    expect(reasons.slice(0, 2)).toEqual([
      ['redeem_cancel', 300],
      ['redeem', -300],
    ]);
  });

  it('a member can neither see nor cancel another member’s redemption', async () => {
    const bag = await item({});
    const a = await memberWithPoints(1000);
    const b = await memberWithPoints(0);
    const r = (await redeem(a.auth, bag.id).expect(201)).body.data;
    expect((await t.http.get('/api/v1/me/redemptions').set(b.auth).expect(200)).body.data).toEqual([]);
    expect((await t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(b.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await t.http.get('/api/v1/me/redemptions').set(a.auth).expect(200)).body.data[0].status).toBe('awaiting_pickup');
  });

  it('a manager hands the goods over once; cashiers may not; a fulfilled pickup cannot be cancelled', async () => {
    const bag = await item({});
    const m = await memberWithPoints(1000);
    const r = (await redeem(m.auth, bag.id).expect(201)).body.data;
    expect((await t.http.post(`/api/v1/counter/pickups/${r.pickupCode}/fulfil`).set(cashier.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
    const seen = await t.http.get(`/api/v1/counter/pickups/${r.pickupCode}`).set(manager.auth).expect(200);
    expect(seen.body.data).toMatchObject({ title: '帆布袋', status: 'awaiting_pickup', memberNickname: '小明' });
    const done = await t.http.post(`/api/v1/counter/pickups/${r.pickupCode}/fulfil`).set(manager.auth).expect(200);
    expect(done.body.data.status).toBe('fulfilled');
    await t.http.post(`/api/v1/counter/pickups/${r.pickupCode}/fulfil`).set(manager.auth).expect(200);
    expect((await t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(m.auth).expect(422)).body.error.code).toBe('NOT_ELIGIBLE');
    expect((await t.http.post('/api/v1/counter/pickups/0000000000/fulfil').set(manager.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
  });

  it('a manager can cancel a pickup at the counter', async () => {
    const bag = await item({ pointsCost: 50 });
    const m = await memberWithPoints(50);
    const r = (await redeem(m.auth, bag.id).expect(201)).body.data;
    expect((await t.http.post(`/api/v1/counter/pickups/${r.pickupCode}/cancel`).set(manager.auth).expect(200)).body.data.status).toBe('cancelled');
    expect(await balance(m.auth)).toBe(50);
  });
});

describe('coupons', () => {
  it('a template with stock 5 issued to 50 members concurrently issues exactly 5', async () => {
    const tpl = await template({ totalStock: 5 });
    const members = await Promise.all(Array.from({ length: 50 }, () => t.member()));
    const results = await Promise.allSettled(members.map((m) => t.issueCoupon(m.id, tpl.code, 'campaign:launch')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason.code === 'OUT_OF_STOCK')).toBe(true);
    expect((await t.dataSource.manager.findOneByOrFail(CouponTemplateEntity, { code: tpl.code })).issuedCount).toBe(5);
    expect(await t.dataSource.manager.countBy(MemberCouponEntity, { templateId: tpl.id })).toBe(5);
  });

  it('issues once per source event and honours per-member limits and minimum tiers', async () => {
    const tpl = await template({ perMemberLimit: 2 });
    const gold = await template({ minTier: 'gold' });
    const m = await t.member();
    const first = await t.issueCoupon(m.id, tpl.code, 'e1');
    expect((await t.issueCoupon(m.id, tpl.code, 'e1')).coupon.id).toBe(first.coupon.id);
    await t.issueCoupon(m.id, tpl.code, 'e2');
    await expect(t.issueCoupon(m.id, tpl.code, 'e3')).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
    await expect(t.issueCoupon(m.id, gold.code, 'g1')).rejects.toMatchObject({ code: 'TIER_REQUIRED' });
  });

  it('an expired coupon is not usable at the counter and shows under expired', async () => {
    t.clock.set('2026-11-20T04:00:00Z');
    const short = await template({ validity: { days: 1 } });
    const m = await t.member();
    const { coupon } = await t.issueCoupon(m.id, short.code, 'short');
    t.clock.advance(86_400_000 + 1);
    const res = await t.http
      .post('/api/v1/counter/quote')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 5000, couponId: coupon.id })
      .expect(422);
    expect(res.body.error.code).toBe('COUPON_NOT_APPLICABLE');
    const wallet = async (status: string) =>
      (await t.http.get(`/api/v1/me/coupons?status=${status}`).set(m.auth).expect(200)).body.data.map((c: { id: string }) => c.id);
    expect(await wallet('expired')).toContain(coupon.id);
    expect(await wallet('available')).not.toContain(coupon.id);
  });
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
    const mug = await item({ stock: 2 });
    await t.http.patch(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).send({ stockDelta: 5, pointsCost: 120 }).expect(200);
    expect(await stock(mug.id)).toBe(7);
    expect((await t.http.patch(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).send({ stockDelta: -8 }).expect(422)).body.error.code).toBe(
      'OUT_OF_STOCK',
    );
    expect(await stock(mug.id)).toBe(7);
    await t.http.delete(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).expect(200);
    expect((await t.http.get('/api/v1/mall/items').expect(200)).body.data.map((i: { id: string }) => i.id)).not.toContain(mug.id);
    await t.http.get(`/api/v1/mall/items/${mug.id}`).expect(404);
    const log = (await t.http.get('/api/v1/admin/audit-log').set(admin.auth).expect(200)).body.data.filter((a: { targetId: string }) => a.targetId === mug.id);
    expect(log.map((a: { action: string }) => a.action)).toEqual(['mall-item.update', 'mall-item.update', 'mall-item.create']);
    expect(log[0].actorId).toBe(admin.id);
  });

  it('grants a coupon to a member once per Idempotency-Key, audit-logged', async () => {
    const tpl = await template({ title: '客服补偿券' });
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
    const tpl = await template({ kind: 'discount', title: '8折券', valueCents: undefined, discountPercent: 80, capCents: 2000 });
    const couponItem = await item({ kind: 'coupon', title: '8折券', couponTemplateCode: tpl.code, stock: 4 });
    const res = await t.http.get(`/api/v1/mall/items/${couponItem.id}`).expect(200);
    expect(res.body.data).toMatchObject({ kind: 'coupon', stockLeft: 4, coupon: { kind: 'discount', discountPercent: 80, capCents: 2000 } });
  });
});

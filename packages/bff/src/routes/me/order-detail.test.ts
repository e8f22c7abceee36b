import { beforeAll, describe, expect, it } from '@jest/globals';
import { useTestApp, type TestApp } from '../../../test/support/test-app';

// The e-receipt a member opens from 消费记录: every figure of their own order, and nobody else's.
const t = useTestApp();
let cashier: Awaited<ReturnType<TestApp['staff']>>;
let manager: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  cashier = await t.staff('cashier', '淮海路店');
  manager = await t.staff('manager', '淮海路店');
});

describe('GET /api/v1/me/orders/{orderId}', () => {
  it('shows the member’s own order: store, tier discount, coupon, points used, paid, earned, refunds, review entry', async () => {
    t.clock.set('2026-11-20T04:00:00Z');
    const m = await t.memberWith('silver', 3000);
    const firstOrder = (await t.services.coupons.list(m.id, 'available')).find((c) => c.title === '首单满100减30')!;
    const order = (
      await t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m), amountCents: 20000, receiptNo: 'OD-1', couponId: firstOrder.id, pointsToUse: 1000 })
        .expect(201)
    ).body.data as { id: string };
    t.clock.advance(60_000);
    await t.http.post(`/api/v1/counter/orders/${order.id}/refunds`).set(manager.auth).send({ refundNo: 'OD-R1', amountCents: 5000 }).expect(201);

    const res = await t.http.get(`/api/v1/me/orders/${order.id}`).set(m.auth).expect(200);
    // 20000 → silver 95 % → 19000 → coupon −3000 → 16000 → 1,000 points −1000 → 15000 paid.
    expect(res.body.data).toMatchObject({
      id: order.id,
      storeName: '淮海路店',
      receiptNo: 'OD-1',
      tierName: '银卡会员',
      grossCents: 20000,
      tierDiscountCents: 1000,
      coupon: { title: '首单满100减30' },
      couponDiscountCents: 3000,
      pointsUsed: 1000,
      pointsDiscountCents: 1000,
      dueCents: 15000,
      refundedCents: 5000,
      review: null,
      reviewable: true,
    });
    expect(res.body.data.pointsEarned).toBeGreaterThan(0);
    expect(res.body.data.growthEarned).toBeGreaterThan(0);
    expect(res.body.data.refunds).toEqual([
      {
        id: expect.any(String),
        amountCents: 5000,
        pointsReversed: expect.any(Number),
        growthReversed: expect.any(Number),
        pointsReturned: expect.any(Number),
        couponRestored: false,
        createdAt: '2026-11-20T04:01:00.000Z',
      },
    ]);
  });

  it('answers 404 for another member’s order and for an order that does not exist', async () => {
    const a = await t.memberWith('normal', 0);
    const b = await t.member();
    t.clock.advance(60_000);
    const order = (
      await t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(a), amountCents: 3000, receiptNo: 'OD-2' })
        .expect(201)
    ).body.data as { id: string };
    expect((await t.http.get(`/api/v1/me/orders/${order.id}`).set(b.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await t.http.get('/api/v1/me/orders/01JZZZZZZZZZZZZZZZZZZZZZZZ').set(a.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
    await t.http.get(`/api/v1/me/orders/${order.id}`).set(a.auth).expect(200);
    await t.http.get(`/api/v1/me/orders/${order.id}`).set(cashier.auth).expect(403);
  });
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import { MallItemEntity, MemberCouponEntity, OrderEntity, RefundEntity } from '../src/db/entities';
import { useTestApp, type TestApp } from './support/test-app';

// Value-moving paths raced against each other on MariaDB: whatever the interleaving, value moves once.
const t = useTestApp();
let cashier: Awaited<ReturnType<TestApp['staff']>>;
let manager: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  cashier = await t.staff('cashier');
  manager = await t.staff('manager');
});

describe('races', () => {
  it('concurrent partial refunds never add up to more than was paid', async () => {
    const m = await t.member();
    const order = (
      await t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m), amountCents: 10000, receiptNo: 'RACE-1' })
        .expect(201)
    ).body.data;
    const res = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.http
          .post(`/api/v1/counter/orders/${order.id}/refunds`)
          .set(cashier.auth)
          .send({ refundNo: `RR-${i}`, amountCents: 3000 }),
      ),
    );
    expect(res.filter((r) => r.status === 201)).toHaveLength(3);
    expect(res.filter((r) => r.status === 422).every((r) => r.body.error.code === 'REFUND_EXCEEDS_ORDER')).toBe(true);
    const row = await t.dataSource.manager.findOneByOrFail(OrderEntity, { id: order.id });
    expect([row.refundedCents, await t.dataSource.manager.countBy(RefundEntity, { orderId: order.id })]).toEqual([9000, 3]);
    expect(row.pointsReversed).toBe(Math.floor((100 * 9000) / 10000));
  });

  it('one coupon on two concurrent orders (two code windows, two tills) is used once', async () => {
    t.clock.set('2026-11-20T04:00:40Z');
    const m = await t.member();
    const other = await t.staff('cashier', '分店');
    const welcome = (await t.services.coupons.list(m.id, 'available')).find((c) => c.kind === 'cash')!;
    const previousWindow = t.codeOf(m, new Date(t.clock.now().getTime() - 30_000));
    const currentWindow = t.codeOf(m);
    const res = await Promise.all([
      t.http.post('/api/v1/counter/orders').set(cashier.auth).send({ code: previousWindow, amountCents: 5000, couponId: welcome.id, receiptNo: 'CP-1' }),
      t.http.post('/api/v1/counter/orders').set(other.auth).send({ code: currentWindow, amountCents: 5000, couponId: welcome.id, receiptNo: 'CP-2' }),
    ]);
    expect(res.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(res.find((r) => r.status === 422)!.body.error.code).toBe('COUPON_NOT_APPLICABLE');
    expect(await t.dataSource.manager.countBy(OrderEntity, { couponId: welcome.id })).toBe(1);
    expect((await t.dataSource.manager.findOneByOrFail(MemberCouponEntity, { id: welcome.id })).status).toBe('used');
  });

  it('a pickup cancelled by the member while a manager fulfils it ends one way, with points and stock consistent', async () => {
    const admin = await t.staff('admin');
    const item = (
      await t.http.post('/api/v1/admin/mall-items').set(admin.auth).send({ kind: 'physical', title: '保温杯', pointsCost: 400, stock: 1 }).expect(201)
    ).body.data;
    for (let round = 0; round < 5; round++) {
      const m = await t.member();
      await t.services.points.credit(m.id, { amount: 400, reason: 'adjust', sourceKey: 'setup' });
      const r = (await t.http.post('/api/v1/mall/redemptions').set(m.auth).set('Idempotency-Key', `race-${round}`).send({ itemId: item.id }).expect(201)).body
        .data;
      const [cancel, fulfil] = await Promise.all([
        t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(m.auth),
        t.http.post(`/api/v1/counter/pickups/${r.pickupCode}/fulfil`).set(manager.auth),
      ]);
      const balance = (await t.http.get('/api/v1/me').set(m.auth)).body.data.points.balance;
      const stock = (await t.dataSource.manager.findOneByOrFail(MallItemEntity, { id: item.id })).stock;
      if (cancel.status === 200) {
        expect([fulfil.status, fulfil.body.error?.code, balance, stock]).toEqual([422, 'NOT_ELIGIBLE', 400, 1]);
      } else {
        expect([cancel.status, fulfil.status, balance]).toEqual([422, 200, 0]);
        await t.http.patch(`/api/v1/admin/mall-items/${item.id}`).set(admin.auth).send({ stockDelta: 1 }).expect(200);
      }
    }
  });

  it('a double-tapped cancel returns the points once', async () => {
    const admin = await t.staff('admin');
    const item = (
      await t.http.post('/api/v1/admin/mall-items').set(admin.auth).send({ kind: 'service', title: '体验课', pointsCost: 300, stock: 5 }).expect(201)
    ).body.data;
    const m = await t.member();
    await t.services.points.credit(m.id, { amount: 300, reason: 'adjust', sourceKey: 'setup' });
    const r = (await t.http.post('/api/v1/mall/redemptions').set(m.auth).set('Idempotency-Key', 'dbl').send({ itemId: item.id }).expect(201)).body.data;
    const res = await Promise.all(Array.from({ length: 6 }, () => t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(m.auth)));
    expect(res.map((x) => x.status)).toEqual(Array(6).fill(200));
    expect((await t.http.get('/api/v1/me').set(m.auth)).body.data.points.balance).toBe(300);
    expect((await t.dataSource.manager.findOneByOrFail(MallItemEntity, { id: item.id })).stock).toBe(5);
  });
});

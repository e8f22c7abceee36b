import { beforeAll, describe, expect, it } from '@jest/globals';
import { AuditEntity, GrowthLedgerEntity, MemberCouponEntity, MemberEntity, OrderEntity, PointsLedgerEntity, RefundEntity } from '../../db/entities';
import { useTestApp, type TestApp } from '../../../test/support/test-app';

/**
 * Refunds that cost money need a manager on the till: above `refunds.managerApprovalAboveCents`
 * (¥100 by default, counting what was already refunded) and every refund that completes an order.
 * Written as the attacks a cashier could try alone.
 */
const t = useTestApp();
type Staff = Awaited<ReturnType<TestApp['staff']>>;
let cashier: Staff;
let otherCashier: Staff;
let manager: Staff;
let admin: Staff;
let otherStoresManager: Staff;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  cashier = await t.staff('cashier');
  otherCashier = await t.staff('cashier');
  manager = await t.staff('manager');
  admin = await t.staff('admin');
  otherStoresManager = await t.staff('manager', '分店');
});

let receipts = 0;
const receipt = () => `RA${Date.now()}${++receipts}`;

/** A member's order paid at the till by the cashier, with a ¥10 coupon unless told otherwise. */
async function paidOrder(amountCents: number, opts: { coupon?: boolean } = {}) {
  const m = await t.memberWith('normal', 0);
  const coupon = opts.coupon === false ? null : await t.couponFor(m.id, { kind: 'cash', valueCents: 1000 });
  const order = (
    await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents, receiptNo: receipt(), ...(coupon ? { couponId: coupon.id } : {}) })
      .expect(201)
  ).body.data;
  return { m, coupon, order };
}

const refund = (who: Staff, orderId: string, body: Record<string, unknown>) =>
  t.http.post(`/api/v1/counter/orders/${orderId}/refunds`).set(who.auth).send(body);

/** Everything a refund could move for a member and an order. */
async function stateOf(memberId: string, orderId: string) {
  const m = t.dataSource.manager;
  return {
    member: await m.findOneByOrFail(MemberEntity, { id: memberId }),
    points: await m.find(PointsLedgerEntity, { where: { memberId }, order: { id: 'ASC' } }),
    growth: await m.find(GrowthLedgerEntity, { where: { memberId }, order: { id: 'ASC' } }),
    coupons: await m.find(MemberCouponEntity, { where: { memberId }, order: { id: 'ASC' } }),
    order: await m.findOneByOrFail(OrderEntity, { id: orderId }),
    refunds: await m.countBy(RefundEntity, { orderId }),
    audit: await m.countBy(AuditEntity, { targetId: orderId }),
  };
}

it('uses the shipped setting: approval above ¥100', () => expect(t.config.loyalty.refunds.managerApprovalAboveCents).toBe(10000));

describe('a cashier alone', () => {
  it('cannot refund more than ¥100: 403 needs a manager, and nothing moves', async () => {
    const { m, order } = await paidOrder(50000);
    const before = await stateOf(m.id, order.id);
    const res = await refund(cashier, order.id, { refundNo: 'RA-BIG', amountCents: 15000 }).expect(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { needs: 'manager' } });
    expect(await stateOf(m.id, order.id)).toEqual(before);
  });

  it('cannot refund a whole order, even under ¥100: points, growth and coupon stay put', async () => {
    const { m, coupon, order } = await paidOrder(6000);
    expect(order.dueCents).toBe(5000);
    const before = await stateOf(m.id, order.id);
    const res = await refund(cashier, order.id, { refundNo: 'RA-FULL', amountCents: 5000 }).expect(403);
    expect(res.body.error.details).toEqual({ needs: 'manager' });
    expect(await stateOf(m.id, order.id)).toEqual(before);
    expect((await t.dataSource.manager.findOneByOrFail(MemberCouponEntity, { id: coupon!.id })).status).toBe('used');
  });

  it('may refund part of an order under ¥100, but not the rest that completes it', async () => {
    const { m, order } = await paidOrder(6000);
    const part = (await refund(cashier, order.id, { refundNo: 'RA-P1', amountCents: 2000 }).expect(201)).body.data;
    expect(part).toMatchObject({ approvedBy: null, couponOutcome: 'partial', couponRestored: false });
    const before = await stateOf(m.id, order.id);
    expect((await refund(cashier, order.id, { refundNo: 'RA-P2', amountCents: 3000 }).expect(403)).body.error.details).toEqual({ needs: 'manager' });
    expect(await stateOf(m.id, order.id)).toEqual(before);
  });

  it('cannot split a large refund into small ones: the refunded total counts', async () => {
    const { m, order } = await paidOrder(50000, { coupon: false });
    await refund(cashier, order.id, { refundNo: 'RA-S1', amountCents: 9000 }).expect(201);
    const before = await stateOf(m.id, order.id);
    expect((await refund(cashier, order.id, { refundNo: 'RA-S2', amountCents: 2000 }).expect(403)).body.error.details).toEqual({ needs: 'manager' });
    expect(await stateOf(m.id, order.id)).toEqual(before);
  });

  it('still hears 422 for more than is left, approval or not', async () => {
    const { order } = await paidOrder(6000);
    expect((await refund(cashier, order.id, { refundNo: 'RA-TOO', amountCents: 5001 }).expect(422)).body.error.code).toBe('REFUND_EXCEEDS_ORDER');
  });
});

describe('approvals that are not a manager of this store', () => {
  const wrong: [string, () => Record<string, unknown>][] = [
    ['another store’s manager, right password', () => ({ username: otherStoresManager.username, password: PASSWORD })],
    ['another store’s manager token', () => ({ token: otherStoresManager.token })],
    ['a cashier of this store, right password', () => ({ username: otherCashier.username, password: PASSWORD })],
    ['the cashier’s own token', () => ({ token: cashier.token })],
    ['this store’s manager, wrong password', () => ({ username: manager.username, password: 'wrong horse battery' })],
    ['an unknown username', () => ({ username: 'nobody_here', password: PASSWORD })],
    ['a forged token', () => ({ token: `${manager.token.slice(0, -4)}AAAA` })],
  ];

  it.each(wrong)('%s → 403 needs a manager, the same answer each time, and nothing moves', async (_name, approval) => {
    const { m, order } = await paidOrder(50000);
    const before = await stateOf(m.id, order.id);
    const res = await refund(cashier, order.id, { refundNo: 'RA-W', amountCents: 50000 - 1000, approval: approval() }).expect(403);
    expect(res.body).toEqual({ error: { code: 'FORBIDDEN', message: 'a manager of this store must approve this refund', details: { needs: 'manager' } } });
    expect(await stateOf(m.id, order.id)).toEqual(before);
  });

  it('a member’s token approves nothing', async () => {
    const { m, order } = await paidOrder(50000);
    const res = await refund(cashier, order.id, { refundNo: 'RA-M', amountCents: 20000, approval: { token: m.token } }).expect(403);
    expect(res.body.error.details).toEqual({ needs: 'manager' });
  });
});

describe('a manager of this store approving on the till', () => {
  it('with their username and password: the full refund is recorded, approved by them, audited, and the coupon comes back', async () => {
    const { m, coupon, order } = await paidOrder(50000);
    const res = await refund(cashier, order.id, {
      refundNo: 'RA-OK1',
      amountCents: order.dueCents,
      approval: { username: manager.username, password: PASSWORD },
    }).expect(201);
    expect(res.body.data).toMatchObject({ approvedBy: manager.id, couponRestored: true, couponOutcome: 'restored', pointsReversed: order.pointsEarned });
    expect((await t.dataSource.manager.findOneByOrFail(MemberCouponEntity, { id: coupon!.id })).status).toBe('available');
    expect((await t.dataSource.manager.findOneByOrFail(RefundEntity, { id: res.body.data.id })).approvedBy).toBe(manager.id);
    expect((await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: m.id })).pointsBalance).toBe(0);
    const log = (await t.http.get('/api/v1/admin/audit-log').set(admin.auth).expect(200)).body.data;
    expect(log).toContainEqual(
      expect.objectContaining({
        actorId: manager.id,
        action: 'refund.approve',
        targetType: 'order',
        targetId: order.id,
        details: expect.objectContaining({ refundNo: 'RA-OK1', amountCents: order.dueCents, completesOrder: true, tillStaffId: cashier.id }),
      }),
    );
  });

  it('with their staff token', async () => {
    const { order } = await paidOrder(50000);
    const res = await refund(cashier, order.id, { refundNo: 'RA-OK2', amountCents: 20000, approval: { token: manager.token } }).expect(201);
    expect(res.body.data).toMatchObject({ approvedBy: manager.id, couponOutcome: 'partial', couponRestored: false });
  });

  it('an admin of this store may approve too', async () => {
    const { order } = await paidOrder(50000);
    const res = await refund(cashier, order.id, { refundNo: 'RA-OK3', amountCents: 20000, approval: { username: admin.username, password: PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.body.data.approvedBy).toBe(admin.id);
  });

  it('a full refund of an order whose coupon has lapsed says so', async () => {
    const { coupon, order } = await paidOrder(6000);
    t.clock.advance(31 * 86_400_000);
    const res = await refund(cashier, order.id, { refundNo: 'RA-OLD', amountCents: order.dueCents, approval: { token: manager.token } }).expect(201);
    expect(res.body.data).toMatchObject({ couponRestored: false, couponOutcome: 'expired' });
    expect((await t.dataSource.manager.findOneByOrFail(MemberCouponEntity, { id: coupon!.id })).status).toBe('expired');
  });
});

describe('a manager at the till', () => {
  it('needs no separate approval, and is recorded as the approver', async () => {
    const { order } = await paidOrder(50000);
    const res = await refund(manager, order.id, { refundNo: 'RA-MGR', amountCents: order.dueCents }).expect(201);
    expect(res.body.data).toMatchObject({ approvedBy: manager.id, couponOutcome: 'restored' });
    expect(await t.dataSource.manager.countBy(AuditEntity, { targetId: order.id, action: 'refund.approve', actorId: manager.id })).toBe(1);
  });

  it('small partial refunds record no approver', async () => {
    const { order } = await paidOrder(50000);
    expect((await refund(manager, order.id, { refundNo: 'RA-MGR-S', amountCents: 500 }).expect(201)).body.data.approvedBy).toBeNull();
  });
});

describe('replays', () => {
  it('an approved refund replays without a new approval, moving nothing; a different refund under its number is 409', async () => {
    const { m, order } = await paidOrder(50000);
    const first = (await refund(cashier, order.id, { refundNo: 'RA-REP', amountCents: order.dueCents, approval: { token: manager.token } }).expect(201)).body
      .data;
    const before = await stateOf(m.id, order.id);
    const again = await refund(cashier, order.id, { refundNo: 'RA-REP', amountCents: order.dueCents }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data).toMatchObject({ id: first.id, approvedBy: manager.id, couponOutcome: 'restored' });
    expect(await stateOf(m.id, order.id)).toEqual(before);
    expect((await refund(cashier, order.id, { refundNo: 'RA-REP', amountCents: 20000 }).expect(409)).body.error.code).toBe('IDEMPOTENCY_MISMATCH');
  });

  it('a partial refund replayed after the order was completed still says its coupon stayed with the order', async () => {
    const { order } = await paidOrder(6000);
    await refund(cashier, order.id, { refundNo: 'RA-RP1', amountCents: 1000 }).expect(201);
    await refund(manager, order.id, { refundNo: 'RA-RP2', amountCents: order.dueCents - 1000 }).expect(201);
    expect((await refund(cashier, order.id, { refundNo: 'RA-RP1', amountCents: 1000 }).expect(201)).body.data.couponOutcome).toBe('partial');
    expect((await refund(cashier, order.id, { refundNo: 'RA-RP2', amountCents: order.dueCents - 1000 }).expect(201)).body.data.couponOutcome).toBe('restored');
  });
});

describe('GET /api/v1/counter/orders', () => {
  it('shows the till whose order it is, what earlier refunds moved and the coupon the order used, for the confirmation sheet', async () => {
    const { coupon, order } = await paidOrder(50000);
    await refund(cashier, order.id, { refundNo: 'RA-D1', amountCents: 3333 }).expect(201);
    const detail = (await t.http.get('/api/v1/counter/orders').query({ receiptNo: order.receiptNo }).set(cashier.auth).expect(200)).body.data;
    expect(detail).toMatchObject({
      member: { id: order.member.id, nickname: '小明' },
      grossCents: 50000,
      createdAt: order.createdAt,
      refundedCents: 3333,
      pointsReversed: Math.floor((order.pointsEarned * 3333) / order.dueCents),
      growthReversed: Math.floor((order.growthEarned * 3333) / order.dueCents),
      pointsReturned: 0,
      coupon: { title: coupon!.title, validTo: coupon!.validTo.toISOString() },
    });
    expect((await t.http.get(`/api/v1/counter/orders/${order.id}`).set(cashier.auth).expect(200)).body.data).toEqual(detail);
  });
});

describe('what a refund takes back', () => {
  it('takes the order’s own earned points, so a buy-and-refund leaves expiring points expiring on the same day', async () => {
    const m = await t.memberWith('gold', 0);
    const now = t.clock.now();
    const soon = new Date(now.getTime() + 17 * 86_400_000);
    await t.services.points.credit(m.id, { amount: 500, reason: 'adjust', sourceKey: 'setup:soon', expiresAt: soon });
    await t.services.points.credit(m.id, { amount: 4261, reason: 'adjust', sourceKey: 'setup:later', expiresAt: new Date(now.getTime() + 200 * 86_400_000) });
    const card = async () => (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data.points;
    const before = await card();
    expect(before).toMatchObject({ balance: 4761, expiring: { amount: 500 } });

    const order = (
      await t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m), amountCents: 30000, receiptNo: receipt(), pointsToUse: 4700 })
        .expect(201)
    ).body.data;
    expect((await card()).expiring).toBeNull(); // the 500 expiring points were spent first
    await refund(cashier, order.id, { refundNo: 'RX-1', amountCents: 5000 }).expect(201);
    expect(await card()).toMatchObject({ expiring: before.expiring });
    await refund(manager, order.id, { refundNo: 'RX-2', amountCents: order.dueCents - 5000 }).expect(201);
    // Every point is back where it was: the same balance, the same 500 expiring on the same day
    // (the take-back ate the expiring points instead, 327 of the 500 were left).
    expect(await card()).toEqual(before);
  });
});

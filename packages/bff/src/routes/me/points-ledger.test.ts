import { beforeAll, describe, expect, it } from '@jest/globals';
import type { PointsLedgerEntry } from '@member/shared';
import { useTestApp, type TestApp } from '../../../test/support/test-app';

// The points history a member reads: one refund or cancellation is one event (however many ledger
// entries it wrote), named by its order's store or the redeemed item; 获得 / 使用 / 过期 filter it.
const t = useTestApp();
let cashier: Awaited<ReturnType<TestApp['staff']>>;
let manager: Awaited<ReturnType<TestApp['staff']>>;
let admin: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  cashier = await t.staff('cashier', '静安店');
  manager = await t.staff('manager', '静安店');
  admin = await t.staff('admin');
});

let receipts = 0;
const history = async (auth: Record<string, string>, query = '') =>
  (await t.http.get(`/api/v1/me/points/ledger?limit=100${query}`).set(auth).expect(200)).body.data as PointsLedgerEntry[];

describe('GET /api/v1/me/points/ledger: events and filters', () => {
  it('groups an order, its refund and a cancelled redemption into one event each, with the store or item', async () => {
    t.clock.set('2026-11-20T04:00:00Z');
    const m = await t.memberWith('normal', 0);
    // Two lots, so the refund gives the spent points back in two pieces.
    await t.services.points.credit(m.id, { amount: 600, reason: 'checkin', sourceKey: 'lot-a' });
    t.clock.advance(86_400_000);
    await t.services.points.credit(m.id, { amount: 600, reason: 'checkin', sourceKey: 'lot-b' });
    t.clock.advance(60_000);
    const order = (
      await t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m), amountCents: 10000, receiptNo: `PL${++receipts}`, pointsToUse: 1000 })
        .expect(201)
    ).body.data as { id: string };
    t.clock.advance(60_000);
    await t.http
      .post(`/api/v1/counter/orders/${order.id}/refunds`)
      .set(manager.auth)
      .send({ refundNo: `RF${receipts}`, amountCents: 9000 })
      .expect(201);
    const bag = await t.adminItem(admin.auth, { title: '帆布袋', pointsCost: 300, stock: 3 });
    t.clock.advance(60_000);
    const r = (await t.redeem(m.auth, bag.id).expect(201)).body.data as { id: string };
    t.clock.advance(60_000);
    await t.http.post(`/api/v1/me/redemptions/${r.id}/cancel`).set(m.auth).expect(200);

    const entries = await history(m.auth);
    const events = [...new Set(entries.map((e) => e.event))];
    const of = (event: string) => entries.filter((e) => e.event === event);
    const [cancel, redeem, refund, paid, lotB, lotA] = events.map(of);
    expect(events).toHaveLength(6);

    // The cancellation gives 300 back to the lots it came from, as one event named by the item.
    expect(cancel.map((e) => [e.reason, e.delta])).toEqual(expect.arrayContaining([['redeem_cancel', expect.any(Number)]]));
    expect(cancel.reduce((s, e) => s + e.delta, 0)).toBe(300);
    expect(redeem.map((e) => [e.reason, e.delta, e.subject])).toEqual([['redeem', -300, { kind: 'redemption', id: r.id, title: '帆布袋' }]]);
    for (const e of cancel) expect(e.subject).toEqual({ kind: 'redemption', id: r.id, title: '帆布袋' });

    // The refund takes back the 90 earned and gives back the 1,000 spent, from two lots: three entries, one event.
    expect(refund.map((e) => e.reason).sort()).toEqual(['refund', 'refund_return', 'refund_return']);
    expect(refund.reduce((s, e) => s + e.delta, 0)).toBe(1000 - 90);
    // The order spent 1,000 and earned 90: one event.
    expect(paid.map((e) => [e.reason, e.delta]).sort()).toEqual([
      ['order', 90],
      ['spend', -1000],
    ]);
    for (const e of [...refund, ...paid]) expect(e.subject).toEqual({ kind: 'order', id: order.id, title: '静安店' });

    // Unrelated entries stay events of their own and name nothing.
    expect([lotA, lotB].map((g) => g.map((e) => [e.delta, e.subject]))).toEqual([[[600, undefined]], [[600, undefined]]]);
  });

  it('filters 获得, 使用 and 过期, and one expiry run of several lots is one event', async () => {
    t.clock.set('2025-01-01T04:00:00Z');
    const m = await t.memberWith('normal', 0);
    await t.services.points.credit(m.id, { amount: 100, reason: 'checkin', sourceKey: 'x1' });
    t.clock.advance(3_600_000);
    await t.services.points.credit(m.id, { amount: 200, reason: 'checkin', sourceKey: 'x2' });
    t.clock.advance(400 * 86_400_000); // both lots lapse
    await t.services.points.credit(m.id, { amount: 500, reason: 'checkin', sourceKey: 'x3' });
    t.clock.advance(60_000);
    const bag = await t.adminItem(admin.auth, { pointsCost: 100, stock: 3 });
    await t.redeem(m.auth, bag.id).expect(201);

    const expired = await history(m.auth, '&type=expired');
    expect(expired.map((e) => `${e.reason} ${e.delta}`).sort()).toEqual(['expire -100', 'expire -200']);
    expect(new Set(expired.map((e) => e.event)).size).toBe(1);
    expect((await history(m.auth, '&type=earned')).map((e) => e.delta)).toEqual([500, 200, 100]);
    expect((await history(m.auth, '&type=spent')).map((e) => [e.reason, e.delta])).toEqual([['redeem', -100]]);
    expect(await history(m.auth)).toHaveLength(6);
  });

  it('rejects an unknown filter with 400', async () => {
    const m = await t.member();
    expect((await t.http.get('/api/v1/me/points/ledger?type=refund').set(m.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });
});

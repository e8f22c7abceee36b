import { beforeAll, describe, expect, it } from '@jest/globals';
import { PointsLedgerEntity, ReviewEntity } from '../../db/entities';
import { useTestApp } from '../../../test/support/test-app';

/**
 * Reviews of counter visits: 1–5 stars, up to three quick tags, a comment; once per order, within
 * `review.windowDays` (7) of it, by the member who paid; 15 points + 2 growth under the caps.
 */
const t = useTestApp();
let cashier: { auth: Record<string, string> };
let manager: { auth: Record<string, string> };
let receipts = 0;
beforeAll(async () => {
  cashier = await t.staff('cashier');
  manager = await t.staff('manager');
});

type Member = Awaited<ReturnType<typeof t.member>>;

/** A counter order of ¥50 for the member (50 points, 50 growth). */
async function orderOf(m: Member, amountCents = 5000): Promise<string> {
  t.clock.advance(31_000); // a fresh code window
  const res = await t.http
    .post('/api/v1/counter/orders')
    .set(cashier.auth)
    .send({ code: t.codeOf(m), amountCents, receiptNo: `RV${++receipts}` })
    .expect(201);
  return res.body.data.id as string;
}

const review = (m: Member, orderId: string, body: Record<string, unknown> = { stars: 5 }) =>
  t.http.post(`/api/v1/me/orders/${orderId}/review`).set(m.auth).send(body);
const ordersOf = async (m: Member) => (await t.http.get('/api/v1/me/orders').set(m.auth).expect(200)).body.data as Record<string, unknown>[];

describe('POST /api/v1/me/orders/{orderId}/review', () => {
  it('rates a visit: 15 points and 2 growth, shown on the order list', async () => {
    t.clock.set('2026-11-20T04:00:00Z');
    const m = await t.member();
    const orderId = await orderOf(m);
    expect((await ordersOf(m))[0]).toMatchObject({ id: orderId, review: null, reviewable: true });

    const res = await review(m, orderId, { stars: 4, answers: ['friendly_staff', 'fast_service'], comment: ' 咖啡很好喝 ' }).expect(201);
    expect(res.body.data).toMatchObject({
      orderId,
      stars: 4,
      answers: ['friendly_staff', 'fast_service'],
      comment: '咖啡很好喝',
      points: 15,
      growth: 2,
    });
    const card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
    expect(card.points.balance).toBe(50 + 15);
    expect(card.growth.value).toBe(50 + 2);
    expect((await ordersOf(m))[0]).toMatchObject({
      id: orderId,
      reviewable: false,
      review: { stars: 4, answers: ['friendly_staff', 'fast_service'], comment: '咖啡很好喝', points: 15, growth: 2 },
    });
  });

  it('once per order: a second review is 409 ALREADY_REVIEWED, and so are all but one of 10 at once', async () => {
    const m = await t.member();
    const first = await orderOf(m);
    await review(m, first).expect(201);
    expect((await review(m, first, { stars: 1 }).expect(409)).body.error.code).toBe('ALREADY_REVIEWED');

    const second = await orderOf(m);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => review(m, second, { stars: (i % 5) + 1 })));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array.from({ length: 9 }, () => 409)]);
    expect(await t.dataSource.manager.countBy(ReviewEntity, { orderId: second })).toBe(1);
    expect(await t.dataSource.manager.countBy(PointsLedgerEntity, { memberId: m.id, reason: 'review' })).toBe(2);
  });

  it('within 7 days of the order: at 6 days 23 hours yes, after 7 days 422 NOT_ELIGIBLE', async () => {
    const m = await t.member();
    t.clock.set('2026-11-01T04:00:00Z');
    const early = await orderOf(m);
    const late = await orderOf(m);
    t.clock.set('2026-11-08T03:00:00Z');
    await review(m, early).expect(201);
    t.clock.set('2026-11-08T04:02:00Z'); // 7 days and a minute after the orders
    const res = await review(m, late).expect(422);
    expect(res.body.error).toMatchObject({ code: 'NOT_ELIGIBLE', details: { reason: 'window_closed' } });
    expect((await ordersOf(m)).find((o) => o.id === late)).toMatchObject({ review: null, reviewable: false });
  });

  it('another member’s order, or no order at all, is 404', async () => {
    const owner = await t.member();
    const other = await t.member();
    const orderId = await orderOf(owner);
    expect((await review(other, orderId).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await review(other, '01JZZZZZZZZZZZZZZZZZZZZZZZ').expect(404)).body.error.code).toBe('NOT_FOUND');
    await review(owner, orderId).expect(201);
  });

  it('a fully refunded order cannot be reviewed (422); a partly refunded one can', async () => {
    const m = await t.member();
    const refunded = await orderOf(m);
    await t.http
      .post(`/api/v1/counter/orders/${refunded}/refunds`)
      .set(manager.auth)
      .send({ refundNo: `RF-${refunded}`, amountCents: 5000 })
      .expect(201);
    expect((await review(m, refunded).expect(422)).body.error).toMatchObject({ code: 'NOT_ELIGIBLE', details: { reason: 'refunded' } });
    const partly = await orderOf(m);
    await t.http
      .post(`/api/v1/counter/orders/${partly}/refunds`)
      .set(manager.auth)
      .send({ refundNo: `RF-${partly}`, amountCents: 1000 })
      .expect(201);
    await review(m, partly).expect(201);
  });

  it('checks what is typed: 1–5 stars, up to three known tags once each, a bounded comment cleaned like a nickname', async () => {
    const m = await t.member();
    const orderId = await orderOf(m);
    for (const body of [
      {},
      { stars: 0 },
      { stars: 6 },
      { stars: 4.5 },
      { stars: 5, answers: ['friendly_staff', 'fast_service', 'clean_store', 'good_value'] },
      { stars: 5, answers: ['friendly_staff', 'friendly_staff'] },
      { stars: 5, answers: ['rude'] },
      { stars: 5, comment: '好'.repeat(201) },
      { stars: 5, comment: '<script>alert(1)</script>' },
      { stars: 5, extra: true },
    ]) {
      const res = await review(m, orderId, body).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    // Invisible characters are removed and the ends trimmed; 200 characters are fine; an empty comment is none.
    const res = await review(m, orderId, { stars: 3, comment: `\u200b\u202e${'好'.repeat(200)}\u200d ` }).expect(201);
    expect(res.body.data.comment).toBe('好'.repeat(200));
    const other = await orderOf(m);
    expect((await review(m, other, { stars: 2, comment: ' \u200b ' }).expect(201)).body.data.comment).toBeNull();
  });

  it('stays under the interaction caps: a review past the day’s cap is kept, with what it earned', async () => {
    t.clock.set('2026-11-21T04:00:00Z');
    const m = await t.member();
    const orderId = await orderOf(m);
    await t.db.transaction(async () =>
      t.services.interactionRewards.award(await t.services.points.lock(m.id, { withLots: false }), {
        kind: 'referral',
        points: 290,
        growth: 19,
        sourceKey: 'referral:fill',
      }),
    );
    expect((await review(m, orderId).expect(201)).body.data).toMatchObject({ points: 10, growth: 1 });
    expect((await ordersOf(m))[0]).toMatchObject({ review: { points: 10, growth: 1 } });
  });

  it('the export holds the member’s reviews and check-ins; erasure removes the comments', async () => {
    const m = await t.member();
    const orderId = await orderOf(m);
    await review(m, orderId, { stars: 5, comment: '店员小王很热情' }).expect(201);
    await t.http.post('/api/v1/me/checkins').set(m.auth).expect(201);
    const data = (await t.http.get('/api/v1/me/export').set(m.auth).expect(200)).body.data;
    expect(data.reviews).toEqual([expect.objectContaining({ orderId, stars: 5, comment: '店员小王很热情' })]);
    expect(data.checkins).toHaveLength(1);
    await t.http.delete('/api/v1/me').set(m.auth).expect(200);
    expect(await t.dataSource.manager.findOneByOrFail(ReviewEntity, { orderId })).toMatchObject({ stars: 5, comment: null });
  });
});

import { describe, expect, it } from '@jest/globals';
import { addDays, type NotificationKind } from '@member/shared';
import { MemberCouponEntity, OutboxEntity } from '../db/entities';
import { useTestApp, type TestApp } from '../../test/support/test-app';
import { runBirthdayCoupons } from './birthday-coupons';
import { runCouponExpiryWarnings } from './coupon-expiry-warnings';
import { runDormantCoupons } from './dormant-coupons';
import { runPointsExpiryWarnings } from './points-expiry-warnings';

/**
 * The member-facing jobs, run as the scheduler runs them (and as a crash or a second instance
 * would: twice, concurrently), against MariaDB with the clock moved by hand.
 */
const t = useTestApp();
type Member = Awaited<ReturnType<TestApp['member']>>;
const DAY = 86_400_000;
const ctx = () => ({ now: t.clock.now() });
const outboxOf = (memberId: string, kind: NotificationKind) => t.dataSource.manager.find(OutboxEntity, { where: { memberId, kind } });
const couponsOf = async (memberId: string, prefix: string) =>
  (await t.dataSource.manager.find(MemberCouponEntity, { where: { memberId }, order: { createdAt: 'ASC' } })).filter((c) => c.sourceKey.startsWith(prefix));

describe('points-expiry warnings', () => {
  it('queues one warning per lot, 30 days ahead, however often it runs', async () => {
    const m = await t.member();
    const start = new Date();
    t.clock.set(start);
    const expiresAt = addDays(start, 40);
    await t.services.points.credit(m.id, { amount: 80, reason: 'adjust', sourceKey: 'test:lot', expiresAt });
    await runPointsExpiryWarnings(t.services, ctx());
    expect(await outboxOf(m.id, 'points_expiring')).toHaveLength(0);

    t.clock.set(new Date(expiresAt.getTime() - t.config.loyalty.points.expiryWarningDays * DAY + 60_000));
    await Promise.all([runPointsExpiryWarnings(t.services, ctx()), runPointsExpiryWarnings(t.services, ctx())]);
    await runPointsExpiryWarnings(t.services, ctx());
    const rows = await outboxOf(m.id, 'points_expiring');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].payload)).toMatchObject({ points: '80', balance: '80' });
    t.clock.advance(10 * DAY);
    await runPointsExpiryWarnings(t.services, ctx());
    expect(await outboxOf(m.id, 'points_expiring')).toHaveLength(1);
  });

  it('warns nothing for a lot already spent', async () => {
    const m = await t.member();
    t.clock.set(new Date());
    await t.services.points.credit(m.id, { amount: 50, reason: 'adjust', sourceKey: 'test:spent', expiresAt: addDays(t.clock.now(), 10) });
    await t.services.points.debit(m.id, { amount: 50, reason: 'redeem', sourceKey: 'test:spend' });
    await runPointsExpiryWarnings(t.services, ctx());
    expect(await outboxOf(m.id, 'points_expiring')).toHaveLength(0);
  });
});

describe('coupon-expiring warnings', () => {
  it(`queues one warning per unused coupon ending within couponExpiringDays`, async () => {
    const m = await t.member();
    t.clock.set(new Date());
    const coupon = await t.couponFor(m.id, { validityDays: 10 });
    await runCouponExpiryWarnings(t.services, ctx());
    expect((await outboxOf(m.id, 'coupon_expiring')).filter((r) => r.dedupeKey.endsWith(coupon.id))).toHaveLength(0);
    t.clock.set(new Date(coupon.validTo.getTime() - t.config.runtime.notifications.couponExpiringDays * DAY + 60_000));
    await Promise.all([runCouponExpiryWarnings(t.services, ctx()), runCouponExpiryWarnings(t.services, ctx())]);
    await runCouponExpiryWarnings(t.services, ctx());
    const rows = (await outboxOf(m.id, 'coupon_expiring')).filter((r) => r.dedupeKey.endsWith(coupon.id));
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].payload)).toMatchObject({ title: coupon.title });
  });
});

describe('birthday coupons', () => {
  it('issues once per member in the birthday month, concurrently or not, and again the next year', async () => {
    const march = await t.member({ birthday: '1990-03-15' });
    const june = await t.member({ birthday: '1990-06-01' });
    // 1 March 00:30 in Shanghai is still February in UTC: the business month decides.
    t.clock.set('2027-02-28T16:30:00Z');
    await Promise.all([runBirthdayCoupons(t.services, ctx()), runBirthdayCoupons(t.services, ctx())]);
    await runBirthdayCoupons(t.services, ctx());
    t.clock.set('2027-03-30T10:00:00Z');
    await runBirthdayCoupons(t.services, ctx());
    const first = await couponsOf(march.id, 'birthday:');
    expect(first.map((c) => c.sourceKey)).toEqual(['birthday:2027']);
    expect(first[0].title).toBe(t.config.loyalty.couponTemplates.find((x) => x.code === t.config.loyalty.couponEvents.birthday)?.title);
    expect(await couponsOf(june.id, 'birthday:')).toHaveLength(0);
    // The wallet says why each coupon is there: the card finds the birthday gift by it, not by its title.
    const walletRes = await t.http.get('/api/v1/me/coupons').set(march.auth).expect(200);
    const wallet = (walletRes.body as { data: { id: string; occasion: string | null }[] }).data;
    expect(wallet.map((c) => [c.id, c.occasion])).toEqual([[first[0].id, 'birthday']]);
    // The welcome gifts (lapsed by now) came with an event.
    const lapsedRes = await t.http.get('/api/v1/me/coupons?status=expired').set(march.auth).expect(200);
    const lapsed = (lapsedRes.body as { data: { occasion: string | null }[] }).data;
    expect(lapsed.length).toBeGreaterThan(0);
    expect(new Set(lapsed.map((c) => c.occasion))).toEqual(new Set(['event']));

    t.clock.set('2028-03-02T10:00:00Z');
    await Promise.all([runBirthdayCoupons(t.services, ctx()), runBirthdayCoupons(t.services, ctx())]);
    expect((await couponsOf(march.id, 'birthday:')).map((c) => c.sourceKey)).toEqual(['birthday:2027', 'birthday:2028']);
  });
});

describe('dormant wake-up coupons', () => {
  const cashierOnce = (() => {
    let staff: Awaited<ReturnType<TestApp['staff']>> | null = null;
    return async () => (staff ??= await t.staff('cashier'));
  })();
  let receipts = 0;
  const pay = async (m: Member) =>
    t.http
      .post('/api/v1/counter/orders')
      .set((await cashierOnce()).auth)
      .send({ code: t.codeOf(m), amountCents: 5000, receiptNo: `DM${Date.now()}${++receipts}` })
      .expect(201);

  it('wakes a member after dormantAfterDays without an order, once per dormancy', async () => {
    const days = t.config.loyalty.couponEvents.dormantAfterDays;
    const start = new Date();
    t.clock.set(start);
    const m = await t.member();
    await pay(m);
    t.clock.set(new Date(start.getTime() + (days - 1) * DAY));
    await runDormantCoupons(t.services, ctx());
    expect(await couponsOf(m.id, 'dormant:')).toHaveLength(0);

    t.clock.set(new Date(start.getTime() + (days + 1) * DAY));
    await Promise.all([runDormantCoupons(t.services, ctx()), runDormantCoupons(t.services, ctx())]);
    await runDormantCoupons(t.services, ctx());
    expect(await couponsOf(m.id, 'dormant:')).toHaveLength(1);
    // Still no order, long after: the same dormancy, no second coupon.
    t.clock.advance(2 * days * DAY);
    await runDormantCoupons(t.services, ctx());
    expect(await couponsOf(m.id, 'dormant:')).toHaveLength(1);

    // An order ends the dormancy; the next one brings a new coupon.
    await pay(m);
    t.clock.advance((days - 1) * DAY);
    await runDormantCoupons(t.services, ctx());
    expect(await couponsOf(m.id, 'dormant:')).toHaveLength(1);
    t.clock.advance(2 * DAY);
    await Promise.all([runDormantCoupons(t.services, ctx()), runDormantCoupons(t.services, ctx())]);
    expect(await couponsOf(m.id, 'dormant:')).toHaveLength(2);
  });

  it('counts a member who never ordered from the day they joined', async () => {
    const start = new Date();
    t.clock.set(start);
    const m = await t.member();
    t.clock.set(new Date(start.getTime() + (t.config.loyalty.couponEvents.dormantAfterDays + 1) * DAY));
    await runDormantCoupons(t.services, ctx());
    expect((await couponsOf(m.id, 'dormant:')).map((c) => c.sourceKey)).toEqual(['dormant:joined']);
  });
});

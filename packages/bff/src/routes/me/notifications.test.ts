import { beforeAll, describe, expect, it } from '@jest/globals';
import type { NotificationKind } from '@member/shared';
import { OutboxEntity, SubscriptionCreditEntity } from '../../db/entities';
import { runNotifications } from '../../jobs/notifications';
import { allowServerErrors, useTestApp, type TestApp } from '../../../test/support/test-app';

/**
 * Notifications as the member lives them: they allow a kind of message in WeChat's dialog, the
 * member center queues a notification with the event that causes it, and the sender delivers it
 * once through WeChat (the fake server on loopback), or never when the member allowed none.
 */
const t = useTestApp();
type Member = Awaited<ReturnType<TestApp['member']>>;
type Staff = Awaited<ReturnType<TestApp['staff']>>;
let cashier: Staff;
let manager: Staff;

beforeAll(async () => {
  cashier = await t.staff('cashier');
  manager = await t.staff('manager');
});

let receipts = 0;
const receipt = () => `NT${Date.now()}${++receipts}`;
const templateOf = (kind: NotificationKind) => t.config.runtime.notifications.templates[kind].id;
const outboxOf = (memberId: string) => t.dataSource.manager.find(OutboxEntity, { where: { memberId }, order: { createdAt: 'ASC', id: 'ASC' } });
const send = () => runNotifications(t.services, { now: t.clock.now() });

/** The member taps 允许 for these kinds: WeChat records the subscription and the mini-program reports it. */
async function allow(m: Member, kinds: NotificationKind[]) {
  for (const k of kinds) t.wechat.acceptSubscription(m.openid, templateOf(k));
  return (await t.http.post('/api/v1/me/subscriptions').set(m.auth).send({ accepted: kinds }).expect(200)).body.data as {
    kinds: { kind: NotificationKind; templateId: string; credits: number }[];
  };
}

const pay = (m: Member, amountCents: number) =>
  t.http
    .post('/api/v1/counter/orders')
    .set(cashier.auth)
    .send({ code: t.codeOf(m), amountCents, receiptNo: receipt() })
    .expect(201);

describe('subscriptions (/api/v1/me/subscriptions)', () => {
  it('lists every kind with its template and no credit, and counts one credit per acceptance', async () => {
    const m = await t.member();
    const before = (await t.http.get('/api/v1/me/subscriptions').set(m.auth).expect(200)).body.data;
    expect(before.kinds).toEqual(
      (['points_expiring', 'coupon_expiring', 'tier_changed', 'points_changed'] as const).map((kind) => ({ kind, templateId: templateOf(kind), credits: 0 })),
    );
    await allow(m, ['points_expiring', 'coupon_expiring']);
    const after = await allow(m, ['points_expiring']);
    expect(Object.fromEntries(after.kinds.map((k) => [k.kind, k.credits]))).toEqual({
      points_expiring: 2,
      coupon_expiring: 1,
      tier_changed: 0,
      points_changed: 0,
    });
  });

  it('is for registered members: someone signed in but not registered holds no credits (404)', async () => {
    const session = await t.login();
    const auth = { Authorization: `Bearer ${session.token}` };
    const before = await t.dataSource.manager.countBy(SubscriptionCreditEntity, {});
    await t.http.get('/api/v1/me/subscriptions').set(auth).expect(404);
    await t.http
      .post('/api/v1/me/subscriptions')
      .set(auth)
      .send({ accepted: ['tier_changed'] })
      .expect(404);
    expect(await t.dataSource.manager.countBy(SubscriptionCreditEntity, {})).toBe(before);
  });

  it('refuses a kind twice in one answer, an unknown kind, and caps what a member can hold', async () => {
    const m = await t.member();
    await t.http
      .post('/api/v1/me/subscriptions')
      .set(m.auth)
      .send({ accepted: ['points_changed', 'points_changed'] })
      .expect(400);
    await t.http
      .post('/api/v1/me/subscriptions')
      .set(m.auth)
      .send({ accepted: ['marketing'] })
      .expect(400);
    const max = t.config.runtime.notifications.maxCreditsPerKind;
    await Promise.all(
      Array.from({ length: max + 5 }, () =>
        t.http
          .post('/api/v1/me/subscriptions')
          .set(m.auth)
          .send({ accepted: ['tier_changed'] })
          .expect(200),
      ),
    );
    const row = await t.dataSource.manager.findOneByOrFail(SubscriptionCreditEntity, { memberId: m.id, kind: 'tier_changed' });
    expect(row.credits).toBe(max);
  });
});

describe('queuing with the event', () => {
  it('an order queues its points change in its own transaction, once; a refund queues its own', async () => {
    const m = await t.member();
    const order = (await pay(m, 12_300)).body.data;
    let rows = await outboxOf(m.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'points_changed', status: 'pending', dedupeKey: `points_changed:order:${order.id}` });
    const payload = JSON.parse(rows[0].payload) as Record<string, string>;
    expect(payload).toMatchObject({ delta: '+123', balance: '123', reason: '门店消费' });
    // Nothing that identifies the member travels in the payload.
    expect(rows[0].payload).not.toContain(m.openid);

    // The same request again (a till retrying) replays the order: nothing new is queued.
    await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 12_300, receiptNo: order.receiptNo });
    expect(await outboxOf(m.id)).toHaveLength(1);

    await t.http
      .post(`/api/v1/counter/orders/${order.id}/refunds`)
      .set(manager.auth)
      .send({ amountCents: 5000, refundNo: `R${receipt()}` })
      .expect(201);
    rows = await outboxOf(m.id);
    expect(rows).toHaveLength(2);
    expect(JSON.parse(rows[1].payload)).toMatchObject({ delta: '-50', balance: '73', reason: '订单退款' });
  });

  it('an event queued twice in one transaction keeps one row, and the transaction goes on to commit', async () => {
    const m = await t.member();
    const lot = { lotId: `L${receipt()}`, memberId: m.id, remaining: 10, expiresAt: new Date(Date.now() + 86_400_000), balance: 10 };
    const queued = await t.db.transaction(async () => {
      const first = await t.services.notifications.pointsExpiring(lot);
      const again = await t.services.notifications.pointsExpiring(lot);
      await t.services.notifications.couponExpiring({ couponId: `C${receipt()}`, memberId: m.id, title: '测试券', validTo: lot.expiresAt });
      return [first, again];
    });
    expect(queued).toEqual([true, false]);
    expect((await outboxOf(m.id)).map((r) => r.kind)).toEqual(['points_expiring', 'coupon_expiring']);
  });

  it('an order that rolls back leaves no notification behind', async () => {
    allowServerErrors(500);
    const m = await t.member();
    let failNext = true;
    // Something later in the order's transaction fails (after the notification was queued).
    t.services.counter.onOrder(() => {
      if (!failNext) return Promise.resolve();
      failNext = false;
      return Promise.reject(new Error('simulated failure after queuing'));
    });
    await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 5000, receiptNo: receipt() })
      .expect(500);
    expect(await outboxOf(m.id)).toEqual([]);
    expect(await t.balanceOf(m.auth)).toBe(0);
  });

  it('an upgrade queues the tier change once', async () => {
    const m = await t.member();
    const silver = t.config.loyalty.tiers[1];
    await t.services.points.addGrowth(m.id, { delta: silver.growthMin, reason: 'adjust', sourceKey: 'test:upgrade' });
    await t.services.points.addGrowth(m.id, { delta: silver.growthMin, reason: 'adjust', sourceKey: 'test:upgrade' });
    const rows = (await outboxOf(m.id)).filter((r) => r.kind === 'tier_changed');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].payload)).toMatchObject({ from: t.config.loyalty.tiers[0].name, to: silver.name, reason: '消费升级' });
  });
});

describe('the personal data export', () => {
  it('holds the notifications queued for the member and the messages they allowed', async () => {
    const m = await t.member();
    await allow(m, ['points_changed']);
    await pay(m, 3000);
    const data = (await t.http.get('/api/v1/me/export').set(m.auth).expect(200)).body.data;
    expect(data.notifications).toEqual([
      {
        kind: 'points_changed',
        fields: expect.objectContaining({ delta: '+30', balance: '30' }),
        status: 'pending',
        createdAt: expect.any(String),
        sentAt: null,
      },
    ]);
    expect(data.subscriptions).toEqual([{ kind: 'points_changed', credits: 1 }]);
  });
});

describe('the sender (notifications job)', () => {
  it('delivers each notification once even with two sender runs at once', async () => {
    const members: Member[] = [];
    for (let i = 0; i < 6; i++) {
      const m = await t.member();
      await allow(m, ['points_changed']);
      // WeChat holds more acceptances than the member center counted: nothing stops a second send but the claim.
      t.wechat.acceptSubscription(m.openid, templateOf('points_changed'));
      await pay(m, 1000 + i);
      members.push(m);
    }
    await Promise.all([send(), send(), send()]);
    for (const m of members) {
      const got = t.wechat.deliveriesTo(m.openid);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ templateId: templateOf('points_changed'), page: 'pages/points/index' });
      expect(Object.values(got[0].data)).toContain('+10');
      expect((await outboxOf(m.id))[0]).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    }
    await send();
    for (const m of members) expect(t.wechat.deliveriesTo(m.openid)).toHaveLength(1);
  });

  it('retries after a transient WeChat error with back-off, then delivers', async () => {
    const m = await t.member();
    await allow(m, ['points_changed']);
    t.clock.set(new Date());
    await pay(m, 2000);
    t.wechat.subscribeFailures.push(-1, -1);
    const start = t.clock.now().getTime();
    await send();
    let [row] = await outboxOf(m.id);
    const base = t.config.runtime.notifications.retryBaseSeconds * 1000;
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: '-1' });
    expect(row.nextAttemptAt.getTime()).toBe(start + base);
    // Not due yet: nothing is tried.
    t.clock.advance(base - 1000);
    await send();
    expect((await outboxOf(m.id))[0].attempts).toBe(1);
    t.clock.advance(1000);
    await send();
    [row] = await outboxOf(m.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    // The second wait is twice the first.
    expect(row.nextAttemptAt.getTime()).toBe(t.clock.now().getTime() + 2 * base);
    t.clock.advance(2 * base);
    await send();
    [row] = await outboxOf(m.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
    expect(t.wechat.deliveriesTo(m.openid)).toHaveLength(1);
    // The credit was used once, by the delivery.
    expect((await t.dataSource.manager.findOneByOrFail(SubscriptionCreditEntity, { memberId: m.id, kind: 'points_changed' })).credits).toBe(0);
  });

  it('gives up after maxAttempts transient errors', async () => {
    const m = await t.member();
    await allow(m, ['points_changed']);
    t.clock.set(new Date());
    await pay(m, 2000);
    const max = t.config.runtime.notifications.maxAttempts;
    for (let i = 0; i < max; i++) {
      t.wechat.subscribeFailures.push(45009);
      await send();
      t.clock.advance(t.config.runtime.notifications.retryMaxSeconds * 1000);
    }
    await send();
    expect((await outboxOf(m.id))[0]).toMatchObject({ status: 'failed', attempts: max, lastError: '45009' });
    expect(t.wechat.deliveriesTo(m.openid)).toHaveLength(0);
  });

  it('stops at a permanent error: an invalid template is final', async () => {
    const m = await t.member();
    await allow(m, ['points_changed']);
    t.clock.set(new Date());
    await pay(m, 2000);
    t.wechat.subscribeFailures.push(40037);
    await send();
    t.clock.advance(86_400_000);
    await send();
    expect((await outboxOf(m.id))[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: '40037' });
    expect(t.wechat.deliveriesTo(m.openid)).toHaveLength(0);
  });

  it('a member WeChat holds no subscription for (43101) is final, and the credit counted is dropped', async () => {
    const m = await t.member();
    // The mini-program reported two acceptances WeChat never saw.
    await t.http
      .post('/api/v1/me/subscriptions')
      .set(m.auth)
      .send({ accepted: ['points_changed'] })
      .expect(200);
    await t.http
      .post('/api/v1/me/subscriptions')
      .set(m.auth)
      .send({ accepted: ['points_changed'] })
      .expect(200);
    t.clock.set(new Date());
    await pay(m, 2000);
    await send();
    t.clock.advance(86_400_000);
    await send();
    expect((await outboxOf(m.id))[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: '43101' });
    expect((await t.dataSource.manager.findOneByOrFail(SubscriptionCreditEntity, { memberId: m.id, kind: 'points_changed' })).credits).toBe(0);
  });

  it('skips a member who allowed no message of that kind: never sent, not even later', async () => {
    const m = await t.member();
    await allow(m, ['tier_changed']);
    t.wechat.acceptSubscription(m.openid, templateOf('points_changed')); // WeChat would take it; the member never told us
    await pay(m, 2000);
    await send();
    expect((await outboxOf(m.id))[0]).toMatchObject({ status: 'skipped', lastError: 'no_credit' });
    await allow(m, ['points_changed']);
    await send();
    expect(t.wechat.deliveriesTo(m.openid)).toHaveLength(0);
  });

  it('does not send again when WeChat did not answer (at most once)', async () => {
    const m = await t.member();
    await allow(m, ['points_changed']);
    t.wechat.acceptSubscription(m.openid, templateOf('points_changed'));
    t.clock.set(new Date());
    await pay(m, 2000);
    t.wechat.subscribeHang = 1;
    await send();
    t.clock.advance(86_400_000);
    await send();
    expect((await outboxOf(m.id))[0]).toMatchObject({ status: 'failed', lastError: 'no_answer' });
    expect(t.wechat.deliveriesTo(m.openid)).toHaveLength(1);
  });

  it('gives up a claim left unsettled (a sender that stopped mid-call) instead of sending it again', async () => {
    const m = await t.member();
    await allow(m, ['points_changed']);
    t.clock.set(new Date());
    await pay(m, 2000);
    const [row] = await outboxOf(m.id);
    const now = t.clock.now();
    expect(await t.services.repos.notifications.claim(row.id, now, new Date(now.getTime() + 300_000))).toBe(true);
    await send();
    expect((await outboxOf(m.id))[0].status).toBe('sending');
    t.clock.advance(301_000);
    await send();
    expect((await outboxOf(m.id))[0]).toMatchObject({ status: 'failed', lastError: 'interrupted' });
    expect(t.wechat.deliveriesTo(m.openid)).toHaveLength(0);
  });
});

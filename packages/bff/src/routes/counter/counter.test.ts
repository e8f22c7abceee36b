import { beforeAll, describe, expect, it } from '@jest/globals';
import { pricingCases } from '../../../../shared/test/pricing-cases';
import { GrowthLedgerEntity, MemberCouponEntity, MemberEntity, OrderEntity, PointsLedgerEntity, RefundEntity } from '../../db/entities';
import { startTestApp, useTestApp, type TestApp } from '../../../test/support/test-app';

const t = useTestApp();
let cashier: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  cashier = await t.staff('cashier');
});

const ORDINARY_DAY = '2026-11-20T04:00:00Z';
const MEMBER_DAY = '2026-11-18T04:00:00Z';
let receipts = 0;
const receipt = () => `R${Date.now()}${++receipts}`;

const ledger = (memberId: string) => t.dataSource.manager.find(PointsLedgerEntity, { where: { memberId }, order: { id: 'ASC' } });
const balance = async (memberId: string) => (await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: memberId })).pointsBalance;

describe('who may use the counter', () => {
  it('refuses member tokens (403), missing tokens (401), and staff tokens on member routes (403)', async () => {
    const m = await t.member();
    const code = t.codeOf(m);
    expect((await t.http.post('/api/v1/counter/lookup').set(m.auth).send({ code }).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await t.http.post('/api/v1/counter/orders').set(m.auth).send({ code, amountCents: 100, receiptNo: 'x' }).expect(403)).body.error.code).toBe(
      'FORBIDDEN',
    );
    await t.http.post('/api/v1/counter/quote').send({ code, amountCents: 100 }).expect(401);
    await t.http.get('/api/v1/me').set(cashier.auth).expect(403);
  });

  it('a cashier of store A cannot see or refund an order of store B', async () => {
    const other = await t.staff('cashier', '分店');
    const m = await t.memberWith('normal', 0);
    const order = (
      await t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m), amountCents: 5000, receiptNo: receipt() })
        .expect(201)
    ).body.data;
    expect(
      (await t.http.post(`/api/v1/counter/orders/${order.id}/refunds`).set(other.auth).send({ refundNo: 'RF1', amountCents: 100 }).expect(404)).body.error.code,
    ).toBe('NOT_FOUND');
    await t.http.get(`/api/v1/counter/orders/${order.id}`).set(other.auth).expect(404);
    expect(await t.dataSource.manager.countBy(RefundEntity, { orderId: order.id })).toBe(0);
  });
});

describe('POST /api/v1/counter/lookup', () => {
  it('a code-guessing loop hits 429, and then even a right code is refused at that till for a while', async () => {
    const guarded = await startTestApp({ tweak: (c) => (c.runtime.rateLimits.invalidCodes.perStaff = { points: 5, durationSeconds: 60 }) });
    try {
      const till = await guarded.staff('cashier', '猜码店');
      const other = await guarded.staff('cashier', '别的店');
      const m = await guarded.member();
      const guesses = [];
      for (let i = 0; i < 6; i++)
        guesses.push(
          (
            await guarded.http
              .post('/api/v1/counter/lookup')
              .set(till.auth)
              .send({ code: `${1000000000 + i}00000000` })
          ).status,
        );
      expect(guesses).toEqual([422, 422, 422, 422, 422, 429]);
      const right = await guarded.http
        .post('/api/v1/counter/lookup')
        .set(till.auth)
        .send({ code: guarded.codeOf(m) });
      expect(right.status).toBe(429);
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
      // Another staff member in another store is not affected.
      await guarded.http
        .post('/api/v1/counter/lookup')
        .set(other.auth)
        .send({ code: guarded.codeOf(m) })
        .expect(200);
    } finally {
      await guarded.close();
    }
  });

  it('guesses sent as orders under a used receipt number are counted too: 409 until the till is refused with 429', async () => {
    const guarded = await startTestApp({ tweak: (c) => (c.runtime.rateLimits.invalidCodes.perStaff = { points: 5, durationSeconds: 60 }) });
    try {
      const till = await guarded.staff('cashier', '收据猜码店');
      const m = await guarded.member();
      const code = guarded.codeOf(m, { usePoints: false });
      await guarded.http.post('/api/v1/counter/orders').set(till.auth).send({ code, receiptNo: 'R-GUESS', amountCents: 3000 }).expect(201);
      // Same member reference, points flag on, guessed one-time digits, same figures, same receipt.
      const guess = (i: number) => `${code.slice(0, 10)}1${String(1234567 + i).padStart(7, '0')}`;
      const answers = [];
      for (let i = 0; i < 6; i++)
        answers.push(
          (
            await guarded.http
              .post('/api/v1/counter/orders')
              .set(till.auth)
              .send({ code: guess(i), receiptNo: 'R-GUESS', amountCents: 3000 })
          ).status,
        );
      expect(answers).toEqual([409, 409, 409, 409, 409, 429]);
      // The till is refused for a while, whatever it sends: the exact retry included.
      await guarded.http.post('/api/v1/counter/orders').set(till.auth).send({ code, receiptNo: 'R-GUESS', amountCents: 3000 }).expect(429);
    } finally {
      await guarded.close();
    }
  });

  it('says at once that the code already paid for an order, before any amount is keyed; the next code is fresh', async () => {
    t.clock.set(ORDINARY_DAY);
    const m = await t.memberWith('normal', 0);
    const code = t.codeOf(m, { usePoints: false });
    const lookup = async (c: string) => (await t.http.post('/api/v1/counter/lookup').set(cashier.auth).send({ code: c }).expect(200)).body.data;
    expect((await lookup(code)).codeUsed).toBe(false);
    await t.http.post('/api/v1/counter/orders').set(cashier.auth).send({ code, receiptNo: receipt(), amountCents: 3000 }).expect(201);
    const again = await lookup(code);
    expect(again.codeUsed).toBe(true);
    expect(again.member.id).toBe(m.id);
    // What an order with it would meet: the same answer the lookup gave.
    expect(
      (await t.http.post('/api/v1/counter/orders').set(cashier.auth).send({ code, receiptNo: receipt(), amountCents: 3000 }).expect(409)).body.error.code,
    ).toBe('CODE_ALREADY_USED');
    t.clock.advance(t.config.loyalty.dynamicCode.periodSeconds * 1000);
    expect((await lookup(t.codeOf(m, { usePoints: false }))).codeUsed).toBe(false);
    // Another member's code is not affected.
    expect((await lookup(t.codeOf(await t.memberWith('normal', 0)))).codeUsed).toBe(false);
  });

  it('identifies the member by the current code and lists coupons usable now', async () => {
    const m = await t.memberWith('silver', 1234);
    const res = await t.http
      .post('/api/v1/counter/lookup')
      .set(cashier.auth)
      .send({ code: t.codeOf(m) })
      .expect(200);
    expect(res.body.data.member).toEqual({
      id: m.id,
      nickname: '小明',
      tier: 'silver',
      tierName: '银卡会员',
      discountPercent: 95,
      pointsBalance: 1234,
      growth: 1000,
    });
    // Welcome ¥10, first-order 满100减30, and the silver upgrade gift.
    expect(res.body.data.coupons.map((c: { title: string }) => c.title).sort()).toEqual(['新人无门槛券', '银卡升级礼 ¥20', '首单满100减30'].sort());
  });

  it('accepts the previous window, calls an older code expired and wrong digits invalid', async () => {
    const m = await t.member();
    t.clock.set('2026-11-20T04:00:10Z');
    const code = t.codeOf(m);
    t.clock.advance(30_000);
    await t.http.post('/api/v1/counter/lookup').set(cashier.auth).send({ code }).expect(200);
    t.clock.advance(30_000);
    expect((await t.http.post('/api/v1/counter/lookup').set(cashier.auth).send({ code }).expect(422)).body.error.code).toBe('CODE_EXPIRED');
    const wrong = code.slice(0, 17) + String((Number(code[17]) + 1) % 10);
    expect((await t.http.post('/api/v1/counter/lookup').set(cashier.auth).send({ code: wrong }).expect(422)).body.error.code).toBe('CODE_INVALID');
    expect((await t.http.post('/api/v1/counter/lookup').set(cashier.auth).send({ code: '000000000012345678' }).expect(422)).body.error.code).toBe(
      'CODE_INVALID',
    );
  });

  it('is refused after a new login rotated the secret', async () => {
    const m = await t.member();
    const old = t.codeOf(m);
    await t.login(m.openid);
    expect((await t.http.post('/api/v1/counter/lookup').set(cashier.auth).send({ code: old }).expect(422)).body.error.code).toBe('CODE_INVALID');
  });

  it.each([[{}], [{ code: '12345' }], [{ code: 123456789012345680 }], [{ code: 'abcdefghijklmnopqr' }]])('rejects %j with 400', async (body) => {
    expect((await t.http.post('/api/v1/counter/lookup').set(cashier.auth).send(body).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('POST /api/v1/counter/quote — the pricing table on MariaDB', () => {
  it.each(pricingCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    t.clock.set(c.memberDay ? MEMBER_DAY : ORDINARY_DAY);
    const m = await t.memberWith(c.tier, c.balance);
    const coupon = c.coupon ? await t.couponFor(m.id, c.coupon) : null;
    const res = await t.http
      .post('/api/v1/counter/quote')
      .set(cashier.auth)
      .send({
        code: t.codeOf(m, { usePoints: c.pointsAllowed ?? true }),
        amountCents: c.grossCents,
        ...(coupon ? { couponId: coupon.id } : {}),
        ...(c.pointsToUse ? { pointsToUse: c.pointsToUse } : {}),
      });
    if ('error' in c.expect) {
      expect([res.status, res.body.error?.code]).toEqual([c.expect.error === 'VALIDATION_FAILED' ? 400 : 422, c.expect.error]);
      return;
    }
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ...c.expect, grossCents: c.grossCents, pointsUsed: c.pointsToUse ?? 0 });
  });

  it('refuses another member’s coupon as if it did not exist', async () => {
    const a = await t.member();
    const b = await t.member();
    const [coupon] = await t.services.coupons.list(a.id, 'available');
    const res = await t.http
      .post('/api/v1/counter/quote')
      .set(cashier.auth)
      .send({ code: t.codeOf(b), amountCents: 5000, couponId: coupon.id })
      .expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('reserves a quoted coupon for its store: another store cannot use it until the reservation lapses', async () => {
    const other = await t.staff('cashier', '分店');
    t.clock.set(ORDINARY_DAY);
    const m = await t.member();
    const welcome = (await t.services.coupons.list(m.id, 'available')).find((c) => c.kind === 'cash')!;
    await t.http
      .post('/api/v1/counter/quote')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 5000, couponId: welcome.id })
      .expect(200);
    const held = await t.http
      .post('/api/v1/counter/quote')
      .set(other.auth)
      .send({ code: t.codeOf(m), amountCents: 5000, couponId: welcome.id })
      .expect(422);
    expect(held.body.error.code).toBe('COUPON_NOT_APPLICABLE');
    t.clock.advance(t.config.loyalty.counter.couponLockSeconds * 1000 + 1);
    await t.http
      .post('/api/v1/counter/quote')
      .set(other.auth)
      .send({ code: t.codeOf(m), amountCents: 5000, couponId: welcome.id })
      .expect(200);
  });
});

describe('POST /api/v1/counter/orders', () => {
  it('records the order and exactly its ledger, growth and coupon effects', async () => {
    t.clock.set(ORDINARY_DAY);
    const m = await t.memberWith('silver', 5000);
    const firstOrder = (await t.services.coupons.list(m.id, 'available')).find((c) => c.thresholdCents === 10000)!;
    const before = await ledger(m.id);
    const res = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 20000, couponId: firstOrder.id, pointsToUse: 2000, receiptNo: 'A-1001' })
      .expect(201);
    // 20000 → silver −1000 = 19000 → 满100减30 −3000 = 16000 → 2000 points −2000 = 14000 due
    expect(res.body.data).toMatchObject({
      receiptNo: 'A-1001',
      grossCents: 20000,
      tierDiscountCents: 1000,
      couponId: firstOrder.id,
      couponDiscountCents: 3000,
      pointsUsed: 2000,
      pointsDiscountCents: 2000,
      dueCents: 14000,
      pointsEarned: 140,
      growthEarned: 140,
      refundedCents: 0,
      member: { id: m.id, pointsBalance: 5000 - 2000 + 140, growth: 1140, tier: { code: 'silver' } },
      upgradedTo: null,
    });
    const added = (await ledger(m.id)).slice(before.length).map((e) => [e.reason, e.delta, e.balanceAfter, e.sourceKey]);
    expect(added).toEqual([
      ['spend', -2000, 3000, `order:${res.body.data.id}:spend`],
      ['order', 140, 3140, `order:${res.body.data.id}`],
    ]);
    const growth = await t.dataSource.manager.find(GrowthLedgerEntity, { where: { memberId: m.id }, order: { id: 'ASC' } });
    expect(growth.at(-1)).toMatchObject({ delta: 140, valueAfter: 1140, reason: 'order' });
    expect(await t.dataSource.manager.findOneByOrFail(MemberCouponEntity, { id: firstOrder.id })).toMatchObject({
      status: 'used',
      usedOrderId: res.body.data.id,
    });
    const mine = await t.http.get('/api/v1/me/orders').set(m.auth).expect(200);
    expect(mine.body.data).toEqual([expect.objectContaining({ id: res.body.data.id, dueCents: 14000, storeName: '旗舰店' })]);
    expect((await t.http.get('/api/v1/me/coupons?status=used').set(m.auth).expect(200)).body.data.map((c: { id: string }) => c.id)).toEqual([firstOrder.id]);
  });

  it('upgrades the tier at the threshold and issues the upgrade gift once', async () => {
    const m = await t.member();
    await t.services.points.addGrowth(m.id, { delta: 900, reason: 'adjust', sourceKey: 'setup' });
    const res = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 10000, receiptNo: receipt() })
      .expect(201);
    expect(res.body.data.upgradedTo).toEqual({ code: 'silver', name: '银卡会员', discountPercent: 95 });
    const gifts = () => t.dataSource.manager.countBy(MemberCouponEntity, { memberId: m.id, sourceKey: 'upgrade-gift:silver' });
    expect(await gifts()).toBe(1);
    // Dropped by a review and lifted again: the silver gift is never issued twice.
    await t.dataSource.manager.update(MemberEntity, { id: m.id }, { tier: 'normal' });
    t.clock.advance(31_000);
    await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 1000, receiptNo: receipt() })
      .expect(201);
    expect((await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: m.id })).tier).toBe('silver');
    expect(await gifts()).toBe(1);
  });

  it('a purchase that crosses two tiers brings both upgrade gifts, each once', async () => {
    const m = await t.member();
    const res = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 600_000, receiptNo: receipt() })
      .expect(201);
    expect(res.body.data.upgradedTo.code).toBe('gold');
    const gifts = await t.dataSource.manager.find(MemberCouponEntity, { where: { memberId: m.id }, order: { sourceKey: 'ASC' } });
    expect(gifts.filter((c) => c.sourceKey.startsWith('upgrade-gift:')).map((c) => [c.sourceKey, c.title])).toEqual([
      ['upgrade-gift:gold', '金卡升级礼 ¥50'],
      ['upgrade-gift:silver', '银卡升级礼 ¥20'],
    ]);
  });

  it('50 concurrent submissions of one receipt create one order and all get its result', async () => {
    const m = await t.memberWith('normal', 1000);
    const body = { code: t.codeOf(m), amountCents: 8800, pointsToUse: 200, receiptNo: 'SAME-RECEIPT' };
    const res = await Promise.all(Array.from({ length: 50 }, () => t.http.post('/api/v1/counter/orders').set(cashier.auth).send(body)));
    expect(res.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(res.map((r) => r.body.data.id)).size).toBe(1);
    expect(await t.dataSource.manager.countBy(OrderEntity, { memberId: m.id })).toBe(1);
    expect(await balance(m.id)).toBe(1000 - 200 + 86);
  });

  it('concurrent retries of an order that used a coupon and all usable points all get the first result', async () => {
    const m = await t.memberWith('normal', 3000);
    const welcome = (await t.services.coupons.list(m.id, 'available')).find((c) => c.kind === 'cash')!;
    // ¥100 − ¥10 coupon = ¥90 → 30 % cap is ¥27 → 2700 points; afterwards nothing is left for a second use.
    const body = { code: t.codeOf(m), amountCents: 10000, couponId: welcome.id, pointsToUse: 2700, receiptNo: 'RETRY-ALL-IN' };
    const res = await Promise.all(Array.from({ length: 20 }, () => t.http.post('/api/v1/counter/orders').set(cashier.auth).send(body)));
    expect(res.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(res.map((r) => r.body.data.id)).size).toBe(1);
  });

  it('the same code pays for one order only, even concurrently', async () => {
    const m = await t.memberWith('normal', 0);
    const code = t.codeOf(m);
    const res = await Promise.all(
      [1, 2].map((i) =>
        t.http
          .post('/api/v1/counter/orders')
          .set(cashier.auth)
          .send({ code, amountCents: 1000 * i, receiptNo: receipt() }),
      ),
    );
    expect(res.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(res.find((r) => r.status === 409)!.body.error.code).toBe('CODE_ALREADY_USED');
    expect(await t.dataSource.manager.countBy(OrderEntity, { memberId: m.id })).toBe(1);
  });

  it('a guessed code (the right reference, wrong digits) under a used receipt number reveals nothing of the first order', async () => {
    const m = await t.member();
    const code = t.codeOf(m);
    await t.http.post('/api/v1/counter/orders').set(cashier.auth).send({ code, amountCents: 5000, receiptNo: 'GUESS-1' }).expect(201);
    const guessed = `${code.slice(0, 10)}00000000`;
    const res = await t.http.post('/api/v1/counter/orders').set(cashier.auth).send({ code: guessed, amountCents: 5000, receiptNo: 'GUESS-1' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(JSON.stringify(res.body)).not.toContain(m.id);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a purchase still goes through when the upgrade gift has run out; the gift is simply not issued', async () => {
    const admin = await t.staff('admin');
    const template = await t.services.coupons.template('upgrade-silver');
    await t.http.patch(`/api/v1/admin/coupon-templates/${template.id}`).set(admin.auth).send({ totalStock: template.issuedCount }).expect(200);
    const m = await t.member();
    const res = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 200_000, receiptNo: 'GIFT-OUT' })
      .expect(201);
    expect(res.body.data.upgradedTo.code).toBe('silver');
    const coupons = await t.services.coupons.list(m.id, 'available');
    expect(coupons.some((c) => c.templateId === template.id)).toBe(false);
    await t.http.patch(`/api/v1/admin/coupon-templates/${template.id}`).set(admin.auth).send({ totalStock: null }).expect(200);
  });

  it('the same receipt number with different figures is 409 IDEMPOTENCY_MISMATCH', async () => {
    const m = await t.member();
    await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 1000, receiptNo: 'R-MISMATCH' })
      .expect(201);
    const res = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 1001, receiptNo: 'R-MISMATCH' })
      .expect(409);
    expect(res.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
  });

  it.each([
    ['a negative amount', -100],
    ['a zero amount', 0],
    ['a fractional amount', 10.5],
    ['an amount as a string', '100'],
    ['an absurd amount', 1e12],
    ['an amount above the counter maximum', 10_000_001],
  ])('rejects %s with 400 and writes nothing', async (_n, amountCents) => {
    const m = await t.memberWith('normal', 500);
    const res = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents, receiptNo: receipt() })
      .expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await t.dataSource.manager.countBy(OrderEntity, { memberId: m.id })).toBe(0);
    expect(await ledger(m.id)).toHaveLength(1);
  });
});

describe('POST /api/v1/counter/orders/{id}/refunds', () => {
  async function paidOrder(
    opts: { balance?: number; pointsToUse?: number; amountCents?: number; couponId?: string; memberOf?: Awaited<ReturnType<TestApp['memberWith']>> } = {},
  ) {
    const m = opts.memberOf ?? (await t.memberWith('normal', opts.balance ?? 0));
    t.clock.advance(31_000);
    const res = await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({
        code: t.codeOf(m),
        amountCents: opts.amountCents ?? 10000,
        receiptNo: receipt(),
        ...(opts.pointsToUse ? { pointsToUse: opts.pointsToUse } : {}),
        ...(opts.couponId ? { couponId: opts.couponId } : {}),
      })
      .expect(201);
    return { m, order: res.body.data };
  }
  // What refunds move; a manager refunds, so none of these needs an approval (refunds.test.ts covers approvals).
  let manager: Awaited<ReturnType<TestApp['staff']>>;
  beforeAll(async () => {
    manager = await t.staff('manager');
  });
  const refund = (orderId: string, refundNo: string, amountCents: number) =>
    t.http.post(`/api/v1/counter/orders/${orderId}/refunds`).set(manager.auth).send({ refundNo, amountCents });

  it('a full refund takes back the earned points and growth and returns the spent points and coupon', async () => {
    t.clock.set(ORDINARY_DAY);
    const m = await t.memberWith('normal', 3000);
    const welcome = (await t.services.coupons.list(m.id, 'available')).find((c) => c.kind === 'cash')!;
    const { order } = await paidOrder({ memberOf: m, pointsToUse: 2000, couponId: welcome.id });
    // 10000 − 1000 coupon = 9000 → 2000 points → 7000 due, 70 earned
    expect([order.dueCents, order.pointsEarned]).toEqual([7000, 70]);
    const res = await refund(order.id, 'RF-FULL', 7000).expect(201);
    expect(res.body.data).toMatchObject({
      pointsReversed: 70,
      growthReversed: 70,
      pointsReturned: 2000,
      couponRestored: true,
      member: { pointsBalance: 3000, growth: 0 },
    });
    expect((await t.dataSource.manager.findOneByOrFail(MemberCouponEntity, { id: welcome.id })).status).toBe('available');
  });

  it('two partial refunds add up exactly to a full one', async () => {
    const m = await t.memberWith('normal', 1000);
    const { order } = await paidOrder({ memberOf: m, pointsToUse: 300, amountCents: 9999 });
    expect([order.dueCents, order.pointsEarned]).toEqual([9699, 96]);
    const a = (await refund(order.id, 'RF-P1', 3333).expect(201)).body.data;
    const b = (await refund(order.id, 'RF-P2', 6366).expect(201)).body.data;
    expect(a.pointsReversed + b.pointsReversed).toBe(96);
    expect(a.pointsReturned + b.pointsReturned).toBe(300);
    expect(a.pointsReversed).toBe(Math.floor((96 * 3333) / 9699));
    expect(await balance(m.id)).toBe(1000);
    expect((await refund(order.id, 'RF-P3', 1).expect(422)).body.error.code).toBe('REFUND_EXCEEDS_ORDER');
  });

  it('partial then full: the rest, then nothing more', async () => {
    const { m, order } = await paidOrder({ balance: 0 });
    await refund(order.id, 'RF-A', 2500).expect(201);
    const rest = await refund(order.id, 'RF-B', 7500).expect(201);
    expect(rest.body.data.order.refundedCents).toBe(10000);
    expect(await balance(m.id)).toBe(0);
    expect((await refund(order.id, 'RF-C', 7500).expect(422)).body.error.code).toBe('REFUND_EXCEEDS_ORDER');
  });

  it('refuses more than was paid with 422 REFUND_EXCEEDS_ORDER and changes nothing', async () => {
    const { m, order } = await paidOrder({ balance: 0 });
    const before = await ledger(m.id);
    expect((await refund(order.id, 'RF-X', 10001).expect(422)).body.error.code).toBe('REFUND_EXCEEDS_ORDER');
    expect(await ledger(m.id)).toEqual(before);
  });

  it('replays a refund number, and refuses it for a different refund', async () => {
    const { order } = await paidOrder({ balance: 0 });
    const first = await refund(order.id, 'RF-SAME', 1000).expect(201);
    const again = await refund(order.id, 'RF-SAME', 1000).expect(201);
    expect(again.body.data.id).toBe(first.body.data.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await refund(order.id, 'RF-SAME', 2000).expect(409)).body.error.code).toBe('IDEMPOTENCY_MISMATCH');
  });

  it('after the earned points were spent, a refund leaves a negative balance that blocks spending', async () => {
    t.clock.set(ORDINARY_DAY);
    const { m, order } = await paidOrder({ balance: 0, amountCents: 50000 });
    expect(order.pointsEarned).toBe(500);
    await t.services.points.debit(m.id, { amount: 500, reason: 'spend', sourceKey: 'spent-it' });
    await refund(order.id, 'RF-NEG', 50000).expect(201);
    expect(await balance(m.id)).toBe(-500);
    t.clock.advance(31_000);
    const res = await t.http
      .post('/api/v1/counter/quote')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 50000, pointsToUse: 100 })
      .expect(422);
    expect(res.body.error.code).toBe('POINTS_INSUFFICIENT');
    await expect(t.services.points.debit(m.id, { amount: 1, reason: 'spend', sourceKey: 'blocked' })).rejects.toMatchObject({ code: 'POINTS_INSUFFICIENT' });
  });

  it('does not restore a coupon whose validity has passed', async () => {
    t.clock.set(ORDINARY_DAY);
    const m = await t.memberWith('normal', 0);
    const coupon = await t.couponFor(m.id, { kind: 'cash', valueCents: 500, validityDays: 1 });
    const { order } = await paidOrder({ memberOf: m, couponId: coupon.id });
    t.clock.advance(2 * 86_400_000);
    expect((await refund(order.id, 'RF-OLD', order.dueCents).expect(201)).body.data.couponRestored).toBe(false);
    expect((await t.dataSource.manager.findOneByOrFail(MemberCouponEntity, { id: coupon.id })).status).toBe('expired');
    expect((await t.http.get('/api/v1/me/coupons?status=expired').set(m.auth).expect(200)).body.data.map((c: { id: string }) => c.id)).toContain(coupon.id);
  });

  it.each([[{ refundNo: 'R', amountCents: -1 }], [{ refundNo: 'R', amountCents: 1.5 }], [{ amountCents: 100 }], [{ refundNo: 'bad no!', amountCents: 100 }]])(
    'rejects %j with 400',
    async (body) => {
      const { order } = await paidOrder({ balance: 0 });
      expect((await t.http.post(`/api/v1/counter/orders/${order.id}/refunds`).set(cashier.auth).send(body).expect(400)).body.error.code).toBe(
        'VALIDATION_FAILED',
      );
    },
  );
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import { PointsLedgerEntity } from '../../db/entities';
import { useTestApp, type TestApp } from '../../../test/support/test-app';

const t = useTestApp();
let admin: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  admin = await t.staff('admin');
});

describe('POST /api/v1/mall/redemptions', () => {
  it('100 members racing for 10 in stock: exactly 10 succeed and stock ends at 0', async () => {
    const it10 = await t.adminItem(admin.auth, { stock: 10, pointsCost: 300 });
    const members = await Promise.all(Array.from({ length: 100 }, () => t.memberWith('normal', 500)));
    const res = await Promise.all(members.map((m) => t.redeem(m.auth, it10.id)));
    const ok = res.filter((r) => r.status === 201);
    expect(ok).toHaveLength(10);
    expect(res.filter((r) => r.status === 422).every((r) => r.body.error.code === 'OUT_OF_STOCK')).toBe(true);
    expect(await t.stockOf(it10.id)).toBe(0);
    const balances = await Promise.all(members.map((m) => t.balanceOf(m.auth)));
    expect(balances.filter((b) => b === 200)).toHaveLength(10);
    expect(balances.filter((b) => b === 500)).toHaveLength(90);
  });

  it('one member racing 20 redemptions against a per-member limit of 2 gets exactly 2', async () => {
    const limited = await t.adminItem(admin.auth, { stock: 100, perMemberLimit: 2, pointsCost: 10 });
    const m = await t.memberWith('normal', 1000);
    const res = await Promise.all(Array.from({ length: 20 }, () => t.redeem(m.auth, limited.id)));
    expect(res.filter((r) => r.status === 201)).toHaveLength(2);
    expect(res.filter((r) => r.status === 422).map((r) => r.body.error.code)).toEqual(Array(18).fill('LIMIT_REACHED'));
    expect(await t.stockOf(limited.id)).toBe(98);
    expect(await t.balanceOf(m.auth)).toBe(980);
  });

  it('refuses what the member cannot afford with 422 POINTS_INSUFFICIENT and changes nothing', async () => {
    const dear = await t.adminItem(admin.auth, { pointsCost: 5000 });
    const m = await t.memberWith('normal', 4999);
    const ledgerBefore = await t.dataSource.manager.countBy(PointsLedgerEntity, { memberId: m.id });
    expect((await t.redeem(m.auth, dear.id).expect(422)).body.error.code).toBe('POINTS_INSUFFICIENT');
    expect([await t.stockOf(dear.id), await t.balanceOf(m.auth), await t.dataSource.manager.countBy(PointsLedgerEntity, { memberId: m.id })]).toEqual([
      10,
      4999,
      ledgerBefore,
    ]);
  });

  it('the same Idempotency-Key applies once, even sent concurrently, and replays the first answer', async () => {
    const mug = await t.adminItem(admin.auth, { pointsCost: 100 });
    const m = await t.memberWith('normal', 1000);
    const res = await Promise.all(Array.from({ length: 10 }, () => t.redeem(m.auth, mug.id, 1, 'same-key')));
    expect(res.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(res.map((r) => r.body.data.id)).size).toBe(1);
    expect([await t.stockOf(mug.id), await t.balanceOf(m.auth)]).toEqual([9, 900]);
    expect((await t.redeem(m.auth, mug.id, 2, 'same-key').expect(409)).body.error.code).toBe('IDEMPOTENCY_MISMATCH');
  });

  it('requires an Idempotency-Key', async () => {
    const mug = await t.adminItem(admin.auth, {});
    const m = await t.memberWith('normal', 1000);
    const res = await t.http.post('/api/v1/mall/redemptions').set(m.auth).send({ itemId: mug.id, quantity: 1 }).expect(400);
    expect(res.body.error.details.issues[0].path).toEqual(['Idempotency-Key']);
  });

  it('issues the coupon of a coupon item into the wallet at once', async () => {
    const tpl = await t.adminTemplate(admin.auth, { kind: 'threshold', title: '满50减8', valueCents: 800, thresholdCents: 5000 });
    const couponItem = await t.adminItem(admin.auth, { kind: 'coupon', title: '满50减8 券', couponTemplateCode: tpl.code, pointsCost: 200 });
    const m = await t.memberWith('normal', 500);
    const res = await t.redeem(m.auth, couponItem.id, 2).expect(201);
    expect(res.body.data).toMatchObject({ kind: 'coupon', status: 'issued', pickupCode: null, pointsSpent: 400, pointsBalance: 100 });
    expect(res.body.data.coupons.map((c: { title: string; thresholdCents: number }) => [c.title, c.thresholdCents])).toEqual([
      ['满50减8', 5000],
      ['满50减8', 5000],
    ]);
    const wallet = (await t.http.get('/api/v1/me/coupons?status=available').set(m.auth).expect(200)).body.data.map((c: { title: string }) => c.title);
    expect(wallet.filter((x: string) => x === '满50减8')).toHaveLength(2);
  });

  it('enforces minimum tier, sale window and quantity', async () => {
    const goldOnly = await t.adminItem(admin.auth, { minTier: 'gold' });
    const later = await t.adminItem(admin.auth, { saleFrom: new Date(Date.now() + 86_400_000).toISOString() });
    const m = await t.memberWith('normal', 10_000);
    expect((await t.redeem(m.auth, goldOnly.id).expect(422)).body.error.code).toBe('TIER_REQUIRED');
    expect((await t.redeem(m.auth, later.id).expect(422)).body.error.code).toBe('NOT_ELIGIBLE');
    expect((await t.redeem(m.auth, goldOnly.id, t.config.loyalty.mall.maxQuantityPerRedemption + 1).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    await t.services.points.addGrowth(m.id, { delta: 5000, reason: 'adjust', sourceKey: 'to-gold' });
    await t.redeem(m.auth, goldOnly.id).expect(201);
  });

  it('a negative balance left by a refund blocks a redemption', async () => {
    const cheap = await t.adminItem(admin.auth, { pointsCost: 1 });
    const m = await t.memberWith('normal', 100);
    await t.services.points.debit(m.id, { amount: 100, reason: 'spend', sourceKey: 'spent' });
    await t.services.points.reverse(m.id, { amount: 50, reason: 'refund', sourceKey: 'refund' });
    expect((await t.redeem(m.auth, cheap.id).expect(422)).body.error.code).toBe('POINTS_INSUFFICIENT');
  });

  it.each([[{}], [{ itemId: 'x' }], [{ itemId: '01ABCDEFGHJKMNPQRSTVWXYZ12', quantity: 0 }], [{ itemId: '01ABCDEFGHJKMNPQRSTVWXYZ12', quantity: 1.5 }]])(
    'rejects %j with 400',
    async (body) => {
      const m = await t.memberWith('normal', 0);
      expect((await t.http.post('/api/v1/mall/redemptions').set(m.auth).set('Idempotency-Key', t.freshKey()).send(body).expect(400)).body.error.code).toBe(
        'VALIDATION_FAILED',
      );
    },
  );
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import { CouponTemplateEntity, MemberCouponEntity } from '../src/db/entities';
import { useTestApp, type TestApp } from './support/test-app';

const t = useTestApp();
let admin: Awaited<ReturnType<TestApp['staff']>>;
let cashier: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  admin = await t.staff('admin');
  cashier = await t.staff('cashier');
});

describe('coupons', () => {
  it('a template with stock 5 issued to 50 members concurrently issues exactly 5', async () => {
    const tpl = await t.adminTemplate(admin.auth, { totalStock: 5 });
    const members = await Promise.all(Array.from({ length: 50 }, () => t.member()));
    const results = await Promise.allSettled(members.map((m) => t.issueCoupon(m.id, tpl.code, 'campaign:launch')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason.code === 'OUT_OF_STOCK')).toBe(true);
    expect((await t.dataSource.manager.findOneByOrFail(CouponTemplateEntity, { code: tpl.code })).issuedCount).toBe(5);
    expect(await t.dataSource.manager.countBy(MemberCouponEntity, { templateId: tpl.id })).toBe(5);
  });

  it('issues once per source event and honours per-member limits and minimum tiers', async () => {
    const tpl = await t.adminTemplate(admin.auth, { perMemberLimit: 2 });
    const gold = await t.adminTemplate(admin.auth, { minTier: 'gold' });
    const m = await t.member();
    const first = await t.issueCoupon(m.id, tpl.code, 'e1');
    expect((await t.issueCoupon(m.id, tpl.code, 'e1')).coupon.id).toBe(first.coupon.id);
    await t.issueCoupon(m.id, tpl.code, 'e2');
    await expect(t.issueCoupon(m.id, tpl.code, 'e3')).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
    await expect(t.issueCoupon(m.id, gold.code, 'g1')).rejects.toMatchObject({ code: 'TIER_REQUIRED' });
  });

  it('an expired coupon is not usable at the counter and shows under expired', async () => {
    t.clock.set('2026-11-20T04:00:00Z');
    const short = await t.adminTemplate(admin.auth, { validity: { days: 1 } });
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

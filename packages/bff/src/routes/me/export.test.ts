import { describe, expect, it } from '@jest/globals';
import { MemberEntity } from '../../db/entities';
import { useTestApp } from '../../../test/support/test-app';

/**
 * PIPL: the export holds everything the member center keeps about the member (mall redemptions and
 * their pickup codes, refunds of their orders, the consent they gave) and nothing of anyone else.
 */
const t = useTestApp();
let receipts = 0;

/** A member with an order and a partial refund of it, a coupon redemption and a pickup waiting. */
async function busyMember(cashier: { auth: Record<string, string> }, itemIds: { mug: string; coupon: string }) {
  const m = await t.memberWith('normal', 1000);
  t.clock.advance(31_000);
  const order = (
    await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(m), amountCents: 5000, receiptNo: `EX${++receipts}-${m.id.slice(-6)}` })
      .expect(201)
  ).body.data as { id: string };
  const refund = (
    await t.http
      .post(`/api/v1/counter/orders/${order.id}/refunds`)
      .set(cashier.auth)
      .send({ refundNo: `RF${receipts}-${m.id.slice(-6)}`, amountCents: 100 })
      .expect(201)
  ).body.data as { id: string };
  const pickup = (await t.redeem(m.auth, itemIds.mug).expect(201)).body.data as { id: string; pickupCode: string };
  const coupon = (await t.redeem(m.auth, itemIds.coupon).expect(201)).body.data as { id: string; coupons: { id: string }[] };
  return { m, order, refund, pickup, coupon };
}

describe('GET /api/v1/me/export', () => {
  it('holds the member’s redemptions with pickup codes, refunds of their orders and their consent, and nothing of another member', async () => {
    const cashier = await t.staff('cashier');
    const admin = await t.staff('admin');
    const tpl = await t.adminTemplate(admin.auth, { title: '积分换券' });
    const itemIds = {
      mug: (await t.adminItem(admin.auth, { title: '马克杯', pointsCost: 100 })).id,
      coupon: (await t.adminItem(admin.auth, { kind: 'coupon', title: '积分换券', couponTemplateCode: tpl.code, pointsCost: 50 })).id,
    };
    const mine = await busyMember(cashier, itemIds);
    const theirs = await busyMember(cashier, itemIds);

    const data = (await t.http.get('/api/v1/me/export').set(mine.m.auth).expect(200)).body.data;
    const stored = await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: mine.m.id });
    expect(data.consent).toEqual({ version: t.config.loyalty.privacy.consentVersion, consentedAt: stored.consentedAt!.toISOString() });

    expect(data.redemptions.map((r: { id: string }) => r.id).sort()).toEqual([mine.pickup.id, mine.coupon.id].sort());
    const pickup = data.redemptions.find((r: { id: string }) => r.id === mine.pickup.id);
    expect(pickup).toMatchObject({ title: '马克杯', status: 'awaiting_pickup', pickupCode: mine.pickup.pickupCode, pointsSpent: 100 });
    const couponRedemption = data.redemptions.find((r: { id: string }) => r.id === mine.coupon.id);
    expect(couponRedemption.couponIds).toEqual(mine.coupon.coupons.map((c) => c.id));
    expect(data.coupons.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(couponRedemption.couponIds));

    expect(data.refunds).toEqual([expect.objectContaining({ id: mine.refund.id, orderId: mine.order.id, amountCents: 100 })]);
    expect(data.orders.map((o: { id: string }) => o.id)).toEqual([mine.order.id]);

    // Nothing of the other member: none of their ids, pickup code or refund anywhere in the export.
    const text = JSON.stringify(data);
    for (const secret of [
      theirs.m.id,
      theirs.order.id,
      theirs.refund.id,
      theirs.pickup.id,
      theirs.pickup.pickupCode,
      theirs.coupon.id,
      ...theirs.coupon.coupons.map((c) => c.id),
    ]) {
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    }
  });
});

describe('GET /api/v1/me/export, engagement', () => {
  it('holds the share links, the visits, the share rewards and the invitations the member is part of, never naming the other side', async () => {
    const cashier = await t.staff('cashier');
    const inviter = await t.member();
    const share = (await t.http.post('/api/v1/shares').set(inviter.auth).send({ page: 'invite' }).expect(201)).body.data as { token: string };
    // A friend opens the link and registers with the invite code, then pays a first order.
    const session = await t.login();
    const friend = { Authorization: `Bearer ${session.token}` };
    await t.http.post(`/api/v1/shares/${share.token}/visits`).set(friend).send().expect(201);
    const friendId = (
      await t.http
        .post('/api/v1/members')
        .set(friend)
        .send({ nickname: '朋友', consentVersion: t.config.loyalty.privacy.consentVersion, shareToken: share.token, inviteCode: inviter.member.inviteCode })
        .expect(201)
    ).body.data.id as string;
    const friendMember = { ...session, auth: friend };
    t.clock.advance(31_000);
    await t.http
      .post('/api/v1/counter/orders')
      .set(cashier.auth)
      .send({ code: t.codeOf(friendMember, { usePoints: false }), amountCents: 5000, receiptNo: `EXF-${friendId.slice(-6)}` })
      .expect(201);

    const mine = (await t.http.get('/api/v1/me/export').set(inviter.auth).expect(200)).body.data;
    expect(mine.shares).toEqual([{ token: share.token, page: 'invite', targetId: null, createdAt: expect.any(String) }]);
    expect(mine.shareRewards).toEqual([expect.objectContaining({ action: 'register', status: 'paid', points: t.config.loyalty.share.points })]);
    expect(mine.invitations).toEqual([
      expect.objectContaining({
        role: 'inviter',
        status: 'rewarded',
        points: t.config.loyalty.referral.inviterPoints,
        growth: t.config.loyalty.referral.inviterGrowth,
      }),
    ]);
    expect(mine.shareVisits).toEqual([]);

    const theirs = (await t.http.get('/api/v1/me/export').set(friend).expect(200)).body.data;
    expect(theirs.shareVisits).toEqual([{ shareId: expect.any(String), visitedAt: expect.any(String) }]);
    expect(theirs.invitations).toEqual([
      expect.objectContaining({ role: 'invitee', status: 'rewarded', points: t.config.loyalty.referral.inviteePoints, growth: 0 }),
    ]);
    expect(theirs.shares).toEqual([]);
    // Neither export names the other member.
    expect(JSON.stringify(mine)).not.toContain(friendId);
    expect(JSON.stringify(theirs)).not.toContain(inviter.id);
  });
});

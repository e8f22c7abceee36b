import { beforeAll, describe, expect, it } from '@jest/globals';
import { MemberCouponEntity, MemberEntity, PointsLedgerEntity, ReferralEntity } from '../../db/entities';
import { runReferralRewards } from '../../jobs';
import { startTestApp, useTestApp, type TestApp } from '../../../test/support/test-app';

/**
 * Referral invitations, written as the story and as the ways around it: inviting oneself, inviting
 * back, existing and former members, two first orders at once in two stores, a refund, the
 * monthly cap hit by many first orders at once, and a friend WeChat rates risky.
 */
const t = useTestApp();
type Member = Awaited<ReturnType<TestApp['member']>>;
type Staff = Awaited<ReturnType<TestApp['staff']>>;
let cashier: Staff;
let otherStoresCashier: Staff;
let manager: Staff;
let admin: Staff;
let consentVersion: string;
beforeAll(async () => {
  cashier = await t.staff('cashier');
  otherStoresCashier = await t.staff('cashier', '分店');
  manager = await t.staff('manager');
  admin = await t.staff('admin');
  consentVersion = t.config.loyalty.privacy.consentVersion;
});

let receipts = 0;
const receipt = () => `RF${Date.now()}${++receipts}`;
const codeOf = (m: Member) => m.member.inviteCode as string;
const invitation = async (m: Member) => (await t.http.get('/api/v1/me/invitation').set(m.auth).expect(200)).body.data;
const balanceAndGrowth = async (id: string) => {
  const row = await t.dataSource.manager.findOneByOrFail(MemberEntity, { id });
  return { balance: row.pointsBalance, growth: row.growth };
};
const referralEntries = (memberId: string) => t.dataSource.manager.countBy(PointsLedgerEntity, { memberId, reason: 'referral' });
const order = (who: Staff, m: Member, amountCents: number, at?: Date) =>
  t.http
    .post('/api/v1/counter/orders')
    .set(who.auth)
    .send({ code: t.codeOf(m, at ? { at, usePoints: false } : { usePoints: false }), amountCents, receiptNo: receipt() });

/** A new WeChat user registering with an invite code (and whatever else the body says). */
async function registerWith(body: Record<string, unknown>) {
  const session = await t.login();
  const auth = { Authorization: `Bearer ${session.token}` };
  const res = await t.http
    .post('/api/v1/members')
    .set(auth)
    .send({ nickname: '新朋友', consentVersion, ...body });
  return { ...session, auth, res, id: res.body.data?.id as string, member: res.body.data as Record<string, unknown> };
}

async function invitee(inviter: Member) {
  const r = await registerWith({ inviteCode: codeOf(inviter) });
  expect(r.res.status).toBe(201);
  return r as unknown as Member;
}

describe('GET /api/v1/me/invitation', () => {
  it('shows the code, the invite path and no invitees to begin with', async () => {
    const m = await t.member();
    expect(await invitation(m)).toEqual({
      code: codeOf(m),
      path: `/pages/index/index?inviteCode=${codeOf(m)}`,
      invitees: [],
      rewardedCount: 0,
      rewardedThisMonth: 0,
    });
  });
});

describe('binding an invitee at registration', () => {
  it('binds a new member once; nothing is paid at registration', async () => {
    const inviter = await t.member();
    const friend = await invitee(inviter);
    expect((await invitation(inviter)).invitees).toEqual([{ nickname: '新朋友', status: 'registered', registeredAt: expect.any(String), reward: null }]);
    expect(await balanceAndGrowth(inviter.id)).toEqual({ balance: 0, growth: 0 });
    expect((await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: friend.id })).invitedBy).toBe(inviter.id);
  });

  const refused = (res: { status: number; body: { error?: { code: string; details?: unknown } } }, reason: string) => {
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'NOT_ELIGIBLE', details: { reason } });
  };

  it('refuses one’s own code (self) with 422 NOT_ELIGIBLE', async () => {
    const m = await t.member();
    refused(
      await t.http
        .post('/api/v1/members')
        .set(m.auth)
        .send({ nickname: 'x', consentVersion, inviteCode: codeOf(m) }),
      'self',
    );
  });

  it('refuses inviting back the member who invited you, up the chain (cycle)', async () => {
    const a = await t.member();
    const b = await invitee(a);
    const c = await invitee(b);
    refused(
      await t.http
        .post('/api/v1/members')
        .set(a.auth)
        .send({ nickname: 'x', consentVersion, inviteCode: codeOf(b) }),
      'cycle',
    );
    refused(
      await t.http
        .post('/api/v1/members')
        .set(a.auth)
        .send({ nickname: 'x', consentVersion, inviteCode: codeOf(c) }),
      'cycle',
    );
    expect(await t.dataSource.manager.countBy(ReferralEntity, { inviteeId: a.id })).toBe(0);
  });

  it('refuses an existing member (existing-member)', async () => {
    const inviter = await t.member();
    const existing = await t.member();
    refused(
      await t.http
        .post('/api/v1/members')
        .set(existing.auth)
        .send({ nickname: 'x', consentVersion, inviteCode: codeOf(inviter) }),
      'existing-member',
    );
    expect((await invitation(inviter)).invitees).toEqual([]);
  });

  it('refuses a former member’s phone and a former member’s WeChat identity (former-member), registering nothing', async () => {
    const inviter = await t.member();
    const former = await t.member({ phone: '13911112222' });
    await t.http.delete('/api/v1/me').set(former.auth).expect(200);
    const samePhone = await registerWith({ inviteCode: codeOf(inviter), phone: '13911112222' });
    refused(samePhone.res, 'former-member');
    await t.http.get('/api/v1/me').set(samePhone.auth).expect(404);
    // The same WeChat user signs in again after erasing and tries to be invited.
    const again = await t.login(former.openid);
    refused(
      await t.http
        .post('/api/v1/members')
        .set('Authorization', `Bearer ${again.token}`)
        .send({ nickname: 'x', consentVersion, inviteCode: codeOf(inviter) }),
      'former-member',
    );
    expect((await invitation(inviter)).invitees).toEqual([]);
  });

  it('takes a code typed in lower case, with spaces around it, as the same code', async () => {
    const inviter = await t.member();
    const r = await registerWith({ inviteCode: ` ${codeOf(inviter).toLowerCase()} ` });
    expect(r.res.status).toBe(201);
    expect((await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: r.id })).invitedBy).toBe(inviter.id);
  });

  it('refuses a code nobody has (unknown-code): never silently ignored', async () => {
    const r = await registerWith({ inviteCode: 'ZZZZ9999' });
    refused(r.res, 'unknown-code');
    await t.http.get('/api/v1/me').set(r.auth).expect(404);
  });
});

describe('the invitee’s first counter order', () => {
  it('rewards the inviter (100 points + 2 growth) and the invitee (50 points) on the first order only', async () => {
    const inviter = await t.member();
    const friend = await invitee(inviter);
    const { inviterPoints, inviterGrowth, inviteePoints } = t.config.loyalty.referral;
    await order(cashier, friend, 5000).expect(201);
    expect(await balanceAndGrowth(inviter.id)).toEqual({ balance: inviterPoints, growth: inviterGrowth });
    expect((await balanceAndGrowth(friend.id)).balance).toBe(50 + inviteePoints);
    t.clock.advance(60_000);
    await order(cashier, friend, 5000).expect(201);
    expect(await balanceAndGrowth(inviter.id)).toEqual({ balance: inviterPoints, growth: inviterGrowth });
    const view = await invitation(inviter);
    expect(view.invitees).toEqual([
      {
        nickname: '新朋友',
        status: 'rewarded',
        registeredAt: expect.any(String),
        rewardedAt: expect.any(String),
        reward: { points: inviterPoints, growth: inviterGrowth },
      },
    ]);
    expect([view.rewardedCount, view.rewardedThisMonth]).toEqual([1, 1]);
  });

  it('rewards exactly once when two first orders arrive at once in two stores', async () => {
    const inviter = await t.member();
    const friend = await invitee(inviter);
    // Two codes of two windows (the current and the previous, both accepted): two genuine orders.
    const now = t.clock.now();
    const previous = new Date(now.getTime() - t.config.loyalty.dynamicCode.periodSeconds * 1000);
    const res = await Promise.all([order(cashier, friend, 3000, now), order(otherStoresCashier, friend, 4000, previous)]);
    expect(res.map((r) => r.status)).toEqual([201, 201]);
    expect(await referralEntries(inviter.id)).toBe(1);
    expect(await referralEntries(friend.id)).toBe(1);
    expect((await balanceAndGrowth(inviter.id)).balance).toBe(t.config.loyalty.referral.inviterPoints);
  });

  it('a full refund of that first order takes the rewards back; a partial one does not', async () => {
    const inviter = await t.member();
    const friend = await invitee(inviter);
    const first = (await order(cashier, friend, 8000).expect(201)).body.data as { id: string; dueCents: number };
    const refund = (body: Record<string, unknown>) => t.http.post(`/api/v1/counter/orders/${first.id}/refunds`).set(manager.auth).send(body);
    await refund({ refundNo: `${first.id}-1`, amountCents: 1000 }).expect(201);
    expect((await invitation(inviter)).invitees[0].status).toBe('rewarded');
    await refund({ refundNo: `${first.id}-2`, amountCents: first.dueCents - 1000 }).expect(201);
    expect(await balanceAndGrowth(inviter.id)).toEqual({ balance: 0, growth: 0 });
    expect((await balanceAndGrowth(friend.id)).balance).toBe(0);
    const view = await invitation(inviter);
    expect(view.invitees[0]).toMatchObject({ status: 'reversed', reward: null });
    expect(view.rewardedCount).toBe(0);
    // A later order is not a first order: nothing is paid again.
    t.clock.advance(60_000);
    await order(cashier, friend, 5000).expect(201);
    expect((await balanceAndGrowth(inviter.id)).balance).toBe(0);
  });

  it('a cent’s purchase, or one the new-member coupon pays in full, is not the first order that earns the invitation', async () => {
    const inviter = await t.member();
    const friend = await invitee(inviter);
    const min = t.config.loyalty.referral.minFirstOrderPaidCents;
    await order(cashier, friend, 1).expect(201);
    t.clock.advance(60_000);
    await order(cashier, friend, min - 1).expect(201);
    // The ¥10 welcome coupon pays a ¥10 order in full: nothing is paid.
    const welcome = ((await t.http.get('/api/v1/me/coupons?status=available').set(friend.auth).expect(200)).body.data as { id: string; title: string }[]).find(
      (c) => c.title === '新人无门槛券',
    )!;
    t.clock.advance(60_000);
    const free = (
      await t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(friend, { usePoints: false }), amountCents: 1000, couponId: welcome.id, receiptNo: receipt() })
        .expect(201)
    ).body.data as { dueCents: number };
    expect(free.dueCents).toBe(0);
    expect(await balanceAndGrowth(inviter.id)).toEqual({ balance: 0, growth: 0 });
    expect((await invitation(inviter)).invitees[0].status).toBe('registered');
    // The first order paying at least the minimum earns it.
    t.clock.advance(60_000);
    await order(cashier, friend, min).expect(201);
    expect((await balanceAndGrowth(inviter.id)).balance).toBe(t.config.loyalty.referral.inviterPoints);
    expect((await invitation(inviter)).invitees[0].status).toBe('rewarded');
  });

  it('a partial refund that leaves the first order paying less than the minimum takes the rewards back, with no manager needed', async () => {
    const inviter = await t.member();
    const friend = await invitee(inviter);
    const min = t.config.loyalty.referral.minFirstOrderPaidCents;
    const first = (await order(cashier, friend, 10_000).expect(201)).body.data as { id: string; dueCents: number };
    expect((await balanceAndGrowth(inviter.id)).balance).toBe(t.config.loyalty.referral.inviterPoints);
    const refund = (no: string, amountCents: number) =>
      t.http
        .post(`/api/v1/counter/orders/${first.id}/refunds`)
        .set(cashier.auth)
        .send({ refundNo: `${first.id}-${no}`, amountCents });
    // Leaving exactly the minimum keeps the invitation; one cent less reverses it, while a cent of the order stays paid.
    await refund('a', first.dueCents - min - 5000).expect(201);
    expect((await invitation(inviter)).invitees[0].status).toBe('rewarded');
    await refund('b', 5001).expect(201);
    expect(await balanceAndGrowth(inviter.id)).toEqual({ balance: 0, growth: 0 });
    expect((await invitation(inviter)).invitees[0]).toMatchObject({ status: 'reversed', reward: null });
  });

  it('a high-risk friend’s reward is held for review, and paid once an operator releases it', async () => {
    const inviter = await t.member();
    const session = await t.login();
    t.wechat.riskRanks.set(session.openid, 3);
    const auth = { Authorization: `Bearer ${session.token}` };
    await t.http
      .post('/api/v1/members')
      .set(auth)
      .send({ nickname: '可疑', consentVersion, inviteCode: codeOf(inviter) })
      .expect(201);
    const friend: Member = { ...session, auth, id: '', member: {} };
    await order(cashier, friend, 5000).expect(201);
    expect(await balanceAndGrowth(inviter.id)).toEqual({ balance: 0, growth: 0 });
    expect((await invitation(inviter)).invitees[0].status).toBe('held');
    const held = (await t.http.get('/api/v1/admin/held-rewards').set(admin.auth).expect(200)).body.data as { id: string; kind: string; memberId: string }[];
    const mine = held.find((h) => h.kind === 'referral' && h.memberId === inviter.id)!;
    await t.http.post(`/api/v1/admin/held-rewards/${mine.id}/release`).set(admin.auth).send().expect(200);
    expect((await balanceAndGrowth(inviter.id)).balance).toBe(t.config.loyalty.referral.inviterPoints);
    expect((await invitation(inviter)).invitees[0].status).toBe('rewarded');
  });
});

describe('the referral-rewards job', () => {
  it('settles an invitation whose first order committed but whose reward never ran (the process stopped), once', async () => {
    const inviter = await t.member();
    const friend = await invitee(inviter);
    // What the order's transaction does before the reward runs after it: mark the first order.
    await t.services.repos.shareReferral.markFirstOrder(friend.id, 'ORDER-LOST-REWARD-0000000', t.clock.now());
    expect(await runReferralRewards(t.services, { now: t.clock.now() })).toEqual({ settled: 0 }); // too fresh: its own reward may still be running
    t.clock.advance(120_000);
    expect(await runReferralRewards(t.services, { now: t.clock.now() })).toEqual({ settled: 1 });
    expect(await runReferralRewards(t.services, { now: t.clock.now() })).toEqual({ settled: 0 });
    expect((await balanceAndGrowth(inviter.id)).balance).toBe(t.config.loyalty.referral.inviterPoints);
  });
});

describe('the monthly cap and the milestone coupon', () => {
  it('holds under concurrency: of six first orders at once, three are rewarded; the second adds the milestone coupon', async () => {
    const capped = await startTestApp({
      tweak: (c) => {
        c.loyalty.referral.maxRewardsPerMonth = 3;
        c.loyalty.referral.milestoneEvery = 2;
      },
    });
    try {
      const inviter = await capped.member();
      const code = inviter.member.inviteCode as string;
      const friends = await Promise.all(Array.from({ length: 6 }, () => capped.member({ inviteCode: code })));
      const till = await capped.staff('cashier');
      const res = await Promise.all(
        friends.map((f, i) =>
          capped.http
            .post('/api/v1/counter/orders')
            .set(till.auth)
            .send({ code: capped.codeOf(f, { usePoints: false }), amountCents: 2000, receiptNo: `CAP-${i}` }),
        ),
      );
      expect(res.map((r) => r.status)).toEqual(Array(6).fill(201));
      const rows = await capped.dataSource.manager.findBy(ReferralEntity, { inviterId: inviter.id });
      expect(rows.map((r) => r.status).sort()).toEqual(['capped', 'capped', 'capped', 'rewarded', 'rewarded', 'rewarded']);
      expect(
        rows
          .filter((r) => r.slot !== null)
          .map((r) => r.slot)
          .sort(),
      ).toEqual([1, 2, 3]);
      const { inviterPoints, inviterGrowth } = capped.config.loyalty.referral;
      const me = await capped.dataSource.manager.findOneByOrFail(MemberEntity, { id: inviter.id });
      expect([me.pointsBalance, me.growth]).toEqual([3 * inviterPoints, 3 * inviterGrowth]);
      const milestone = capped.config.loyalty.referral.milestoneTemplate;
      const coupons = await capped.dataSource.manager.findBy(MemberCouponEntity, { memberId: inviter.id });
      expect(coupons.filter((c) => c.sourceKey.startsWith('referral-milestone:')).map((c) => c.sourceKey)).toEqual(['referral-milestone:2']);
      expect(milestone).toBe('invite-milestone');
      const view = (await capped.http.get('/api/v1/me/invitation').set(inviter.auth).expect(200)).body.data as {
        rewardedCount: number;
        rewardedThisMonth: number;
      };
      expect([view.rewardedCount, view.rewardedThisMonth]).toEqual([3, 3]);
      await capped.checkInvariants();
    } finally {
      await capped.close();
    }
  });
});

describe('rate limits', () => {
  it('registrations carrying an invite code are limited per client address (429)', async () => {
    const limited = await startTestApp({
      tweak: (c) =>
        (c.runtime.rateLimits.registrationWithInvite = { perMember: { points: 5, durationSeconds: 60 }, perAddress: { points: 2, durationSeconds: 60 } }),
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { token } = await limited.login();
        const res = await limited.http
          .post('/api/v1/members')
          .set('Authorization', `Bearer ${token}`)
          .send({ nickname: 'x', consentVersion, inviteCode: `GUESS${i}AA` });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([422, 422, 429]);
    } finally {
      await limited.close();
    }
  });
});

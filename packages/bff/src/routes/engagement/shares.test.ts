import { beforeAll, describe, expect, it } from '@jest/globals';
import { GrowthLedgerEntity, MemberEntity, PointsLedgerEntity, ShareEntity, ShareRewardEntity } from '../../db/entities';
import { startTestApp, useTestApp, type TestApp } from '../../../test/support/test-app';

/**
 * Share-to-earn, written as what a member (or a script) would try: sharing itself, opening one's
 * own link, friends who only look, friends who take part, and a fourth friend on the same day.
 */
const t = useTestApp();
type Member = Awaited<ReturnType<TestApp['member']>>;
let admin: Awaited<ReturnType<TestApp['staff']>>;
let consentVersion: string;
beforeAll(async () => {
  admin = await t.staff('admin');
  consentVersion = t.config.loyalty.privacy.consentVersion;
});

const share = async (m: { auth: Record<string, string> }, page: 'item' | 'mall' | 'invite' = 'mall', params?: { id: string }) =>
  (
    await t.http
      .post('/api/v1/shares')
      .set(m.auth)
      .send({ page, ...(params ? { params } : {}) })
      .expect(201)
  ).body.data as { token: string; path: string };
const visit = (auth: Record<string, string>, token: string) => t.http.post(`/api/v1/shares/${token}/visits`).set(auth).send();
const account = async (memberId: string) => {
  const m = t.dataSource.manager;
  return {
    balance: (await m.findOneByOrFail(MemberEntity, { id: memberId })).pointsBalance,
    growth: (await m.findOneByOrFail(MemberEntity, { id: memberId })).growth,
    shareEntries: await m.countBy(PointsLedgerEntity, { memberId, reason: 'share' }),
    shareGrowth: await m.countBy(GrowthLedgerEntity, { memberId, reason: 'share' }),
  };
};
const rewardsOf = (sharerId: string) => t.dataSource.manager.find(ShareRewardEntity, { where: { sharerId }, order: { slot: 'ASC' } });

/** A new WeChat user who opened the link (signed in, not registered yet) and then registers from it. */
async function friendRegisters(token: string, opts: { visitFirst?: boolean } = {}) {
  const session = await t.login();
  const auth = { Authorization: `Bearer ${session.token}` };
  if (opts.visitFirst !== false) expect((await visit(auth, token).expect(201)).body.data).toEqual({ recorded: true });
  const res = await t.http.post('/api/v1/members').set(auth).send({ nickname: '朋友', consentVersion, shareToken: token });
  return { ...session, auth, res };
}

describe('POST /api/v1/shares', () => {
  it('gives a token and a path for an item, the mall and the invite page, and nothing else: sharing earns nothing', async () => {
    const sharer = await t.member();
    const item = await t.adminItem(admin.auth, {});
    const onItem = await share(sharer, 'item', { id: item.id });
    expect(onItem.path).toBe(`/subpackages/mall/item/index?id=${item.id}&shareToken=${onItem.token}`);
    expect((await share(sharer, 'mall')).path).toMatch(/^\/pages\/mall\/index\?shareToken=[A-Za-z0-9_-]{16}$/);
    const invite = await share(sharer, 'invite');
    expect(invite.path).toBe(`/pages/index/index?inviteCode=${sharer.member.inviteCode as string}&shareToken=${invite.token}`);
    for (let i = 0; i < 5; i++) await share(sharer);
    expect(await account(sharer.id)).toEqual({ balance: 0, growth: 0, shareEntries: 0, shareGrowth: 0 });
  });

  it('a member who taps share again and again on the same page that day gets the same link, not a new one each tap', async () => {
    t.clock.set('2026-06-01T01:00:00Z'); // 09:00 in Shanghai
    const sharer = await t.member();
    const item = await t.adminItem(admin.auth, {});
    const first = await share(sharer, 'mall');
    for (let i = 0; i < 4; i++) expect(await share(sharer, 'mall')).toEqual(first);
    const onItem = await share(sharer, 'item', { id: item.id });
    expect(await share(sharer, 'item', { id: item.id })).toEqual(onItem);
    const invite = await share(sharer, 'invite');
    expect(await share(sharer, 'invite')).toEqual(invite);
    expect(new Set([first.token, onItem.token, invite.token]).size).toBe(3);
    // Another member sharing the same page gets their own link.
    expect((await share(await t.member(), 'mall')).token).not.toBe(first.token);

    t.clock.set('2026-06-01T15:59:00Z'); // 23:59 the same business day
    expect(await share(sharer, 'mall')).toEqual(first);
    t.clock.set('2026-06-01T16:00:00Z'); // midnight in Shanghai: a new day, a new link
    const nextDay = await share(sharer, 'mall');
    expect(nextDay.token).not.toBe(first.token);
    // Both links still work for a friend.
    const friend = await t.member();
    for (const token of [first.token, nextDay.token]) expect((await visit(friend.auth, token).expect(201)).body.data).toEqual({ recorded: true });

    const rows = await t.dataSource.manager.find(ShareEntity, { where: { memberId: sharer.id } });
    expect(rows.map((r) => r.page).sort()).toEqual(['invite', 'item', 'mall', 'mall']);
  });

  it('five simultaneous taps of share make one link', async () => {
    const sharer = await t.member();
    const links = await Promise.all(Array.from({ length: 5 }, () => share(sharer, 'invite')));
    expect(new Set(links.map((l) => l.token)).size).toBe(1);
    expect(await t.dataSource.manager.countBy(ShareEntity, { memberId: sharer.id })).toBe(1);
  });

  it('refuses an item that does not exist (404) and an item share without its id (400)', async () => {
    const sharer = await t.member();
    expect(
      (
        await t.http
          .post('/api/v1/shares')
          .set(sharer.auth)
          .send({ page: 'item', params: { id: '01JZZZZZZZZZZZZZZZZZZZZZZZ' } })
          .expect(404)
      ).body.error.code,
    ).toBe('NOT_FOUND');
    expect((await t.http.post('/api/v1/shares').set(sharer.auth).send({ page: 'item' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('needs a registered member to share', async () => {
    const { token } = await t.login();
    await t.http.post('/api/v1/shares').set('Authorization', `Bearer ${token}`).send({ page: 'mall' }).expect(404);
  });
});

describe('POST /api/v1/shares/{token}/visits', () => {
  it('a visit by the sharer themself records nothing, and their own redemption rewards nothing', async () => {
    const sharer = await t.memberWith('normal', 500);
    const { token } = await share(sharer);
    expect((await visit(sharer.auth, token).expect(201)).body.data).toEqual({ recorded: false });
    const item = await t.adminItem(admin.auth, { pointsCost: 100 });
    await t.redeem(sharer.auth, item.id).expect(201);
    expect(await account(sharer.id)).toMatchObject({ balance: 400, shareEntries: 0, shareGrowth: 0 });
    expect(await rewardsOf(sharer.id)).toHaveLength(0);
  });

  it('a friend who only opens the link rewards nothing', async () => {
    const sharer = await t.member();
    const friend = await t.member();
    const { token } = await share(sharer);
    for (let i = 0; i < 3; i++) expect((await visit(friend.auth, token).expect(201)).body.data).toEqual({ recorded: true });
    expect(await account(sharer.id)).toEqual({ balance: 0, growth: 0, shareEntries: 0, shareGrowth: 0 });
    expect(await rewardsOf(sharer.id)).toHaveLength(0);
  });

  it('an unknown token is 404', async () => {
    const friend = await t.member();
    expect((await visit(friend.auth, 'AAAAAAAAAAAAAAAAAAAAAA').expect(404)).body.error.code).toBe('NOT_FOUND');
  });
});

describe('a friend who takes part', () => {
  it('registering from the link rewards the sharer exactly once (10 points + 2 growth), not again that day', async () => {
    const sharer = await t.member();
    const { token } = await share(sharer);
    const friend = await friendRegisters(token);
    expect(friend.res.status).toBe(201);
    const { points, growth } = t.config.loyalty.share;
    expect(await account(sharer.id)).toEqual({ balance: points, growth, shareEntries: 1, shareGrowth: 1 });
    // The same friend taking part again the same day (a redemption) adds nothing; registering again is a conflict.
    await t.services.points.credit(friend.res.body.data.id as string, { amount: 300, reason: 'adjust', sourceKey: 'test:friend' });
    const item = await t.adminItem(admin.auth, { pointsCost: 100 });
    await t.redeem(friend.auth, item.id).expect(201);
    await t.http.post('/api/v1/members').set(friend.auth).send({ nickname: '朋友', consentVersion, shareToken: token }).expect(409);
    expect(await account(sharer.id)).toEqual({ balance: points, growth, shareEntries: 1, shareGrowth: 1 });
    expect((await rewardsOf(sharer.id)).map((r) => [r.action, r.status, r.points, r.growth])).toEqual([['register', 'paid', points, growth]]);
  });

  it('a registered friend redeeming within the window rewards the sharer; after the window nothing', async () => {
    const sharer = await t.member();
    const { token } = await share(sharer);
    const friend = await t.memberWith('normal', 1000);
    const item = await t.adminItem(admin.auth, { pointsCost: 100 });
    t.clock.set('2026-05-04T02:00:00Z');
    await visit(friend.auth, token).expect(201);
    t.clock.set('2026-05-05T01:59:00Z'); // 23 h 59 min later, another business day
    await t.redeem(friend.auth, item.id).expect(201);
    expect((await account(sharer.id)).balance).toBe(t.config.loyalty.share.points);
    t.clock.set('2026-05-06T02:01:00Z'); // more than 24 h after the visit
    await t.redeem(friend.auth, item.id).expect(201);
    expect((await account(sharer.id)).balance).toBe(t.config.loyalty.share.points);
  });

  it('a shareToken that names no link is 422 NOT_ELIGIBLE (unknown-share) and registers nothing', async () => {
    const session = await t.login();
    const auth = { Authorization: `Bearer ${session.token}` };
    const res = await t.http.post('/api/v1/members').set(auth).send({ nickname: '朋友', consentVersion, shareToken: 'AAAAAAAAAAAAAAAAAAAAAA' }).expect(422);
    expect(res.body.error).toMatchObject({ code: 'NOT_ELIGIBLE', details: { reason: 'unknown-share' } });
    await t.http.get('/api/v1/me').set(auth).expect(404);
  });

  it('the fourth rewarded share of a day rewards nothing, even with six friends registering at once', async () => {
    const sharer = await t.member();
    const tokens = await Promise.all(Array.from({ length: 6 }, () => share(sharer)));
    const friends = await Promise.all(tokens.map(({ token }) => friendRegisters(token)));
    expect(friends.map((f) => f.res.status)).toEqual(Array(6).fill(201));
    const { points, growth, maxRewardsPerDay } = t.config.loyalty.share;
    expect(maxRewardsPerDay).toBe(3);
    expect(await account(sharer.id)).toEqual({ balance: 3 * points, growth: 3 * growth, shareEntries: 3, shareGrowth: 3 });
    expect((await rewardsOf(sharer.id)).map((r) => r.slot)).toEqual([1, 2, 3]);
  });

  it('a registered friend checking in after opening the link rewards the sharer', async () => {
    const sharer = await t.member();
    const { token } = await share(sharer);
    const friend = await t.member();
    await visit(friend.auth, token).expect(201);
    await t.http.post('/api/v1/me/checkins').set(friend.auth).send().expect(201);
    expect((await rewardsOf(sharer.id)).map((r) => [r.action, r.status, r.eventKey.startsWith('checkin:')])).toEqual([['checkin', 'paid', true]]);
    expect((await account(sharer.id)).balance).toBe(t.config.loyalty.share.points);
  });

  it('one friend taking part twice at once rewards once', async () => {
    const sharer = await t.member();
    const { token } = await share(sharer);
    const friend = await t.memberWith('normal', 1000);
    await visit(friend.auth, token).expect(201);
    const item = await t.adminItem(admin.auth, { pointsCost: 10 });
    const res = await Promise.all(Array.from({ length: 8 }, () => t.redeem(friend.auth, item.id)));
    expect(res.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(await account(sharer.id)).toMatchObject({ balance: t.config.loyalty.share.points, shareEntries: 1 });
  });
});

describe('WeChat risk rank', () => {
  it('a high-risk friend’s reward is held for review, not paid; an operator releases it once', async () => {
    const sharer = await t.member();
    const { token } = await share(sharer);
    const session = await t.login();
    t.wechat.riskRanks.set(session.openid, 4);
    const auth = { Authorization: `Bearer ${session.token}` };
    await visit(auth, token).expect(201);
    await t.http.post('/api/v1/members').set(auth).send({ nickname: '可疑', consentVersion }).expect(201);
    expect(t.wechat.calls.some((c) => c.path === '/wxa/getuserriskrank' && (c.body as { openid?: string }).openid === session.openid)).toBe(true);
    const [held] = await rewardsOf(sharer.id);
    expect(held).toMatchObject({ status: 'held', riskRank: 4, points: 0 });
    expect(await account(sharer.id)).toMatchObject({ balance: 0, shareEntries: 0 });

    const release = () => t.http.post(`/api/v1/admin/held-rewards/${held.id}/release`).set(admin.auth).send();
    expect((await release().expect(200)).body.data).toMatchObject({ id: held.id, kind: 'share', status: 'released' });
    expect((await release().expect(422)).body.error.details).toEqual({ reason: 'not-held' });
    expect(await account(sharer.id)).toMatchObject({ balance: t.config.loyalty.share.points, shareEntries: 1 });
  });

  it('a friend WeChat cannot rate (not seen lately: 61010) is held too', async () => {
    const sharer = await t.member();
    const { token } = await share(sharer);
    const friend = await t.memberWith('normal', 500);
    t.wechat.unseen.add(friend.openid);
    await visit(friend.auth, token).expect(201);
    const item = await t.adminItem(admin.auth, { pointsCost: 10 });
    await t.redeem(friend.auth, item.id).expect(201);
    expect((await rewardsOf(sharer.id)).map((r) => [r.status, r.riskRank])).toEqual([['held', null]]);
    expect((await account(sharer.id)).balance).toBe(0);
  });
});

describe('rate limits', () => {
  it('visits are limited per member and per address (429)', async () => {
    const limited = await startTestApp({
      tweak: (c) => (c.runtime.rateLimits.shareVisits = { perMember: { points: 2, durationSeconds: 60 }, perAddress: { points: 3, durationSeconds: 60 } }),
    });
    try {
      const sharer = await limited.member();
      const { token } = (await limited.http.post('/api/v1/shares').set(sharer.auth).send({ page: 'mall' }).expect(201)).body.data as { token: string };
      const one = await limited.member();
      const two = await limited.member();
      const go = (m: Member) => limited.http.post(`/api/v1/shares/${token}/visits`).set(m.auth).send();
      expect([(await go(one)).status, (await go(one)).status, (await go(one)).status]).toEqual([201, 201, 429]);
      // The address has one visit left of three: the second member gets it, then 429.
      expect([(await go(two)).status, (await go(two)).status]).toEqual([201, 429]);
    } finally {
      await limited.close();
    }
  });
});

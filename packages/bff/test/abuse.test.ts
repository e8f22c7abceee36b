import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { addBusinessDays, businessDate, businessMonth, startOfBusinessDay } from '@member/shared';
import { In } from 'typeorm';
import {
  CheckinEntity,
  GrowthLedgerEntity,
  MemberCouponEntity,
  PointsLedgerEntity,
  ReferralEntity,
  ShareRewardEntity,
  ShareVisitEntity,
} from '../src/db/entities';
import { INTERACTION_KINDS } from '../src/services/interaction-rewards';
import { useTestApp, type TestApp } from './support/test-app';

/**
 * Abuse scripts, written from the attacker's side: as many requests as it takes, at once, from
 * several devices, over several business days, to farm check-ins, share visits, referrals and the
 * new-member gifts. Whatever the script does, an audit of the database afterwards finds every
 * reward within the caps the configuration sets (read from it, never written here): the
 * interaction caps per business day and month, one check-in a day, `share.maxRewardsPerDay`
 * rewarded friends a day and each friend once, `referral.maxRewardsPerMonth` rewarded invitations
 * a month with a milestone coupon every `milestoneEvery`, and the new-member gifts once per person.
 *
 * The rules themselves are tested one by one next to their routes (checkins, shares, referrals,
 * me, interaction-caps); what this adds is the combination: many devices and many friends at once,
 * every kind of farming on the same members and days, so the caps bite, and one audit of the
 * ledgers, check-ins, share rewards and referrals for all of it. The audit is shown to catch a
 * reward paid past the caps (a test of the test).
 */
const t = useTestApp();
type Member = Awaited<ReturnType<TestApp['member']>>;
type Staff = Awaited<ReturnType<TestApp['staff']>>;
let cashierA: Staff;
let cashierB: Staff;
let consentVersion: string;
/** The members each test attacked with, audited after it. */
let attacked: string[] = [];
beforeAll(async () => {
  cashierA = await t.staff('cashier', '甲店');
  cashierB = await t.staff('cashier', '乙店');
  consentVersion = t.config.loyalty.privacy.consentVersion;
});

/** Every cap the configuration sets, checked over the database for the given members. */
async function audit(memberIds: string[]): Promise<string[]> {
  const { interactionCaps: caps, businessTimeZone: tz, share, referral } = t.config.loyalty;
  const m = t.dataSource.manager;
  const problems: string[] = [];
  const tally = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  for (const [kind, entity] of [
    ['points', PointsLedgerEntity],
    ['growth', GrowthLedgerEntity],
  ] as const) {
    const rows: { memberId: string; delta: number; createdAt: Date }[] = await m.find(entity, {
      where: { memberId: In(memberIds), reason: In([...INTERACTION_KINDS]) },
    });
    const perDay = new Map<string, number>();
    const perMonth = new Map<string, number>();
    for (const r of rows.filter((x) => x.delta > 0)) {
      tally(perDay, `${r.memberId} ${businessDate(r.createdAt, tz)}`, r.delta);
      tally(perMonth, `${r.memberId} ${businessMonth(r.createdAt, tz)}`, r.delta);
    }
    for (const [key, n] of perDay) if (n > caps.perDay[kind]) problems.push(`${key}: ${n} ${kind} from interactions in a day, cap ${caps.perDay[kind]}`);
    for (const [key, n] of perMonth)
      if (n > caps.perMonth[kind]) problems.push(`${key}: ${n} ${kind} from interactions in a month, cap ${caps.perMonth[kind]}`);
  }
  const checkins = new Map<string, number>();
  for (const c of await m.findBy(CheckinEntity, { memberId: In(memberIds) })) tally(checkins, `${c.memberId} ${c.day}`, 1);
  for (const [key, n] of checkins) if (n > 1) problems.push(`${key}: ${n} check-ins in a day`);

  const perSharerDay = new Map<string, number>();
  const perFriendDay = new Map<string, number>();
  for (const r of await m.findBy(ShareRewardEntity, { sharerId: In(memberIds) })) {
    if (r.visitorId === r.sharerId) problems.push(`share reward ${r.id}: the sharer rewarded for their own visit`);
    tally(perSharerDay, `${r.sharerId} ${r.day}`, 1);
    tally(perFriendDay, `${r.sharerId} ${r.visitorId} ${r.day}`, 1);
  }
  for (const [key, n] of perSharerDay) if (n > share.maxRewardsPerDay) problems.push(`${key}: ${n} rewarded shares in a day, cap ${share.maxRewardsPerDay}`);
  for (const [key, n] of perFriendDay) if (n > 1) problems.push(`${key}: one friend rewarded ${n} times in a day`);

  const perInviterMonth = new Map<string, number>();
  for (const r of await m.findBy(ReferralEntity, { inviterId: In(memberIds) })) {
    if (r.inviterId === r.inviteeId) problems.push(`referral ${r.id}: self-referral`);
    if (r.month && ['rewarded', 'held', 'released'].includes(r.status)) tally(perInviterMonth, `${r.inviterId} ${r.month}`, 1);
  }
  for (const [key, n] of perInviterMonth)
    if (n > referral.maxRewardsPerMonth) problems.push(`${key}: ${n} rewarded invitations in a month, cap ${referral.maxRewardsPerMonth}`);
  return problems;
}

afterEach(async () => {
  const members = attacked;
  attacked = [];
  if (members.length) expect(await audit(members)).toEqual([]);
});

/** Noon of a business day, in the business time zone. */
const noonOf = (day: string) => new Date(startOfBusinessDay(day, t.config.loyalty.businessTimeZone).getTime() + 12 * 3600_000);
const statuses = (res: { status: number }[]) => res.map((r) => r.status).sort();
const count = (list: number[], status: number) => list.filter((s) => s === status).length;
const checkIn = (auth: Record<string, string>) => t.http.post('/api/v1/me/checkins').set(auth).send();
const visit = (auth: Record<string, string>, token: string) => t.http.post(`/api/v1/shares/${token}/visits`).set(auth).send();
let receipts = 0;
const order = (cashier: Staff, m: Member, amountCents: number) =>
  t.http
    .post('/api/v1/counter/orders')
    .set(cashier.auth)
    .send({ code: t.codeOf(m, { usePoints: false }), amountCents, receiptNo: `AB${Date.now()}${++receipts}` });
const sum = async (entity: typeof PointsLedgerEntity | typeof GrowthLedgerEntity, memberId: string, reason: string) =>
  ((await t.dataSource.manager.findBy(entity, { memberId, reason: reason as never })) as { delta: number }[]).reduce((s, e) => s + e.delta, 0);
/** The same WeChat user signed in on more devices: each sign-in is a new token for the same member. */
const devices = async (m: Member, n: number) =>
  Promise.all(Array.from({ length: n }, async () => ({ Authorization: `Bearer ${(await t.login(m.openid)).token}` })));

describe('check-in farming', () => {
  it('three devices hammering check-in at once for fifteen business days earn one check-in a day, the streak bonus once per cycle', async () => {
    const { points, growth, cycleDays, bonusPoints } = t.config.loyalty.checkin;
    const days = cycleDays * 2 + 1;
    const first = businessDate(t.clock.now(), t.config.loyalty.businessTimeZone);
    t.clock.set(noonOf(first));
    const m = await t.member();
    attacked.push(m.id);
    const phones = [m.auth, ...(await devices(m, 2))];
    for (let d = 0; d < days; d++) {
      t.clock.set(noonOf(addBusinessDays(first, d)));
      // Four taps on each device at once, then a late straggler from each.
      const burst = statuses(await Promise.all(phones.flatMap((auth) => Array.from({ length: 4 }, () => checkIn(auth)))));
      t.clock.advance(11 * 3600_000 + 59 * 60_000); // 23:59 the same business day
      const late = statuses(await Promise.all(phones.map((auth) => checkIn(auth))));
      expect([count(burst, 201), count(burst, 409), count(late, 409)]).toEqual([1, burst.length - 1, phones.length]);
    }
    const rows = await t.dataSource.manager.findBy(CheckinEntity, { memberId: m.id });
    expect(rows).toHaveLength(days);
    const bonuses = Math.floor(days / cycleDays);
    expect(await sum(PointsLedgerEntity, m.id, 'checkin')).toBe(days * points + bonuses * bonusPoints);
    expect(await sum(GrowthLedgerEntity, m.id, 'checkin')).toBe(days * growth);
    const card = (await t.http.get('/api/v1/me').set(phones[2]).expect(200)).body.data as { checkin: { today: boolean; streak: number } };
    expect(card.checkin).toEqual({ today: true, streak: days });
  });
});

describe('share-visit farming', () => {
  it('many friends opening every link again and again, the sharer opening their own, then all taking part at once: rewarded up to the daily cap, each friend once', async () => {
    const { maxRewardsPerDay, points } = t.config.loyalty.share;
    const first = businessDate(t.clock.now(), t.config.loyalty.businessTimeZone);
    t.clock.set(noonOf(first));
    const sharer = await t.member();
    attacked.push(sharer.id);
    const links = await Promise.all(
      (['mall', 'invite'] as const).map(
        async (page) => (await t.http.post('/api/v1/shares').set(sharer.auth).send({ page }).expect(201)).body.data.token as string,
      ),
    );
    const friends = await Promise.all(Array.from({ length: maxRewardsPerDay * 2 + 1 }, () => t.member()));
    attacked.push(...friends.map((f) => f.id));

    for (const day of [first, addBusinessDays(first, 1)]) {
      t.clock.set(noonOf(day));
      // The sharer opens their own links from three devices; every friend opens every link three times; all at once.
      const own = await devices(sharer, 2);
      const opened = await Promise.all([
        ...[sharer.auth, ...own].flatMap((auth) => links.map((token) => visit(auth, token))),
        ...friends.flatMap((f) => links.flatMap((token) => [visit(f.auth, token), visit(f.auth, token), visit(f.auth, token)])),
      ]);
      expect(opened.every((r) => r.status === 201)).toBe(true);
      // The sharer taking part rewards nobody; every friend takes part at once (and once more).
      await checkIn(sharer.auth);
      const took = await Promise.all(friends.flatMap((f) => [checkIn(f.auth), checkIn(f.auth)]));
      expect(count(statuses(took), 201)).toBe(friends.length);

      const rewards = await t.dataSource.manager.findBy(ShareRewardEntity, { sharerId: sharer.id, day });
      expect(rewards).toHaveLength(maxRewardsPerDay);
      expect(new Set(rewards.map((r) => r.visitorId)).size).toBe(maxRewardsPerDay);
    }
    // Paid for two days' rewarded friends, nothing for the visits themselves; the friends earn nothing from visiting.
    expect(await sum(PointsLedgerEntity, sharer.id, 'share')).toBe(2 * maxRewardsPerDay * points);
    for (const f of friends) expect(await sum(PointsLedgerEntity, f.id, 'share')).toBe(0);
    expect(await t.dataSource.manager.countBy(ShareVisitEntity, { sharerId: sharer.id, visitorId: sharer.id })).toBe(0);
  });
});

describe('referral farming', () => {
  it('more invitees than the monthly cap, first orders at once in two stores: rewarded up to the cap, the interaction caps clip the points, a new month starts afresh', async () => {
    const { maxRewardsPerMonth, milestoneEvery, inviterPoints, minFirstOrderPaidCents } = t.config.loyalty.referral;
    const tz = t.config.loyalty.businessTimeZone;
    // Pinned, so every first order falls on one business day.
    t.clock.set(t.clock.now());
    const inviter = await t.member({ phone: '13900008888' });
    attacked.push(inviter.id);
    const inviteCode = inviter.member.inviteCode as string;

    // Self-referral: the inviter's own code on their account, and a second WeChat identity with the inviter's phone.
    const self = await t.http.post('/api/v1/members').set(inviter.auth).send({ nickname: '我', consentVersion, inviteCode });
    expect([409, 422]).toContain(self.status);
    const second = await t.login();
    const selfAgain = await t.http
      .post('/api/v1/members')
      .set('Authorization', `Bearer ${second.token}`)
      .send({ nickname: '我的小号', phone: '13900008888', consentVersion, inviteCode });
    expect([409, 422]).toContain(selfAgain.status);

    const invitees: Member[] = [];
    for (let i = 0; i < maxRewardsPerMonth + 2; i++) {
      const session = await t.login();
      const auth = { Authorization: `Bearer ${session.token}` };
      // A double-tapped registration binds once.
      const res = await Promise.all(
        [0, 1].map(() =>
          t.http
            .post('/api/v1/members')
            .set(auth)
            .send({ nickname: `邀${i}`, consentVersion, inviteCode }),
        ),
      );
      expect(count(statuses(res), 201)).toBe(1);
      invitees.push({ ...session, auth, id: res.find((r) => r.status === 201)!.body.data.id as string, member: {} });
    }
    attacked.push(...invitees.map((i) => i.id));
    // Each invitee bound once, none of them the inviter's second account.
    expect(await t.dataSource.manager.countBy(ReferralEntity, { inviterId: inviter.id })).toBe(invitees.length);
    // Every first order at once, half in each store.
    const orders = await Promise.all(invitees.map((m, i) => order(i % 2 ? cashierA : cashierB, m, minFirstOrderPaidCents * 2)));
    expect(orders.every((r) => r.status === 201)).toBe(true);

    const month = businessMonth(t.clock.now(), tz);
    const rewarded = await t.dataSource.manager.findBy(ReferralEntity, { inviterId: inviter.id, month, status: 'rewarded' });
    expect(rewarded).toHaveLength(maxRewardsPerMonth);
    // The points are interactions too: one business day pays no more than the daily cap.
    const { perDay } = t.config.loyalty.interactionCaps;
    expect(await sum(PointsLedgerEntity, inviter.id, 'referral')).toBe(Math.min(perDay.points, maxRewardsPerMonth * inviterPoints));
    const milestones = rewarded.filter((r) => r.milestoneCouponId).length;
    expect(milestones).toBe(Math.floor(maxRewardsPerMonth / milestoneEvery));

    // Next month: one more invitee's first order is rewarded again.
    const [year, mon] = month.split('-').map(Number);
    t.clock.set(noonOf(mon === 12 ? `${year + 1}-01-01` : `${year}-${String(mon + 1).padStart(2, '0')}-01`));
    const late = await (async () => {
      const session = await t.login();
      const auth = { Authorization: `Bearer ${session.token}` };
      const res = await t.http.post('/api/v1/members').set(auth).send({ nickname: '下月', consentVersion, inviteCode }).expect(201);
      return { ...session, auth, id: res.body.data.id as string, member: {} };
    })();
    attacked.push(late.id);
    await order(cashierA, late, minFirstOrderPaidCents * 2).expect(201);
    const nextMonth = businessMonth(t.clock.now(), tz);
    expect(nextMonth).not.toBe(month);
    expect(await t.dataSource.manager.countBy(ReferralEntity, { inviterId: inviter.id, month: nextMonth, status: 'rewarded' })).toBe(1);
  });
});

describe('welcome-gift farming', () => {
  // The new-member gifts are issued once per event key; both are configured.
  const events = () => (['registration', 'firstOrder'] as const).filter((e) => t.config.loyalty.couponEvents[e]).map((e) => `event:${e}`);
  const giftsOf = async (memberIds: string[]) => t.dataSource.manager.countBy(MemberCouponEntity, { memberId: In(memberIds), sourceKey: In(events()) });

  it('registering six times at once, then erasing and re-registering at once from three devices, gets the gifts once', async () => {
    const once = events().length;
    expect(once).toBe(2);
    const session = await t.login();
    const auth = { Authorization: `Bearer ${session.token}` };
    const res = await Promise.all(Array.from({ length: 6 }, () => t.http.post('/api/v1/members').set(auth).send({ nickname: '羊毛', consentVersion })));
    expect(statuses(res)).toEqual([201, 409, 409, 409, 409, 409]);
    const firstId = res.find((r) => r.status === 201)!.body.data.id as string;
    expect(await giftsOf([firstId])).toBe(once);

    const ids = [firstId];
    for (let round = 0; round < 3; round++) {
      const me = ids[ids.length - 1];
      await t.http
        .delete('/api/v1/me')
        .set(round === 0 ? auth : { Authorization: `Bearer ${(await t.login(session.openid)).token}` })
        .expect(200);
      const tokens = await Promise.all([0, 1, 2].map(async () => (await t.login(session.openid)).token));
      const again = await Promise.all(
        tokens.map((token) =>
          t.http
            .post('/api/v1/members')
            .set('Authorization', `Bearer ${token}`)
            .send({ nickname: `又来${round}`, consentVersion }),
        ),
      );
      expect(statuses(again)).toEqual([201, 409, 409]);
      const id = again.find((r) => r.status === 201)!.body.data.id as string;
      expect(id).not.toBe(me);
      ids.push(id);
    }
    expect(await giftsOf(ids)).toBe(once);
  });

  it('one phone number registered by five new WeChat users at once binds once and gets the gifts once', async () => {
    const once = events().length;
    expect(once).toBe(2);
    const sessions = await Promise.all(Array.from({ length: 5 }, () => t.login()));
    const res = await Promise.all(
      sessions.map((s) =>
        t.http.post('/api/v1/members').set('Authorization', `Bearer ${s.token}`).send({ nickname: '同号', phone: '13900007777', consentVersion }),
      ),
    );
    const ids = res.filter((r) => r.status === 201).map((r) => r.body.data.id as string);
    expect(ids).toHaveLength(1);
    expect(res.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'ALREADY_REGISTERED')).toBe(true);
    expect(await giftsOf(ids)).toBe(once);
  });
});

describe('a test of the test', () => {
  it('the audit reports rewards paid past the caps', async () => {
    const { interactionCaps } = t.config.loyalty;
    const cheat = await t.member();
    // Paid around the caps: straight to the ledger, as a buggy reward path would.
    await t.services.points.credit(cheat.id, { amount: interactionCaps.perDay.points + 1, reason: 'checkin', sourceKey: 'cheat:1' });
    expect(await audit([cheat.id])).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${cheat.id} \\d{4}-\\d{2}-\\d{2}: ${interactionCaps.perDay.points + 1} points from interactions in a day, cap ${interactionCaps.perDay.points}$`,
        ),
      ),
    ]);
  });
});

import { describe, expect, it } from '@jest/globals';
import type { MemberCard, TierHistoryEntry } from '@member/shared';
import { MemberEntity, OutboxEntity, TierHistoryEntity } from '../src/db/entities';
import { useTestApp } from './support/test-app';
import type { Services } from '../src/services';
import { runGrowthAging } from '../src/jobs/growth-aging';
import { runTierReview } from '../src/jobs/tier-review';

// Tiers follow qualifying growth (the trailing 365 days), kept as a column next to lifetime growth,
// aged by a job, and dropped one tier at a time by the quarterly review (MariaDB, through HTTP).
const t = useTestApp();

type Member = Awaited<ReturnType<typeof t.member>>;
let receipts = 0;

/** A purchase at the counter at the test clock's now; answers the growth it earned. */
async function buy(m: Member, yuan: number): Promise<number> {
  const cashier = await t.staff('cashier');
  const res = await t.http
    .post('/api/v1/counter/orders')
    .set(cashier.auth)
    .send({ code: t.codeOf(m, { usePoints: false }), amountCents: yuan * 100, receiptNo: `QG-${++receipts}` })
    .expect(201);
  t.clock.advance(60_000); // the next purchase scans a new code
  return res.body.data.growthEarned as number;
}

async function card(m: Member): Promise<MemberCard> {
  return (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data as MemberCard;
}

async function row(id: string) {
  return t.dataSource.manager.findOneByOrFail(MemberEntity, { id });
}

/** Gives growth at the test clock's now (setting a member up at a tier at some date). */
async function earn(m: Member, delta: number, key: string) {
  await t.services.points.addGrowth(m.id, { delta, reason: 'adjust', sourceKey: key });
}

// Reviews at 03:00 on the first business day of a quarter in Shanghai (the review's schedule). The
// database is shared by the tests of this file: each test reviews its own quarters and looks at
// its own members.
const REVIEW = { '2026-Q3': '2026-06-30T19:00:00Z', '2026-Q4': '2026-09-30T19:00:00Z', '2027-Q1': '2026-12-31T19:00:00Z', '2027-Q2': '2027-03-31T19:00:00Z' };

async function reviewDrops(m: Member): Promise<number> {
  return t.dataSource.manager.countBy(TierHistoryEntity, { memberId: m.id, reason: 'review' });
}

describe('qualifying growth decides upgrades', () => {
  it('a member whose old growth left the trailing year does not upgrade on lifetime growth', async () => {
    t.clock.set('2025-01-10T04:00:00Z');
    const m = await t.member();
    const old = await buy(m, 800);
    t.clock.set('2026-02-01T04:00:00Z'); // the 800 is more than 365 days old; no aging job has run
    const recent = await buy(m, 300);
    let c = await card(m);
    expect(c.tier.code).toBe('normal'); // lifetime 1 100 would have made 银卡
    expect(c.growth).toMatchObject({ value: old + recent, qualifying: recent, toNext: 1000 - recent });
    const rest = await buy(m, 1000 - recent);
    c = await card(m);
    expect(c.tier.code).toBe('silver'); // the trailing year reached 1 000
    expect(c.growth.qualifying).toBe(recent + rest);
    expect((await row(m.id)).qualifyingGrowth).toBe(recent + rest);
  });
});

describe('the quarterly tier review', () => {
  it('drops a member one tier, never two, even below two thresholds; a second run drops nobody again', async () => {
    t.clock.set('2025-06-01T04:00:00Z');
    const m = await t.member();
    await earn(m, 20_000, 'setup:diamond');
    expect((await card(m)).tier.code).toBe('diamond');
    t.clock.set(REVIEW['2026-Q3']); // the 20 000 has left the window: qualifying growth 0, below 金卡 and 银卡
    const first = await runTierReview(t.services, { now: t.clock.now() });
    expect(first.dropped).toBeGreaterThanOrEqual(1);
    expect((await card(m)).tier.code).toBe('gold');
    const history = (await t.http.get('/api/v1/me/tier-history').set(m.auth).expect(200)).body.data as TierHistoryEntry[];
    expect(history[0]).toMatchObject({ from: 'diamond', to: 'gold', reason: 'review' });

    // Run again later the same day: the period is done.
    t.clock.advance(3_600_000);
    expect(await runTierReview(t.services, { now: t.clock.now() })).toMatchObject({ dropped: 0, skipped: 1 });
    // A run that crashed before it marked the period done is repeated: the member is still not dropped twice.
    await t.dataSource.query('UPDATE tier_reviews SET finished_at = NULL');
    expect(await runTierReview(t.services, { now: t.clock.now() })).toMatchObject({ dropped: 0 });
    expect((await row(m.id)).tier).toBe('gold');
    expect(await reviewDrops(m)).toBe(1);

    // The next quarter's review drops one more tier.
    t.clock.set(REVIEW['2026-Q4']);
    await runTierReview(t.services, { now: t.clock.now() });
    expect((await row(m.id)).tier).toBe('silver');
  });

  it('two reviews running at once drop each member once', async () => {
    t.clock.set('2025-05-01T04:00:00Z');
    const members = [await t.member(), await t.member(), await t.member()];
    for (const [i, m] of members.entries()) await earn(m, [20_000, 5_000, 6_000][i], 'setup:tier');
    t.clock.set('2026-03-01T04:00:00Z');
    await earn(members[2], 5_000, 'recent'); // keeps 金卡
    t.clock.set(REVIEW['2027-Q1']); // the May 2025 growth has aged; the March 2026 5 000 still counts
    await Promise.all([runTierReview(t.services, { now: t.clock.now() }), runTierReview(t.services, { now: t.clock.now() })]);
    expect((await Promise.all(members.map((m) => row(m.id)))).map((r) => r.tier)).toEqual(['gold', 'silver', 'gold']);
    expect(await Promise.all(members.map(reviewDrops))).toEqual([1, 1, 0]);
    // Each drop is told once, queued in the review's transaction (tier_changed, reason review).
    const told = await Promise.all(
      members.map(async (m) =>
        (await t.dataSource.manager.findBy(OutboxEntity, { memberId: m.id, kind: 'tier_changed' }))
          .map((r) => JSON.parse(r.payload) as Record<string, string>)
          .filter((p) => p.reason === '等级调整'),
      ),
    );
    expect(told.map((rows) => rows.length)).toEqual([1, 1, 0]);
    expect(told[0][0]).toMatchObject({ from: '钻石会员', to: '金卡会员' });
  });

  it('a purchase right after a drop that leaves qualifying growth below the old tier does not bounce the member back', async () => {
    t.clock.set('2025-06-01T04:00:00Z');
    const m = await t.member();
    await earn(m, 5_500, 'setup:gold');
    t.clock.set(REVIEW['2027-Q2']);
    await runTierReview(t.services, { now: t.clock.now() });
    expect((await card(m)).tier.code).toBe('silver');
    t.clock.advance(3_600_000);
    const earned = await buy(m, 3000); // lifetime 5 500 + this is past 5 000; the trailing year is not
    const c = await card(m);
    expect(c.growth).toMatchObject({ value: 5_500 + earned, qualifying: earned });
    expect(c.tier.code).toBe('silver');
    expect(await t.dataSource.manager.countBy(TierHistoryEntity, { memberId: m.id, toTier: 'gold' })).toBe(1); // the first upgrade only
  });

  it('waits for the next quarter when it did not start on the first day of this one (no drops mid-quarter)', async () => {
    t.clock.set('2025-06-01T04:00:00Z');
    const m = await t.member();
    await earn(m, 5_500, 'setup:gold');
    t.clock.set('2027-08-15T04:00:00Z'); // the 2027-Q3 review never started
    expect(await runTierReview(t.services, { now: t.clock.now() })).toMatchObject({ dropped: 0, skipped: 1 });
    expect((await row(m.id)).tier).toBe('gold');
  });
});

describe('the growth-aging job', () => {
  async function scenario() {
    t.clock.set('2025-03-01T04:00:00Z');
    const members = [await t.member(), await t.member(), await t.member(), await t.member()];
    for (const [i, m] of members.entries()) await earn(m, 100 * (i + 1), 'a');
    t.clock.set('2025-07-01T04:00:00Z');
    for (const [i, m] of members.entries()) await earn(m, 1000 * (i + 1), 'b');
    await t.services.points.addGrowth(members[0].id, { delta: -40, reason: 'refund', sourceKey: 'refund:a' });
    t.clock.set('2026-01-01T04:00:00Z');
    for (const [i, m] of members.entries()) await earn(m, 7 * (i + 1), 'c');
    // 2026-03-05: the March 2025 entries have aged; the July ones and the refund still count.
    t.clock.set('2026-03-05T04:00:00Z');
    return members;
  }

  const expected = (i: number) => 1000 * (i + 1) + 7 * (i + 1) - (i === 0 ? 40 : 0);

  it('two runs at once take each aged entry off once', async () => {
    const members = await scenario();
    await Promise.all([runGrowthAging(t.services, { now: t.clock.now() }), runGrowthAging(t.services, { now: t.clock.now() })]);
    expect((await Promise.all(members.map((m) => row(m.id)))).map((r) => r.qualifyingGrowth)).toEqual(members.map((_, i) => expected(i)));
    await t.checkInvariants();
    // Aging never changes a tier: only the review drops one.
    expect((await row(members[3].id)).tier).toBe('silver');
    // A year after the refund, the refund reversal (negative) ages out too and gives its 40 back.
    t.clock.set('2026-07-02T04:00:00Z');
    await runGrowthAging(t.services, { now: t.clock.now() });
    expect((await row(members[0].id)).qualifyingGrowth).toBe(7);
  });

  it('a re-run after a crash half-way takes each aged entry off once', async () => {
    const members = await scenario();
    let calls = 0;
    const points = Object.create(t.services.points) as Services['points'];
    points.ageMember = async (id, now) => {
      if (++calls > 2) throw new Error('process killed');
      return t.services.points.ageMember(id, now);
    };
    await expect(runGrowthAging({ ...t.services, points }, { now: t.clock.now() })).rejects.toThrow('process killed');
    await t.checkInvariants();
    const result = await runGrowthAging(t.services, { now: t.clock.now() });
    expect(result.members).toBeGreaterThanOrEqual(2);
    expect((await Promise.all(members.map((m) => row(m.id)))).map((r) => r.qualifyingGrowth)).toEqual(members.map((_, i) => expected(i)));
    // Nothing is due any more: a third run finds no member of this scenario.
    expect((await t.services.points.membersDueForAging(t.clock.now(), 1000)).filter((id) => members.some((m) => m.id === id))).toEqual([]);
  });
});

describe('保级 on the member card', () => {
  it('shows what keeps the tier at the next review, hand-computed at a fixed clock', async () => {
    t.clock.set('2025-12-10T04:00:00Z');
    const m = await t.member();
    await earn(m, 3000, 'dec');
    t.clock.set('2026-03-15T04:00:00Z');
    await earn(m, 2500, 'mar'); // qualifying 5 500: 金卡
    t.clock.set('2026-11-22T08:00:00Z');
    let c = await card(m);
    // Next review: 2027-01-01 in Shanghai. By then the December 2025 3 000 has left the window;
    // the March 2 500 still counts: 5 000 − 2 500 = 2 500 to earn.
    expect(c.tier.code).toBe('gold');
    expect(c.growth).toMatchObject({ value: 5500, qualifying: 5500, toNext: 14_500 });
    expect(c.growth.keep).toEqual({ tierCode: 'gold', tierName: '金卡会员', needed: 2500, reviewAt: '2026-12-31T16:00:00.000Z', reviewOn: '2027-01-01' });

    const earned = await buy(m, 1000);
    c = await card(m);
    expect(c.growth.keep?.needed).toBe(2500 - earned);

    // After 10 December the 3 000 no longer qualifies, even before the aging job has run.
    t.clock.set('2026-12-20T04:00:00Z');
    c = await card(m);
    expect(c.growth).toMatchObject({ value: 5500 + earned, qualifying: 2500 + earned });
    expect(c.tier.code).toBe('gold');
  });

  it('says nothing is needed once the growth that will still count meets the threshold', async () => {
    t.clock.set('2026-10-02T04:00:00Z');
    const m = await t.member();
    await earn(m, 1200, 'oct');
    t.clock.set('2026-11-22T08:00:00Z');
    expect((await card(m)).growth.keep).toEqual({
      tierCode: 'silver',
      tierName: '银卡会员',
      needed: 0,
      reviewAt: '2026-12-31T16:00:00.000Z',
      reviewOn: '2027-01-01',
    });
  });
});

import { describe, expect, it } from '@jest/globals';
import { GrowthLedgerEntity, MemberEntity, PointsLedgerEntity } from '../src/db/entities';
import type { InteractionAward } from '../src/services/interaction-rewards';
import { useTestApp } from './support/test-app';

const t = useTestApp();

/** One award in its own transaction, under the member lock, as every caller makes it. */
const award = (memberId: string, r: InteractionAward) =>
  t.db.transaction(async () => t.services.interactionRewards.award(await t.services.points.lock(memberId, { withLots: false }), r));

const account = async (memberId: string) => {
  const m = await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: memberId });
  return { points: m.pointsBalance, growth: m.growth };
};
const ledgers = async (memberId: string) => ({
  points: (await t.dataSource.manager.find(PointsLedgerEntity, { where: { memberId }, order: { id: 'ASC' } })).map((e) => [e.reason, e.delta]),
  growth: (await t.dataSource.manager.find(GrowthLedgerEntity, { where: { memberId }, order: { id: 'ASC' } })).map((e) => [e.reason, e.delta]),
});

describe('interaction earning caps (default 300 points / 20 growth a day, 3000 / 200 a month)', () => {
  it('clips an award exactly to what is left under the daily caps, points and growth apart', async () => {
    t.clock.set('2026-11-25T04:00:00Z'); // 12:00 in Shanghai
    const m = await t.member();
    expect(await award(m.id, { kind: 'referral', points: 100, growth: 2, sourceKey: 'r1' })).toEqual({ points: 100, growth: 2, capped: false });
    expect(await award(m.id, { kind: 'referral', points: 100, growth: 2, sourceKey: 'r2' })).toEqual({ points: 100, growth: 2, capped: false });
    expect(await award(m.id, { kind: 'review', points: 15, growth: 2, sourceKey: 'v1' })).toEqual({ points: 15, growth: 2, capped: false });
    // 215 points and 6 growth earned: 85 points are left today.
    expect(await award(m.id, { kind: 'referral', points: 100, growth: 2, sourceKey: 'r3' })).toEqual({ points: 85, growth: 2, capped: true });
    // No points left, but growth still has room (8 of 20 used).
    expect(await award(m.id, { kind: 'checkin', points: 5, growth: 2, sourceKey: 'c1' })).toEqual({ points: 0, growth: 2, capped: true });
    expect(await award(m.id, { kind: 'share', points: 10, growth: 11, sourceKey: 's1' })).toEqual({ points: 0, growth: 10, capped: true });
    expect(await award(m.id, { kind: 'share', points: 10, growth: 2, sourceKey: 's2' })).toEqual({ points: 0, growth: 0, capped: true });
    expect(await account(m.id)).toEqual({ points: 300, growth: 20 });
    expect(await ledgers(m.id)).toEqual({
      points: [
        ['referral', 100],
        ['referral', 100],
        ['review', 15],
        ['referral', 85],
      ],
      growth: [
        ['referral', 2],
        ['referral', 2],
        ['review', 2],
        ['referral', 2],
        ['checkin', 2],
        ['share', 10],
      ],
    });
  });

  it('counts only interactions: points from orders and adjustments leave the caps untouched', async () => {
    t.clock.set('2026-11-25T04:00:00Z');
    const m = await t.member();
    await t.services.points.credit(m.id, { amount: 5000, reason: 'order', sourceKey: 'order:1' });
    await t.services.points.addGrowth(m.id, { delta: 500, reason: 'order', sourceKey: 'order:1' });
    await t.services.points.credit(m.id, { amount: 700, reason: 'adjust', sourceKey: 'adjust:1' });
    expect(await award(m.id, { kind: 'referral', points: 100, growth: 2, sourceKey: 'r1' })).toEqual({ points: 100, growth: 2, capped: false });
    expect(await t.services.db.transaction(async () => t.services.interactionRewards.left(await t.services.points.lock(m.id, { withLots: false })))).toEqual({
      points: 200,
      growth: 18,
    });
  });

  it('days follow the business time zone: 23:59 and 00:01 in Shanghai are two days in one UTC day, 00:01 and 08:30 one day across two', async () => {
    const m = await t.member();
    t.clock.set('2026-11-24T15:59:00Z'); // 23:59 on 24 November in Shanghai
    for (const i of [1, 2, 3]) await award(m.id, { kind: 'referral', points: 100, growth: 2, sourceKey: `late:${i}` });
    expect(await award(m.id, { kind: 'checkin', points: 5, growth: 2, sourceKey: 'late:4' })).toEqual({ points: 0, growth: 2, capped: true });

    t.clock.set('2026-11-24T16:01:00Z'); // 00:01 on 25 November in Shanghai, still the 24th in UTC
    for (const i of [1, 2, 3]) {
      expect(await award(m.id, { kind: 'referral', points: 100, growth: 2, sourceKey: `early:${i}` })).toEqual({ points: 100, growth: 2, capped: false });
    }
    t.clock.set('2026-11-25T00:30:00Z'); // 08:30 on the 25th in Shanghai, a new UTC day but the same business day
    expect(await award(m.id, { kind: 'checkin', points: 5, growth: 2, sourceKey: 'morning' })).toEqual({ points: 0, growth: 2, capped: true });
    expect(await account(m.id)).toEqual({ points: 600, growth: 16 });
  });

  it('holds the monthly caps across days, and a new business month starts afresh', async () => {
    const m = await t.member();
    // Ten days at the daily caps reach the monthly ones (3000 points, 200 growth).
    for (let d = 1; d <= 10; d++) {
      t.clock.set(`2026-11-${String(d).padStart(2, '0')}T04:00:00Z`);
      expect(await award(m.id, { kind: 'referral', points: 300, growth: 20, sourceKey: `day:${d}` })).toEqual({ points: 300, growth: 20, capped: false });
    }
    t.clock.set('2026-11-30T15:59:00Z'); // 23:59 on 30 November in Shanghai
    expect(await award(m.id, { kind: 'checkin', points: 5, growth: 2, sourceKey: 'nov-30' })).toEqual({ points: 0, growth: 0, capped: true });
    t.clock.set('2026-11-30T16:00:00Z'); // 00:00 on 1 December in Shanghai
    expect(await award(m.id, { kind: 'checkin', points: 5, growth: 2, sourceKey: 'dec-1' })).toEqual({ points: 5, growth: 2, capped: false });
    expect(await account(m.id)).toEqual({ points: 3005, growth: 202 });
  });

  it('holds under 20 concurrent awards for one member: exactly the caps, no more', async () => {
    t.clock.set('2026-11-25T04:00:00Z');
    const m = await t.member();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => award(m.id, { kind: i % 2 ? 'share' : 'referral', points: 40, growth: 3, sourceKey: `race:${i}` })),
    );
    expect(results.reduce((s, r) => s + r.points, 0)).toBe(300);
    expect(results.reduce((s, r) => s + r.growth, 0)).toBe(20);
    expect(results.filter((r) => !r.capped)).toHaveLength(6); // 6 × 3 growth = 18; the 7th gets 2 growth (and 60 points are gone by then)
    expect(await account(m.id)).toEqual({ points: 300, growth: 20 });
    const l = await ledgers(m.id);
    expect(l.points.reduce((s, [, d]) => s + Number(d), 0)).toBe(300);
    expect(l.growth.reduce((s, [, d]) => s + Number(d), 0)).toBe(20);
  });

  it('applies an event once: the same source key again is refused by the ledgers and moves nothing', async () => {
    t.clock.set('2026-11-25T04:00:00Z');
    const m = await t.member();
    await award(m.id, { kind: 'review', points: 15, growth: 2, sourceKey: 'review:o1' });
    await expect(award(m.id, { kind: 'review', points: 15, growth: 2, sourceKey: 'review:o1' })).rejects.toThrow(/duplicate|unique/i);
    expect(await account(m.id)).toEqual({ points: 15, growth: 2 });
  });

  it('refuses to run outside the transaction that holds the member lock', async () => {
    const m = await t.member();
    const locked = await t.db.transaction(() => t.services.points.lock(m.id, { withLots: false }));
    await expect(t.services.interactionRewards.award(locked, { kind: 'checkin', points: 5, growth: 2, sourceKey: 'x' })).rejects.toThrow(/transaction/);
  });
});

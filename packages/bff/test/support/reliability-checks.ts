import { businessDate, businessMonth } from '@member/shared';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../src/config/config';
import { Db } from '../../src/db/db';
import { ReportCounterRepository } from '../../src/db/repositories/report-counter.repository';
import { checkInvariants } from './invariants';

const n = (v: unknown) => Number(v ?? 0);
const at = (v: unknown) => (v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}Z`));

/** An order still holds its coupon unless a refund paid it back in full (an order nothing was paid for cannot be refunded). */
const HOLDS = '(o.refunded_cents < o.due_cents OR o.due_cents = 0)';

/** Interaction rewards: the kinds the daily and monthly earning caps hold. */
const INTERACTIONS = ['checkin', 'review', 'share', 'referral'];

/**
 * Everything that must hold after any mix of operations, whatever the interleaving, as a list of
 * problems (empty when all is well), so a test of the checker can see each broken rule named:
 * - the account invariants for every member (balance = ledger sum = lot remainders…, `checkInvariants`);
 * - every mall item: stock never negative, and stock + what live redemptions took = its initial stock
 *   (`initialStock`: item id → the stock it was created with);
 * - every coupon: at most one order holds it (an order refunded in full gave it back), and a coupon
 *   that says used names an order that still holds it;
 * - every reward within its caps: one check-in per member and business day; at most
 *   `share.maxRewardsPerDay` share rewards per sharer and day; at most `referral.maxRewardsPerMonth`
 *   rewarded invitations per inviter and month; interaction points within the daily and monthly caps;
 * - the KPI summary's counters equal a recount from the tables (every metric and day), and every
 *   member's `last_active_at` is the instant of their latest ledger entry other than an expiry.
 */
export async function findProblems(dataSource: DataSource, config: AppConfig, initialStock: ReadonlyMap<string, number>): Promise<string[]> {
  const problems: string[] = [];
  try {
    await checkInvariants(dataSource, config.loyalty.tierReview.trailingDays);
  } catch (e) {
    problems.push((e as Error).message);
  }

  const items: Record<string, unknown>[] = await dataSource.query(
    `SELECT i.id, i.stock,
       (SELECT COALESCE(SUM(r.quantity), 0) FROM redemptions r WHERE r.item_id = i.id AND r.status <> 'cancelled') AS taken
     FROM mall_items i`,
  );
  for (const i of items) {
    const id = String(i.id);
    if (n(i.stock) < 0) problems.push(`stock: item ${id} has a negative stock ${n(i.stock)}`);
    const initial = initialStock.get(id);
    if (initial !== undefined && n(i.stock) + n(i.taken) !== initial)
      problems.push(`stock: item ${id} stock ${n(i.stock)} + redeemed ${n(i.taken)} ≠ initial ${initial}`);
  }

  const coupons: Record<string, unknown>[] = await dataSource.query(
    `SELECT c.id, c.status, c.used_order_id AS usedOrderId,
       (SELECT COUNT(*) FROM orders o WHERE o.coupon_id = c.id AND ${HOLDS}) AS holders,
       (SELECT COUNT(*) FROM orders o WHERE o.id = c.used_order_id AND o.coupon_id = c.id AND ${HOLDS}) AS named
     FROM member_coupons c`,
  );
  for (const c of coupons) {
    if (n(c.holders) > 1) problems.push(`coupon: ${String(c.id)} is held by ${n(c.holders)} orders`);
    if (c.status === 'used' && n(c.named) !== 1) {
      const orders: unknown[] = await dataSource.query('SELECT id, due_cents, refunded_cents FROM orders WHERE coupon_id = ?', [c.id]);
      problems.push(`coupon: ${String(c.id)} says used by ${String(c.usedOrderId)} but no order of its holds it (orders with it: ${JSON.stringify(orders)})`);
    }
  }

  const zone = config.loyalty.businessTimeZone;
  const checkins: Record<string, unknown>[] = await dataSource.query(
    `SELECT member_id AS memberId, day, COUNT(*) AS cnt FROM checkins GROUP BY member_id, day HAVING COUNT(*) > 1`,
  );
  for (const c of checkins) problems.push(`caps: member ${String(c.memberId)} checked in ${n(c.cnt)} times on ${String(c.day)}`);

  const ledger: Record<string, unknown>[] = await dataSource.query(
    `SELECT member_id AS memberId, reason, delta, created_at AS createdAt FROM points_ledger WHERE reason IN (${INTERACTIONS.map(() => '?').join(', ')}) AND delta > 0`,
    INTERACTIONS,
  );
  const tally = new Map<string, number>();
  const bump = (key: string, by: number) => tally.set(key, (tally.get(key) ?? 0) + by);
  for (const e of ledger) {
    const when = at(e.createdAt);
    const day = businessDate(when, zone);
    const month = businessMonth(when, zone);
    bump(`day|${String(e.memberId)}|${day}`, n(e.delta));
    bump(`month|${String(e.memberId)}|${month}`, n(e.delta));
    if (e.reason === 'checkin') bump(`checkin|${String(e.memberId)}|${day}`, 1);
    if (e.reason === 'share') bump(`share|${String(e.memberId)}|${day}`, 1);
  }
  const caps = config.loyalty.interactionCaps;
  for (const [key, value] of tally) {
    const [kind, member, period] = key.split('|');
    const cap = { day: caps.perDay.points, month: caps.perMonth.points, checkin: 1, share: config.loyalty.share.maxRewardsPerDay }[kind]!;
    if (value > cap)
      problems.push(
        `caps: member ${member} has ${value} ${kind === 'day' || kind === 'month' ? 'interaction points' : `${kind} rewards`} in ${period} (cap ${cap})`,
      );
  }
  const referrals: Record<string, unknown>[] = await dataSource.query(
    `SELECT inviter_id AS inviterId, month, COUNT(*) AS cnt FROM referrals WHERE rewarded_at IS NOT NULL GROUP BY inviter_id, month HAVING COUNT(*) > ?`,
    [config.loyalty.referral.maxRewardsPerMonth],
  );
  for (const r of referrals) problems.push(`caps: inviter ${String(r.inviterId)} was rewarded for ${n(r.cnt)} invitations in ${String(r.month)}`);
  const referralEntries: Record<string, unknown>[] = await dataSource.query(
    `SELECT m.id,
       (SELECT COUNT(*) FROM points_ledger e WHERE e.member_id = m.id AND e.reason = 'referral' AND e.delta > 0) AS entries,
       (SELECT COUNT(*) FROM referrals r WHERE r.rewarded_at IS NOT NULL AND (r.inviter_id = m.id OR r.invitee_id = m.id)) AS rewarded
     FROM members m`,
  );
  for (const r of referralEntries)
    if (n(r.entries) > n(r.rewarded))
      problems.push(`caps: member ${String(r.id)} has ${n(r.entries)} referral credits for ${n(r.rewarded)} rewarded invitations`);

  // One snapshot for the counters and the tables they count.
  const db = new Db(dataSource);
  const counters = new ReportCounterRepository(db);
  await db.transaction(async () => {
    const stored = await counters.stored();
    const recounted = await counters.recount(zone);
    for (const key of [...new Set([...stored.keys(), ...recounted.keys()])].sort()) {
      const [a, b] = [stored.get(key) ?? 0, recounted.get(key) ?? 0];
      if (a !== b) problems.push(`counters: ${key} stored ${a} ≠ recounted ${b}`);
    }
    const lastActive = await counters.lastActiveMismatches();
    if (lastActive) problems.push(`counters: ${lastActive} members whose last_active_at is not their latest activity`);
  });
  return problems;
}

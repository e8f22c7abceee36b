import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findProblems } from './support/reliability-checks';
import { startTestApp, type TestApp } from './support/test-app';
import {
  newState,
  prng,
  runRound,
  signUp,
  statusSummary,
  stockMall,
  workloadSeed,
  type RoundPlan,
  type WorkloadEnv,
  type WorkloadState,
} from './support/workload';

/**
 * The reliability workload on MariaDB: a seeded random mix of every value-moving operation sent
 * concurrently through the real app (earn, spend and coupons at the counter, refunds, mall
 * redemptions, cancellations and pickups, check-ins, share visits, invitations and first orders,
 * replays, the points-expiry job after the clock jumps a year), then every rule that must survive
 * any interleaving is checked (`findProblems`): accounts balance, stock adds up, a coupon is used
 * once, rewards stay within their caps; and no request was answered with a 5xx.
 * The seed is printed; `RELIABILITY_SEED=<n>` replays one.
 *
 * The test of the test: the same workload, continued with four bugs injected into the running
 * database (MariaDB triggers: a check-in that adds a point to the balance without a ledger row, a
 * redemption that takes one more from stock than it records, an order that takes a coupon already
 * used by another, a check-in counted twice in the KPI summary's counters), must be caught by the
 * same checks.
 */

const MEMBERS = 30;
const ROUNDS = 30;
const OPS_PER_ROUND = 40;
const MIX: RoundPlan['weights'] = { order: 10, refund: 3, redeem: 5, cancel: 2, fulfil: 1, checkin: 4, share: 2, visit: 4, invite: 1, replay: 2, expire: 0.3 };

let t: TestApp;
let env: WorkloadEnv;
let state: WorkloadState;
let rand: () => number;
let initialStock: Map<string, number>;

beforeAll(async () => {
  t = await startTestApp();
  rand = prng(workloadSeed('reliability'));
  t.clock.set('2026-01-05T02:00:00Z');
  const [cashier, manager, admin] = [await t.staff('cashier'), await t.staff('manager'), await t.staff('admin')];
  env = {
    http: t.http,
    loginCode: (openid) => t.wechat.loginCode(openid),
    consentVersion: t.config.loyalty.privacy.consentVersion,
    codePeriodSeconds: t.config.loyalty.dynamicCode.periodSeconds,
    now: () => t.clock.now().getTime(),
    cashier: cashier.auth,
    manager: manager.auth,
    admin: admin.auth,
  };
  state = newState();
  await stockMall(env, state);
  initialStock = new Map(state.items.map((i) => [i.id, i.stock]));
  for (let i = 0; i < MEMBERS; i++) {
    // A third of them invited by someone who joined before.
    const inviter = i > 2 && rand() < 0.33 ? state.members[Math.floor(rand() * state.members.length)] : undefined;
    if (!(await signUp(env, state, `o_rel_seed_${i}`, inviter))) throw new Error('sign-up failed');
  }
}, 120_000);

afterAll(async () => {
  await t.close();
});

const count = async (sql: string) => Number((await t.dataSource.query(sql))[0].c);

describe('the reliability workload', () => {
  it('leaves every account, stock, coupon and cap consistent, with no 5xx', async () => {
    const started = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      // A new code window every round, a new business day every fourth, and once, a year later:
      // the points earned before expire, with the job running among the other operations.
      t.clock.advance(31_000);
      if (round % 4 === 3) t.clock.advance(86_400_000);
      if (round === Math.floor(ROUNDS * 0.6)) t.clock.advance(370 * 86_400_000);
      await runRound(env, state, rand, { ops: OPS_PER_ROUND, weights: round === Math.floor(ROUNDS * 0.6) ? { ...MIX, expire: 3 } : MIX });
    }
    process.stdout.write(`[reliability] ${state.sent.length} writes, ${state.members.length} members in ${Date.now() - started} ms: ${statusSummary(state)}\n`);
    expect(state.serverErrors).toEqual([]);
    expect(t.contractViolations).toEqual([]);
    expect(await findProblems(t.dataSource, t.config, initialStock)).toEqual([]);

    // Not vacuous: each kind of operation succeeded somewhere, and value really moved every way.
    const succeeded = new Set(state.sent.filter((s) => s.status >= 200 && s.status < 300).map((s) => s.op));
    expect([...succeeded].sort()).toEqual(
      expect.arrayContaining(['cancel', 'checkin', 'expire', 'fulfil', 'order', 'redeem', 'refund', 'register', 'replay-order', 'share', 'visit']),
    );
    const reasons = (await t.dataSource.query('SELECT DISTINCT reason FROM points_ledger')).map((r: { reason: string }) => r.reason);
    expect(reasons).toEqual(expect.arrayContaining(['order', 'spend', 'redeem', 'redeem_cancel', 'refund', 'checkin', 'share', 'referral', 'expire']));
    expect(await count('SELECT COUNT(*) AS c FROM orders WHERE coupon_id IS NOT NULL')).toBeGreaterThan(0);
  });

  it('test of the test: the same checks catch bugs injected into the running database', async () => {
    // Installed beside the real app while it runs; the workload goes on as before.
    await t.dataSource.query(
      `CREATE TRIGGER rel_break_balance AFTER INSERT ON checkins FOR EACH ROW
         UPDATE members SET points_balance = points_balance + 1 WHERE id = NEW.member_id`,
    );
    await t.dataSource.query(
      `CREATE TRIGGER rel_break_stock AFTER INSERT ON redemptions FOR EACH ROW
         UPDATE mall_items SET stock = stock - 1 WHERE id = NEW.item_id`,
    );
    await t.dataSource.query(
      `CREATE TRIGGER rel_break_coupon BEFORE INSERT ON orders FOR EACH ROW
         SET NEW.coupon_id = COALESCE(NEW.coupon_id,
           (SELECT c.id FROM member_coupons c JOIN orders o ON o.id = c.used_order_id
             WHERE c.member_id = NEW.member_id AND c.status = 'used' AND (o.refunded_cents < o.due_cents OR o.due_cents = 0) LIMIT 1))`,
    );
    await t.dataSource.query(
      `CREATE TRIGGER rel_break_counter AFTER INSERT ON checkins FOR EACH ROW
         INSERT INTO report_counters (metric, day, shard, n) VALUES ('checkin_last', NEW.day, 0, 1) ON DUPLICATE KEY UPDATE n = n + 1`,
    );
    // Stock for the broken round, so redemptions happen (recorded as the initial stock grows).
    for (const item of state.items) {
      await t.http.patch(`/api/v1/admin/mall-items/${item.id}`).set(env.admin).send({ stockDelta: 20 }).expect(200);
      initialStock.set(item.id, initialStock.get(item.id)! + 20);
    }
    expect(await findProblems(t.dataSource, t.config, initialStock)).toEqual([]);
    // Members with a used coupon pay again, check in and redeem: each trigger fires.
    const usedBy = new Set<string>(
      (await t.dataSource.query(`SELECT member_id AS m FROM member_coupons WHERE status = 'used'`)).map((r: { m: string }) => r.m),
    );
    for (let round = 0; round < 4; round++) {
      t.clock.advance(86_400_000 + 31_000);
      await runRound(env, state, rand, { ops: OPS_PER_ROUND, weights: { order: 6, checkin: 4, redeem: 4 } });
    }
    for (const m of state.members.filter((x) => usedBy.has(x.id)).slice(0, 3)) {
      t.clock.advance(31_000);
      await runRound(env, { ...state, members: [m] }, rand, { ops: 1, weights: { order: 1 } });
    }
    const problems = await findProblems(t.dataSource, t.config, initialStock);
    process.stdout.write(`[reliability] the checks found, with the bugs injected:\n  ${problems.join('\n  ')}\n`);
    expect(problems.some((p) => /account invariants broken .*ledger sum -?\d+ ≠ balance/.test(p))).toBe(true);
    expect(problems.some((p) => /^stock: .* ≠ initial/.test(p))).toBe(true);
    expect(problems.some((p) => /^coupon: .* is held by \d+ orders/.test(p))).toBe(true);
    expect(problems.some((p) => /^counters: checkin_last\|\d{4}-\d\d-\d\d stored \d+ ≠ recounted \d+$/.test(p))).toBe(true);
  });
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import { BATCH_SEPARATOR } from '../src/db/db';
import { useTestApp } from './support/test-app';

// Hot paths have statement budgets (deterministic, unlike timings): every SQL statement the path
// sends to MariaDB counts, BEGIN and COMMIT included. Raising a budget is a design decision.
// The operators' campaigns are cached in process (read once per `campaigns.cacheSeconds`, as the
// server reads them at start): the period is pinned long here so no refresh falls inside a budget.
const t = useTestApp({
  tweak: (c) => {
    c.runtime.campaigns.cacheSeconds = 3600;
  },
});
beforeAll(async () => {
  await t.services.campaigns.rules();
});

const BUDGET = {
  /** The member row with everything the card shows, the lots about to expire included, in one statement. */
  memberCard: 1,
  counterLookup: 2,
  plainOrder: 10,
  orderWithCouponAndPoints: 14,
  pointsCredit: 6,
  mallRedemption: 10,
  /** The Idempotency-Key record of a redemption: claimed before the work, completed after it. */
  idempotencyRecord: 2,
  /**
   * Growth that has left the trailing window, taken off qualifying growth before an upgrade is
   * decided: one SUM over the member's own ledger (by member and created_at) and the aging UPDATE.
   * Only when `qualifying_ages_at` says an entry is due; the aging job usually got there first.
   */
  growthAging: 2,
};

/**
 * Round trips of the write paths (a transaction sends START TRANSACTION with its first statement,
 * and its writes that need no answer with the next statement that does or with COMMIT: see Db).
 */
const TRIPS = {
  /**
   * START + the member lock; then the order, the ledger entries, the member's update (unguarded: a
   * credit on the locked row needs no answer), the lot, the outbox row and the KPI counters with COMMIT.
   */
  plainOrder: 2,
  /** …plus the coupon read and its conditional use, and the lots taken (a conditional update). */
  orderWithCouponAndPoints: 6,
  /** START + the member lock; the ledger entry, the balance update and the lot with COMMIT. */
  pointsCredit: 2,
};

const show = (statements: string[]) => statements.map((s, i) => `${i + 1}. ${s.replace(/\s+/g, ' ').slice(0, 140)}`).join('\n');

/** The statements in their round trips (MariaDB batches a transaction's writes), checked against both budgets. */
function withinTrips(trips: string[], budget: number, tripBudget: number): string[] {
  const statements = trips.flatMap((q) => q.split(BATCH_SEPARATOR));
  within(statements, budget);
  if (process.env.SHOW_STATEMENTS) console.log(`${trips.length}/${tripBudget} round trips\n${show(trips)}`);
  if (trips.length > tripBudget) throw new Error(`${trips.length} round trips, budget ${tripBudget}:\n${show(trips)}`);
  expect(trips.length).toBeLessThanOrEqual(tripBudget);
  return statements;
}

function within(statements: string[], budget: number): void {
  if (process.env.SHOW_STATEMENTS) console.log(`${statements.length}/${budget}\n${show(statements)}`);
  if (statements.length > budget) throw new Error(`${statements.length} statements, budget ${budget}:\n${show(statements)}`);
  expect(statements.length).toBeLessThanOrEqual(budget);
}

describe('statement budgets of the hot paths (MariaDB)', () => {
  it(`GET /api/v1/me (the member card) with points expiring soon: at most ${BUDGET.memberCard}, the expiring lots read in it`, async () => {
    t.clock.set('2026-05-10T04:00:00Z');
    const m = await t.memberWith('silver', 500);
    // Two lots lapse on 15 May in Shanghai (one at 23:00 local, one just after midnight UTC), a third later.
    await t.services.points.credit(m.id, { amount: 50, reason: 'adjust', sourceKey: 'budget:soon1', expiresAt: new Date('2026-05-15T15:00:00Z') });
    await t.services.points.credit(m.id, { amount: 7, reason: 'adjust', sourceKey: 'budget:soon2', expiresAt: new Date('2026-05-15T00:30:00.123Z') });
    await t.services.points.credit(m.id, { amount: 9, reason: 'adjust', sourceKey: 'budget:later', expiresAt: new Date('2026-05-20T00:00:00Z') });
    let card: { points: unknown } | undefined;
    const statements = await t.statementsOf(async () => {
      card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
    });
    within(statements, BUDGET.memberCard);
    expect(statements[0]).toContain('points_lots');
    expect(card?.points).toEqual({ balance: 566, expiring: { amount: 57, on: '2026-05-15' } });
  });

  it('GET /api/v1/me when next_expiry_at is early (no live lot within the window after all): still one statement, nothing expiring', async () => {
    const m = await t.memberWith('normal', 40); // its lot lapses in a year
    // `next_expiry_at` may be early, never late (as after a migration's backfill): here it says a lot lapses in 3 days.
    await t.dataSource.query('UPDATE members SET next_expiry_at = ? WHERE id = ?', [new Date(Date.now() + 3 * 86_400_000), m.id]);
    let card: { points: unknown } | undefined;
    within(
      await t.statementsOf(async () => {
        card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
      }),
      BUDGET.memberCard,
    );
    expect(card?.points).toEqual({ balance: 40, expiring: null });
  });

  it('GET /api/v1/me of a member with a lot that lapsed unsettled: the same statement finds it, the card settles it and shows the rest', async () => {
    t.clock.set('2026-05-10T04:00:00Z');
    const m = await t.memberWith('normal', 0);
    await t.services.points.credit(m.id, { amount: 30, reason: 'adjust', sourceKey: 'budget:lapsing', expiresAt: new Date('2026-05-12T00:00:00Z') });
    await t.services.points.credit(m.id, { amount: 20, reason: 'adjust', sourceKey: 'budget:next', expiresAt: new Date('2026-05-20T00:00:00Z') });
    t.clock.set('2026-05-13T04:00:00Z'); // the 30 lapsed; no expiry job ran
    let card: { points: unknown } | undefined;
    const statements = await t.statementsOf(async () => {
      card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
    });
    expect(card?.points).toEqual({ balance: 20, expiring: { amount: 20, on: '2026-05-20' } });
    // One read, then the settlement's own transaction (it locks the member and reads every live lot again).
    expect(statements.filter((s) => s.includes('points_lots') && s.startsWith('SELECT') && !s.includes('FOR UPDATE'))).toHaveLength(1);
    expect(statements[1]).toBe('START TRANSACTION');
    const again = await t.statementsOf(() => t.http.get('/api/v1/me').set(m.auth).expect(200));
    within(again, BUDGET.memberCard);
  });

  it('GET /api/v1/me of a member whose growth is due to age (the aging job is behind): the exact aged-out figure, from one statement', async () => {
    t.clock.set('2025-03-01T04:00:00Z');
    const m = await t.memberWith('normal', 0);
    await t.services.points.addGrowth(m.id, { delta: 700, reason: 'adjust', sourceKey: 'budget:old' });
    t.clock.set('2025-09-01T04:00:00Z');
    await t.services.points.addGrowth(m.id, { delta: 400, reason: 'adjust', sourceKey: 'budget:mid' });
    t.clock.set('2026-03-05T04:00:00Z'); // the 700 has left the window, the 400 not yet; no aging job ran
    let card: { tier: { code: string }; growth: { value: number; qualifying: number; keep: unknown } } | undefined;
    within(
      await t.statementsOf(async () => {
        card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
      }),
      BUDGET.memberCard,
    );
    expect(card?.tier.code).toBe('silver'); // upgraded at 1 100; only the review drops a tier
    expect(card?.growth).toMatchObject({ value: 1100, qualifying: 400 });
    // The next review (1 April in Shanghai): by then the 400 still counts, 1 000 − 400 = 600 keeps silver.
    expect(card?.growth.keep).toMatchObject({ tierCode: 'silver', needed: 600, reviewOn: '2026-04-01' });
  });

  it('GET /api/v1/me with nothing expiring within the warning window reads the member row only', async () => {
    const m = await t.memberWith('silver', 500);
    within(await t.statementsOf(() => t.http.get('/api/v1/me').set(m.auth).expect(200)), 1);
  });

  it('GET /api/v1/me of a member who checked in still reads one row (the check-in state is in the same statement)', async () => {
    const m = await t.memberWith('silver', 500);
    await t.http.post('/api/v1/me/checkins').set(m.auth).expect(201);
    let card: { checkin: unknown } | undefined;
    within(
      await t.statementsOf(async () => {
        card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
      }),
      1,
    );
    expect(card?.checkin).toEqual({ today: true, streak: 1 });
  });

  it('GET /api/v1/me of a gold member: qualifying growth and 保级 come from the same one statement', async () => {
    const m = await t.memberWith('gold', 0);
    let card: { growth: { qualifying: number; keep: { needed: number } | null } } | undefined;
    within(
      await t.statementsOf(async () => {
        card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
      }),
      1,
    );
    expect(card?.growth.qualifying).toBe(5000);
    expect(card?.growth.keep?.needed).toBe(0);
  });

  it(`POST /api/v1/counter/lookup: at most ${BUDGET.counterLookup}`, async () => {
    const cashier = await t.staff('cashier');
    const m = await t.memberWith('normal', 300);
    within(
      await t.statementsOf(() =>
        t.http
          .post('/api/v1/counter/lookup')
          .set(cashier.auth)
          .send({ code: t.codeOf(m) })
          .expect(200),
      ),
      BUDGET.counterLookup,
    );
  });

  it(`POST /api/v1/counter/orders without coupon or points: at most ${BUDGET.plainOrder} statements in ${TRIPS.plainOrder} round trips`, async () => {
    const cashier = await t.staff('cashier');
    const m = await t.memberWith('normal', 0);
    const trips = await t.roundTripsOf(() =>
      t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m), amountCents: 12345, receiptNo: 'BUDGET-1' })
        .expect(201),
    );
    const statements = withinTrips(trips, BUDGET.plainOrder, TRIPS.plainOrder);
    expect(statements[0]).toBe('START TRANSACTION');
    expect(statements[statements.length - 1]).toBe('COMMIT');
    // The member lock reads the account columns, not the identity, contact and profile ones.
    expect(statements[1]).toMatch(/^SELECT .* FOR UPDATE$/s);
    expect(statements[1]).toContain('m.points_balance');
    expect(statements[1]).not.toMatch(/openid|session_key|phone|birthday|consent/);
  });

  it(`POST /api/v1/counter/orders of a member whose growth is due to age: at most ${BUDGET.plainOrder} + ${BUDGET.growthAging}`, async () => {
    const cashier = await t.staff('cashier');
    t.clock.set('2025-03-01T04:00:00Z');
    const m = await t.memberWith('silver', 0);
    t.clock.set('2026-03-05T04:00:00Z'); // the silver growth has left the window; no aging job ran
    const statements = await t.statementsOf(() =>
      t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m), amountCents: 12345, receiptNo: 'BUDGET-AGING' })
        .expect(201),
    );
    within(statements, BUDGET.plainOrder + BUDGET.growthAging);
    expect(statements.filter((s) => s.includes('growth_ledger') && s.startsWith('SELECT'))).toHaveLength(1);
  });

  it(`POST /api/v1/counter/orders with a coupon and points: at most ${BUDGET.orderWithCouponAndPoints} statements in ${TRIPS.orderWithCouponAndPoints} round trips`, async () => {
    const cashier = await t.staff('cashier');
    const m = await t.memberWith('silver', 1000);
    const coupon = await t.couponFor(m.id, { kind: 'threshold', valueCents: 1000, thresholdCents: 5000 });
    const trips = await t.roundTripsOf(() =>
      t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m), amountCents: 20000, couponId: coupon.id, pointsToUse: 500, receiptNo: 'BUDGET-2' })
        .expect(201),
    );
    withinTrips(trips, BUDGET.orderWithCouponAndPoints, TRIPS.orderWithCouponAndPoints);
  });

  it(`a points credit: at most ${BUDGET.pointsCredit} statements in ${TRIPS.pointsCredit} round trips`, async () => {
    const m = await t.memberWith('normal', 100);
    withinTrips(
      await t.roundTripsOf(() => t.services.points.credit(m.id, { amount: 10, reason: 'adjust', sourceKey: 'budget:credit' })),
      BUDGET.pointsCredit,
      TRIPS.pointsCredit,
    );
  });

  it(`POST /api/v1/mall/redemptions: at most ${BUDGET.mallRedemption} plus ${BUDGET.idempotencyRecord} for its Idempotency-Key`, async () => {
    const m = await t.memberWith('normal', 1000);
    const item = await t.mallItem({ pointsCost: 100, stock: 5 });
    const statements = await t.statementsOf(() =>
      t.http.post('/api/v1/mall/redemptions').set(m.auth).set('Idempotency-Key', 'budget-redeem').send({ itemId: item.id, quantity: 1 }).expect(201),
    );
    within(statements, BUDGET.mallRedemption + BUDGET.idempotencyRecord);
    expect(statements.filter((s) => s.includes('idempotency_records'))).toHaveLength(BUDGET.idempotencyRecord);
  });

  it('a counter order reads the operators’ campaigns only after a write on this instance dropped the cache: once, before its transaction', async () => {
    const cashier = await t.staff('cashier');
    const m = await t.memberWith('normal', 0);
    const send = (receiptNo: string) =>
      t.http
        .post('/api/v1/counter/orders')
        .set(cashier.auth)
        .send({ code: t.codeOf(m), amountCents: 1000, receiptNo })
        .expect(201);
    const admin = await t.staff('admin');
    await t.http.post('/api/v1/admin/campaigns').set(admin.auth).send({ code: 'budget-camp', name: '预算', dayOfMonth: 1, multiplier: 2 }).expect(201);
    // Each order a code window later: a code pays once.
    t.clock.advance(t.config.loyalty.dynamicCode.periodSeconds * 1000);
    const first = await t.statementsOf(() => send('BUDGET-C1'));
    expect(first.filter((s) => s.includes('FROM campaigns'))).toHaveLength(1);
    expect(first[0]).toContain('FROM campaigns');
    expect(first[1]).toBe('START TRANSACTION');
    t.clock.advance(t.config.loyalty.dynamicCode.periodSeconds * 1000);
    const second = await t.statementsOf(() => send('BUDGET-C2'));
    expect(second.filter((s) => s.includes('campaigns'))).toHaveLength(0);
  });
});

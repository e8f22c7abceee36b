import {
  addDays,
  allocateDebit,
  businessDate,
  DomainError,
  expiredLots,
  lotExpiry,
  tierAfterGrowth,
  tierAfterReview,
  type GrowthReason,
  type LoyaltyConfig,
  type PointsReason,
} from '@member/shared';
import { isDuplicateKey, type Db } from '../db/db';
import type { GrowthLedgerRow, MemberRow, PointsAllocationRow, PointsLedgerRow, PointsLotRow } from '../db/entities';
import type { LockedMember, MemberAccount, MemberRepository } from '../db/repositories/member.repository';
import type { LiveLot, PointsRepository } from '../db/repositories/points.repository';
import { NO_DAY, type CounterDelta, type ReportCounterRepository } from '../db/repositories/report-counter.repository';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';

export interface Credit {
  amount: number;
  reason: PointsReason;
  /** Names the event; the same key never applies twice for a member (unique in the ledger). */
  sourceKey: string;
  /** Defaults to `points.lotLifetimeDays` after now (give-backs keep their original expiry). */
  expiresAt?: Date;
  note?: string;
}

export interface Debit {
  amount: number;
  reason: PointsReason;
  sourceKey: string;
  /** A reversal of earned points (refund) may take the balance below zero; spending may not. */
  mayGoNegative?: boolean;
  /** Lots to take from before the closest-to-expiry rule (a refund: the lot its order earned). */
  lotsFirst?: string[];
  note?: string;
}

export interface GrowthMove {
  /** Positive to earn, negative to take back (refunds). */
  delta: number;
  reason: GrowthReason;
  sourceKey: string;
}

/** Everything one use case moves on a member's account, written together. */
export interface Posting {
  debits?: Debit[];
  credits?: Credit[];
  growth?: GrowthMove;
}

export interface Posted<M extends MemberAccount = MemberRow> {
  member: M;
  entries: PointsLedgerRow[];
  growthEntry: GrowthLedgerRow | null;
  /** Set when growth lifted the tier (immediately, as the rules say; drops wait for the review). */
  upgrade: { from: string; to: string } | null;
}

export interface MoveResult {
  entry: PointsLedgerRow;
  /** True when the event had already been applied: its first entry is returned and nothing moved. */
  replayed: boolean;
}

/** Called inside the same transaction when a member moves up a tier (upgrade gifts hook in here). */
export type TierUpgradeListener = (memberId: string, from: string, to: string) => Promise<void>;

/** Called inside the same transaction when a quarterly review drops a member (the tier-history row's id included). */
export type TierReviewListener = (memberId: string, tierChangeId: string, from: string, to: string) => Promise<void>;

/**
 * The member's account: points (a ledger over lots) and growth (a ledger of its own), moved only by
 * `post`, inside a transaction, on a member row the caller has locked. Invariants kept:
 * balance = sum of ledger deltas; max(balance, 0) = sum of lot remainders; an event (member +
 * sourceKey) applies at most once; `next_expiry_at` is never later than the earliest live lot.
 *
 * Ledger rows are inserted before anything else is written: the member lock (taken first) already
 * serialises the member's writes, so this order cannot deadlock, and a repeated event is refused
 * by the unique key before any balance has moved.
 */
export class PointsService {
  private readonly upgradeListeners: TierUpgradeListener[] = [];
  private readonly reviewListeners: TierReviewListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly members: MemberRepository,
    private readonly points: PointsRepository,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly counters: ReportCounterRepository,
  ) {}

  /**
   * The `active_last` counter's move when the member becomes active at `activeAt`: from their
   * previous last active business day (if any) to this one; nothing when it is the same day.
   */
  private activeDayMove(m: MemberAccount, activeAt: Date | undefined): CounterDelta[] {
    if (!activeAt) return [];
    const zone = this.loyalty.businessTimeZone;
    const day = businessDate(activeAt, zone);
    const prior = m.lastActiveAt ? businessDate(m.lastActiveAt, zone) : null;
    if (prior === day) return [];
    return [...(prior ? [{ metric: 'active_last' as const, day: prior, n: -1 }] : []), { metric: 'active_last', day, n: 1 }];
  }

  onTierUpgrade(listener: TierUpgradeListener): void {
    this.upgradeListeners.push(listener);
  }

  onTierReviewed(listener: TierReviewListener): void {
    this.reviewListeners.push(listener);
  }

  /** Locks a member (with their live lots when a debit will follow) and settles expiry that is due. */
  async lock(memberId: string, opts: { withLots: boolean }): Promise<LockedMember> {
    const locked = opts.withLots ? await this.members.lockWithLots(memberId) : await this.lockPlain(memberId);
    if (!locked) throw new DomainError('NOT_FOUND', 'member not found');
    await this.settleExpiry(locked);
    return locked;
  }

  private async lockPlain(memberId: string): Promise<LockedMember | null> {
    const member = await this.members.lock(memberId);
    return member ? { member, lots: [] } : null;
  }

  /**
   * Zeroes what remains of lots whose expiry has passed, one `expire` entry per lot (keyed by the
   * lot, so it never applies twice). Costs nothing unless the member row says something is due.
   */
  async settleExpiry(locked: LockedMember<MemberAccount>, now: Date = this.clock.now()): Promise<number> {
    const m = locked.member;
    if (!m.nextExpiryAt || m.nextExpiryAt > now) return 0;
    if (locked.lots.length === 0) locked.lots = await this.points.liveLots(m.id);
    const due = expiredLots(locked.lots, now);
    const live = locked.lots.filter((l) => !due.includes(l));
    const nextExpiryAt = earliest(live);
    if (due.length === 0) {
      await this.members.applyChange(m.id, { nextExpiryAt }, now);
      m.nextExpiryAt = nextExpiryAt;
      return 0;
    }
    let balance = m.pointsBalance;
    const entries: PointsLedgerRow[] = due.map((lot) => {
      balance -= lot.remaining;
      return entry(m.id, -lot.remaining, balance, 'expire', `expire:${lot.id}`, now, { lotId: lot.id, expiresAt: lot.expiresAt });
    });
    await this.points.insertEntries(entries);
    if (!(await this.points.zeroLots(due))) throw new Error('points lot changed under a held member lock');
    const total = m.pointsBalance - balance;
    await this.members.applyChange(m.id, { points: -total, nextExpiryAt }, now);
    m.pointsBalance = balance;
    m.nextExpiryAt = nextExpiryAt;
    locked.lots = live;
    return total;
  }

  /**
   * Qualifying growth: takes the member's growth entries that have left the trailing window
   * (`tierReview.trailingDays`) off `qualifying_growth` and moves the aging mark to the window's
   * start. Costs nothing unless `qualifying_ages_at` says an entry is due. Each entry is taken off
   * once: the update applies only if the mark is still where it was read. Never changes the tier
   * (only the review drops one). Returns the growth taken off.
   */
  async settleAging(member: MemberAccount, now = this.clock.now()): Promise<number> {
    if (!member.qualifyingAgesAt || member.qualifyingAgesAt > now) return 0;
    const days = this.loyalty.tierReview.trailingDays;
    const cutoff = addDays(now, -days);
    const from = member.qualifyingAgedTo ?? new Date(0);
    const { aged, nextCreatedAt } = await this.members.growthToAge(member.id, from, cutoff);
    const agesAt = nextCreatedAt ? addDays(nextCreatedAt, days) : null;
    if (!(await this.members.applyAging(member.id, from, cutoff, aged, agesAt))) return 0;
    member.qualifyingGrowth -= aged;
    member.qualifyingAgedTo = cutoff;
    member.qualifyingAgesAt = agesAt;
    return aged;
  }

  /**
   * Applies a posting to a locked member: debits (closest-to-expiry lots first), then credits (new
   * lots), then growth (with an immediate upgrade). Updates `locked` in place and returns the rows.
   * Refuses with POINTS_INSUFFICIENT, changing nothing, when a spend exceeds the balance.
   */
  async post<M extends MemberAccount>(locked: LockedMember<M>, posting: Posting): Promise<Posted<M>> {
    const now = this.clock.now();
    const m = locked.member;
    const debits = posting.debits ?? [];
    const credits = posting.credits ?? [];
    if (debits.length > 0 && locked.lots.length === 0 && m.pointsBalance > 0) {
      throw new Error('a debit needs the member locked with their lots');
    }

    let balance = m.pointsBalance;
    const entries: PointsLedgerRow[] = [];
    const takes = new Map<string, number>();
    const allocationRows: PointsAllocationRow[] = [];
    const lotLeft = new Map(locked.lots.map((l) => [l.id, l.remaining]));

    for (const d of debits) {
      assertPositive(d.amount);
      if (!d.mayGoNegative && balance < d.amount) {
        throw new DomainError('POINTS_INSUFFICIENT', 'not enough points', { balance, required: d.amount });
      }
      const available = locked.lots.map((l) => ({ ...l, remaining: lotLeft.get(l.id) ?? 0 }));
      const { allocations, shortfall } = allocateDebit(available, d.amount, now, d.lotsFirst);
      if (shortfall > 0 && !d.mayGoNegative) throw new Error(`points invariant broken: balance ${balance}, lots short by ${shortfall}`);
      balance -= d.amount;
      const e = entry(m.id, -d.amount, balance, d.reason, d.sourceKey, now, { note: d.note });
      entries.push(e);
      for (const a of allocations) {
        lotLeft.set(a.lotId, (lotLeft.get(a.lotId) ?? 0) - a.amount);
        takes.set(a.lotId, (takes.get(a.lotId) ?? 0) + a.amount);
        allocationRows.push({ id: newId(), ledgerId: e.id, lotId: a.lotId, amount: a.amount });
      }
    }

    const newLots: PointsLotRow[] = [];
    for (const c of credits) {
      assertPositive(c.amount);
      const before = balance;
      balance += c.amount;
      const expiresAt = c.expiresAt ?? lotExpiry(now, this.loyalty.points.lotLifetimeDays);
      const lotId = newId();
      const e = entry(m.id, c.amount, balance, c.reason, c.sourceKey, now, { lotId, expiresAt, note: c.note });
      entries.push(e);
      // A negative balance (after a refund) is paid back first; only the rest becomes spendable.
      newLots.push({
        id: lotId,
        memberId: m.id,
        amount: c.amount,
        remaining: Math.max(balance, 0) - Math.max(before, 0),
        earnedAt: now,
        expiresAt,
        ledgerId: e.id,
      });
    }

    let growthEntry: GrowthLedgerRow | null = null;
    let tier = m.tier;
    let qualifyingAgesAt: Date | undefined;
    if (posting.growth) {
      const g = posting.growth;
      if (!Number.isSafeInteger(g.delta) || g.delta === 0) throw new DomainError('VALIDATION_FAILED', 'growth delta must be a non-zero integer');
      growthEntry = { id: newId(), memberId: m.id, delta: g.delta, valueAfter: m.growth + g.delta, reason: g.reason, sourceKey: g.sourceKey, createdAt: now };
      // The upgrade is decided on qualifying growth, so what has left the window goes first.
      await this.settleAging(m, now);
      if (g.delta > 0) tier = tierAfterGrowth(this.loyalty.tiers, m.tier, m.qualifyingGrowth + g.delta).code;
      if (!m.qualifyingAgesAt) qualifyingAgesAt = addDays(now, this.loyalty.tierReview.trailingDays);
    }

    // Ledger rows first: a repeated event fails here, before anything has moved.
    await this.points.insertEntries(entries);
    if (growthEntry) await this.members.insertGrowth(growthEntry);

    if (takes.size > 0 && !(await this.points.takeFromLots([...takes].map(([lotId, amount]) => ({ lotId, amount }))))) {
      throw new Error('points lot changed under a held member lock');
    }
    await this.points.insertAllocations(allocationRows);
    const spendable = newLots.filter((l) => l.remaining > 0);
    const remainingLots: LiveLot[] = [
      ...locked.lots.map((l) => ({ ...l, remaining: lotLeft.get(l.id) ?? 0 })).filter((l) => l.remaining > 0),
      ...spendable.map((l) => ({ id: l.id, remaining: l.remaining, earnedAt: l.earnedAt, expiresAt: l.expiresAt })),
    ];
    const knowsAllLots = debits.length > 0;
    const pointsDelta = balance - m.pointsBalance;
    const growthDelta = growthEntry?.delta ?? 0;
    // Every entry here is an activity (expiries are written by settleExpiry): the member's last
    // active instant moves in the same UPDATE, so activity on a day already counted costs nothing.
    const activeAt = entries.length > 0 && (!m.lastActiveAt || m.lastActiveAt < now) ? now : undefined;
    if (pointsDelta !== 0 || growthDelta !== 0 || tier !== m.tier || knowsAllLots || activeAt) {
      const moved = await this.members.applyChange(
        m.id,
        {
          points: pointsDelta,
          growth: growthDelta,
          ...(qualifyingAgesAt ? { qualifyingAgesAt } : {}),
          ...(tier !== m.tier ? { tier } : {}),
          ...(knowsAllLots ? { nextExpiryAt: earliest(remainingLots) } : spendable.length ? { lotExpiringAt: earliest(spendable) ?? undefined } : {}),
          keepBalanceNonNegative: debits.some((d) => !d.mayGoNegative),
          ...(activeAt ? { activeAt } : {}),
        },
        now,
      );
      if (!moved) throw new DomainError('POINTS_INSUFFICIENT', 'not enough points', { balance: m.pointsBalance });
    }
    await this.points.insertLots(newLots);

    const from = m.tier;
    this.counters.add([...this.activeDayMove(m, activeAt), ...tierMove(m, from, tier)]);
    if (activeAt) m.lastActiveAt = activeAt;
    m.pointsBalance = balance;
    m.growth += growthDelta;
    m.qualifyingGrowth += growthDelta;
    if (qualifyingAgesAt) m.qualifyingAgesAt = qualifyingAgesAt;
    m.tier = tier;
    if (knowsAllLots) m.nextExpiryAt = earliest(remainingLots);
    else if (spendable.length) m.nextExpiryAt = earliest([...spendable, ...(m.nextExpiryAt ? [{ expiresAt: m.nextExpiryAt }] : [])]);
    locked.lots = knowsAllLots ? remainingLots : locked.lots;

    let upgrade: Posted['upgrade'] = null;
    if (tier !== from) {
      upgrade = { from, to: tier };
      await this.members.insertTierChange({ id: newId(), memberId: m.id, fromTier: from, toTier: tier, reason: 'upgrade', createdAt: now });
      for (const l of this.upgradeListeners) await l(m.id, from, tier);
    }
    return { member: m, entries, growthEntry, upgrade };
  }

  /** Adds points as a new lot (one event, applied once). */
  credit(memberId: string, c: Credit): Promise<MoveResult> {
    return this.single(memberId, false, c.sourceKey, c.amount, (locked) => this.post(locked, { credits: [c] }));
  }

  /** Spends points, closest-to-expiry lots first. Refuses (POINTS_INSUFFICIENT) rather than overdraw. */
  debit(memberId: string, d: Debit): Promise<MoveResult> {
    return this.single(memberId, true, d.sourceKey, -d.amount, (locked) => this.post(locked, { debits: [{ ...d, mayGoNegative: false }] }));
  }

  /** Takes back earned points (a refund): what lots hold, and the rest as a negative balance. */
  reverse(memberId: string, d: Debit): Promise<MoveResult> {
    return this.single(memberId, true, d.sourceKey, -d.amount, (locked) => this.post(locked, { debits: [{ ...d, mayGoNegative: true }] }));
  }

  /** Moves growth alone (one event, applied once). */
  async addGrowth(memberId: string, g: GrowthMove): Promise<{ entry: GrowthLedgerRow; replayed: boolean; upgrade: Posted['upgrade'] }> {
    try {
      return await this.db.transaction(async () => {
        const posted = await this.post(await this.lock(memberId, { withLots: false }), { growth: g });
        if (!posted.growthEntry) throw new Error('a growth posting made no growth entry');
        return { entry: posted.growthEntry, replayed: false, upgrade: posted.upgrade };
      });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const prior = await this.members.growthEntryBySource(memberId, g.sourceKey);
      if (!prior) throw e;
      if (prior.delta !== g.delta) throw new DomainError('IDEMPOTENCY_MISMATCH', 'this event was already applied with another amount');
      return { entry: prior, replayed: true, upgrade: null };
    }
  }

  private async single(
    memberId: string,
    withLots: boolean,
    sourceKey: string,
    delta: number,
    run: (locked: LockedMember) => Promise<Posted>,
  ): Promise<MoveResult> {
    try {
      return await this.db.transaction(async () => {
        const posted = await run(await this.lock(memberId, { withLots }));
        return { entry: posted.entries[posted.entries.length - 1], replayed: false };
      });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const prior = await this.points.entryBySource(memberId, sourceKey);
      if (!prior) throw e;
      if (prior.delta !== delta) throw new DomainError('IDEMPOTENCY_MISMATCH', 'this event was already applied with another amount');
      return { entry: prior, replayed: true };
    }
  }

  /**
   * Credits that give back what a debit took (a refund, a cancelled redemption): the slice
   * [`from`, `from + amount`) of what the debit consumed, walked in the order it was consumed,
   * each piece a new lot with its original lot's expiry and its own event key
   * (`<sourceKey>:<lotId>`). To be posted by the caller on the locked member.
   */
  async giveBackCredits(memberId: string, debitSourceKey: string, from: number, amount: number, sourceKey: string, reason: PointsReason): Promise<Credit[]> {
    if (amount <= 0) return [];
    const allocations = await this.points.allocationsOfDebit(memberId, debitSourceKey);
    const expiries = new Map((await this.points.lotsByIds([...new Set(allocations.map((a) => a.lotId))])).map((l) => [l.id, l.expiresAt]));
    const credits: Credit[] = [];
    let skip = from;
    let left = amount;
    for (const a of allocations) {
      if (left <= 0) break;
      const skipped = Math.min(skip, a.amount);
      skip -= skipped;
      const piece = Math.min(a.amount - skipped, left);
      if (piece <= 0) continue;
      credits.push({ amount: piece, reason, sourceKey: `${sourceKey}:${a.lotId}`, expiresAt: expiries.get(a.lotId) });
      left -= piece;
    }
    return credits;
  }

  /** The lot an earning event created (`order:<id>`), if it did: what a refund takes back first. */
  async lotEarnedBy(memberId: string, sourceKey: string): Promise<string | null> {
    return (await this.points.entryBySource(memberId, sourceKey))?.lotId ?? null;
  }

  /**
   * Settles lapsed points of one member as of `now` (the expiry job and reads that must not show
   * lapsed points). Keyed by lot, so settling again, or concurrently, moves nothing twice.
   */
  expireMember(memberId: string, now: Date = this.clock.now()): Promise<number> {
    return this.db.transaction(async () => {
      const locked = await this.members.lockWithLots(memberId);
      return locked ? this.settleExpiry(locked, now) : 0;
    });
  }

  /** Ages one member's qualifying growth (the growth-aging job); safe to repeat and to run concurrently. */
  ageMember(memberId: string, now: Date): Promise<number> {
    return this.db.transaction(async () => {
      const member = await this.members.lock(memberId);
      return member ? this.settleAging(member, now) : 0;
    });
  }

  /** Members whose qualifying growth may hold entries that left the window, for the aging job. */
  membersDueForAging(now: Date, batch: number): Promise<string[]> {
    return this.members.dueForAging(now, batch);
  }

  /**
   * The quarterly review of one member (`period`, e.g. `2026-Q4`): ages their qualifying growth,
   * keeps the tier if it still meets the threshold, otherwise drops at most
   * `tierReview.maxDropPerReview` tiers and records it. The tier-history row carries the period
   * and is unique per member and period, so a repeated or concurrent review drops nobody twice.
   * Returns the change, or null when the tier stays.
   */
  async reviewMember(memberId: string, period: string, now: Date): Promise<{ from: string; to: string } | null> {
    try {
      return await this.db.transaction(async () => {
        const m = await this.members.lock(memberId);
        if (!m) return null;
        await this.settleAging(m, now);
        const to = tierAfterReview(this.loyalty.tiers, m.tier, m.qualifyingGrowth, this.loyalty.tierReview.maxDropPerReview).code;
        if (to === m.tier) return null;
        const changeId = newId();
        await this.members.insertTierChange({ id: changeId, memberId, fromTier: m.tier, toTier: to, reason: 'review', reviewPeriod: period, createdAt: now });
        await this.members.applyChange(memberId, { tier: to }, now);
        this.counters.add(tierMove(m, m.tier, to));
        for (const l of this.reviewListeners) await l(memberId, changeId, m.tier, to);
        return { from: m.tier, to };
      });
    } catch (e) {
      // This review already dropped the member (another run, or this one before a restart).
      if (isDuplicateKey(e)) return null;
      throw e;
    }
  }

  /** Members with points due to expire, for the expiry job. */
  membersDueForExpiry(now: Date, batch: number): Promise<string[]> {
    return this.members.dueForExpiry(now, batch);
  }
}

function entry(
  memberId: string,
  delta: number,
  balanceAfter: number,
  reason: PointsReason,
  sourceKey: string,
  createdAt: Date,
  extra: { lotId?: string; expiresAt?: Date; note?: string } = {},
): PointsLedgerRow {
  return {
    id: newId(),
    memberId,
    delta,
    balanceAfter,
    reason,
    sourceKey,
    lotId: extra.lotId ?? null,
    expiresAt: extra.expiresAt ?? null,
    note: extra.note ?? null,
    createdAt,
  };
}

/** The tier counters' move when an active member goes from one tier to another (other members are not counted). */
function tierMove(m: MemberAccount, from: string, to: string): CounterDelta[] {
  if (from === to || m.status !== 'active') return [];
  return [
    { metric: `tier:${from}`, day: NO_DAY, n: -1 },
    { metric: `tier:${to}`, day: NO_DAY, n: 1 },
  ];
}

function earliest(lots: readonly { expiresAt: Date }[]): Date | null {
  let min: Date | null = null;
  for (const l of lots) if (!min || l.expiresAt < min) min = l.expiresAt;
  return min;
}

function assertPositive(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new DomainError('VALIDATION_FAILED', 'points amount must be a positive integer');
}

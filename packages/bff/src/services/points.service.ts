import {
  allocateDebit,
  DomainError,
  expiredLots,
  lotExpiry,
  type LoyaltyConfig,
} from '@member/shared';
import type { EntityManager } from 'typeorm';
import { affectedRows, type Db } from '../db/db';
import {
  MemberEntity,
  PointsAllocationEntity,
  PointsLedgerEntity,
  PointsLotEntity,
  type PointsLedgerRow,
  type PointsLotRow,
} from '../db/entities';
import type { Clock } from './clock';
import { newId } from './crypto';
import { lockMember } from './member-lock';

export type PointsReason =
  | 'order'
  | 'checkin'
  | 'review'
  | 'share'
  | 'referral'
  | 'redeem'
  | 'redeem_cancel'
  | 'refund'
  | 'refund_return'
  | 'expire'
  | 'adjust'
  | 'spend'
  | 'seed';

export interface PointsMove {
  memberId: string;
  amount: number;
  reason: PointsReason;
  /** Names the event that causes the move; the same key never applies twice for a member. */
  sourceKey: string;
  note?: string;
  /**
   * The key was minted by the caller in this transaction (e.g. from a new order id), so it cannot
   * have been applied before: skip the replay lookup. The unique key still guards.
   */
  fresh?: boolean;
}

export interface PointsResult {
  entry: PointsLedgerRow;
  /** True when the event had already been applied and its first entry is returned. */
  replayed: boolean;
}

/**
 * The points account: every change is one transaction that locks the member row, updates the
 * balance with a conditional statement, then appends the ledger and touches lots. Invariants kept:
 * balance = sum of ledger deltas; max(balance, 0) = sum of lot remainders; an event (member +
 * sourceKey) applies at most once.
 */
export class PointsService {
  constructor(
    private readonly db: Db,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
  ) {}

  /** Adds points as a new lot that expires `points.lotLifetimeDays` after now (or at `expiresAt`). */
  async credit(move: PointsMove & { expiresAt?: Date }): Promise<PointsResult> {
    assertPositive(move.amount);
    return this.db.transaction(async (em) => {
      const member = await lockMember(this.db, em, move.memberId);
      const prior = await this.replay(em, move, move.amount);
      if (prior) return prior;
      const now = this.clock.now();
      const before = member.pointsBalance;
      await this.bumpBalance(em, move.memberId, move.amount);
      const after = before + move.amount;
      const expiresAt = move.expiresAt ?? lotExpiry(now, this.loyalty.points.lotLifetimeDays);
      const entryId = newId();
      // A negative balance (after a refund) is paid back first; only the rest becomes spendable.
      const lotRemaining = Math.max(after, 0) - Math.max(before, 0);
      const lotId = newId();
      const entry = await this.append(em, {
        id: entryId,
        memberId: move.memberId,
        delta: move.amount,
        balanceAfter: after,
        reason: move.reason,
        sourceKey: move.sourceKey,
        lotId,
        expiresAt,
        note: move.note ?? null,
        createdAt: now,
      });
      await em.insert(PointsLotEntity, {
        id: lotId,
        memberId: move.memberId,
        amount: move.amount,
        remaining: lotRemaining,
        earnedAt: now,
        expiresAt,
        ledgerId: entryId,
      });
      return { entry, replayed: false };
    });
  }

  /** Spends points, closest-to-expiry lots first. Refuses (POINTS_INSUFFICIENT) rather than overdraw. */
  debit(move: PointsMove): Promise<PointsResult> {
    return this.take(move, false);
  }

  /**
   * Takes back points that were earned (a refund): consumes what lots still hold and lets the
   * balance go negative for the rest, which then blocks spending until earned back.
   */
  reverse(move: PointsMove): Promise<PointsResult> {
    return this.take(move, true);
  }

  private async take(move: PointsMove, mayGoNegative: boolean): Promise<PointsResult> {
    assertPositive(move.amount);
    return this.db.transaction(async (em) => {
      await lockMember(this.db, em, move.memberId);
      const prior = await this.replay(em, move, -move.amount);
      if (prior) return prior;
      const now = this.clock.now();
      await this.expireLocked(em, move.memberId, now);
      const before = (await em.findOneByOrFail(MemberEntity, { id: move.memberId })).pointsBalance;
      if (!mayGoNegative) {
        const changed = affectedRows(
          await em
            .createQueryBuilder()
            .update(MemberEntity)
            .set({ pointsBalance: () => 'points_balance - :amount', updatedAt: now })
            .where('id = :id AND points_balance >= :amount', { id: move.memberId, amount: move.amount })
            .execute(),
        );
        if (changed !== 1) {
          throw new DomainError('POINTS_INSUFFICIENT', 'not enough points', { balance: before, required: move.amount });
        }
      } else {
        await this.bumpBalance(em, move.memberId, -move.amount);
      }
      const lots = await this.liveLots(em, move.memberId, now);
      const available = lots.reduce((s, l) => s + l.remaining, 0);
      const { allocations, shortfall } = allocateDebit(lots, move.amount, now);
      if (shortfall > 0 && !mayGoNegative) {
        throw new Error(`points invariant broken for a member: balance ${before}, lots hold ${available}`);
      }
      const entryId = newId();
      const entry = await this.append(em, {
        id: entryId,
        memberId: move.memberId,
        delta: -move.amount,
        balanceAfter: before - move.amount,
        reason: move.reason,
        sourceKey: move.sourceKey,
        lotId: null,
        expiresAt: null,
        note: move.note ?? null,
        createdAt: now,
      });
      for (const a of allocations) {
        const changed = affectedRows(
          await em
            .createQueryBuilder()
            .update(PointsLotEntity)
            .set({ remaining: () => 'remaining - :amount' })
            .where('id = :id AND remaining >= :amount', { id: a.lotId, amount: a.amount })
            .execute(),
        );
        if (changed !== 1) throw new Error('points lot changed under a held member lock');
        await em.insert(PointsAllocationEntity, { id: newId(), ledgerId: entryId, lotId: a.lotId, amount: a.amount });
      }
      return { entry, replayed: false };
    });
  }

  /**
   * Zeroes what remains of a member's lots whose expiry has passed and writes one `expire`
   * entry per lot (keyed by the lot, so running it again changes nothing). Returns points expired.
   */
  async expireMember(memberId: string, now = this.clock.now()): Promise<number> {
    // Usually nothing is due: a plain indexed read avoids taking the member lock on every page view.
    if (!this.db.inTransaction) {
      const due = await this.db.manager
        .createQueryBuilder(PointsLotEntity, 'l')
        .where('l.memberId = :memberId AND l.remaining > 0 AND l.expiresAt <= :now', { memberId, now })
        .getExists();
      if (!due) return 0;
    }
    return this.db.transaction(async (em) => {
      await lockMember(this.db, em, memberId);
      return this.expireLocked(em, memberId, now);
    });
  }

  /**
   * Gives back points a debit took (a refund): the slice [`from`, `from + amount`) of what the debit
   * consumed, walked in the order it was consumed, returns as new lots with each original lot's
   * expiry. Each piece is its own event (`<sourceKey>:<lotId>`), so a retry applies nothing twice.
   */
  async returnSpent(
    memberId: string,
    debitSourceKey: string,
    from: number,
    amount: number,
    sourceKey: string,
    reason: PointsReason = 'refund_return',
  ): Promise<number> {
    if (amount <= 0) return 0;
    return this.db.transaction(async (em) => {
      const debit = await em.findOneBy(PointsLedgerEntity, { memberId, sourceKey: debitSourceKey });
      if (!debit) return 0;
      const allocations = await em.find(PointsAllocationEntity, { where: { ledgerId: debit.id }, order: { id: 'ASC' } });
      let skip = from;
      let left = amount;
      let returned = 0;
      for (const a of allocations) {
        if (left <= 0) break;
        const skipped = Math.min(skip, a.amount);
        skip -= skipped;
        const piece = Math.min(a.amount - skipped, left);
        if (piece <= 0) continue;
        const lot = await em.findOneByOrFail(PointsLotEntity, { id: a.lotId });
        await this.credit({ memberId, amount: piece, reason, sourceKey: `${sourceKey}:${a.lotId}`, expiresAt: lot.expiresAt });
        left -= piece;
        returned += piece;
      }
      return returned;
    });
  }

  /** The expiry job's unit of work: members with lots due, up to `batch` of them. */
  async membersWithExpiredLots(now: Date, batch: number): Promise<string[]> {
    const rows = await this.db.manager
      .createQueryBuilder(PointsLotEntity, 'l')
      .select('l.memberId', 'memberId')
      .where('l.expiresAt <= :now AND l.remaining > 0', { now })
      .groupBy('l.memberId')
      .limit(batch)
      .getRawMany<{ memberId: string }>();
    return rows.map((r) => r.memberId);
  }

  private async expireLocked(em: EntityManager, memberId: string, now: Date): Promise<number> {
    const due = expiredLots(
      await em
        .createQueryBuilder(PointsLotEntity, 'l')
        .where('l.memberId = :memberId AND l.remaining > 0 AND l.expiresAt <= :now', { memberId, now })
        .getMany(),
      now,
    );
    let total = 0;
    for (const lot of due) {
      const changed = affectedRows(
        await em
          .createQueryBuilder()
          .update(PointsLotEntity)
          .set({ remaining: 0 })
          .where('id = :id AND remaining = :remaining', { id: lot.id, remaining: lot.remaining })
          .execute(),
      );
      if (changed !== 1) continue;
      const before = (await em.findOneByOrFail(MemberEntity, { id: memberId })).pointsBalance;
      await this.bumpBalance(em, memberId, -lot.remaining);
      await this.append(em, {
        id: newId(),
        memberId,
        delta: -lot.remaining,
        balanceAfter: before - lot.remaining,
        reason: 'expire',
        sourceKey: `expire:${lot.id}`,
        lotId: lot.id,
        expiresAt: lot.expiresAt,
        note: null,
        createdAt: now,
      });
      total += lot.remaining;
    }
    return total;
  }

  /** Lots that can still be spent at `now`. */
  liveLots(em: EntityManager, memberId: string, now: Date): Promise<PointsLotRow[]> {
    const qb = em
      .createQueryBuilder(PointsLotEntity, 'l')
      .where('l.memberId = :memberId AND l.remaining > 0 AND l.expiresAt > :now', { memberId, now })
      .orderBy('l.expiresAt', 'ASC')
      .addOrderBy('l.earnedAt', 'ASC')
      .addOrderBy('l.id', 'ASC');
    if (this.db.dialect === 'mysql') qb.setLock('pessimistic_write');
    return qb.getMany();
  }

  /** Points earned (positive entries other than give-backs) since `since`: the projection's pace. */
  async earnedSince(memberId: string, since: Date): Promise<number> {
    const row = await this.db.manager
      .createQueryBuilder(PointsLedgerEntity, 'e')
      .select('COALESCE(SUM(e.delta), 0)', 'total')
      .where('e.memberId = :memberId AND e.delta > 0 AND e.createdAt >= :since', { memberId, since })
      .andWhere('e.reason NOT IN (:...excluded)', { excluded: ['refund', 'redeem_cancel', 'adjust'] })
      .getRawOne<{ total: number | string }>();
    return Number(row?.total ?? 0);
  }

  private async replay(em: EntityManager, move: PointsMove, delta: number): Promise<PointsResult | null> {
    if (move.fresh) return null;
    const prior = await em.findOneBy(PointsLedgerEntity, { memberId: move.memberId, sourceKey: move.sourceKey });
    if (!prior) return null;
    if (prior.delta !== delta) {
      throw new DomainError('IDEMPOTENCY_MISMATCH', 'this event was already applied with another amount');
    }
    return { entry: prior, replayed: true };
  }

  private async bumpBalance(em: EntityManager, memberId: string, delta: number): Promise<void> {
    const changed = affectedRows(
      await em
        .createQueryBuilder()
        .update(MemberEntity)
        .set({ pointsBalance: () => 'points_balance + :delta', updatedAt: this.clock.now() })
        .where('id = :id', { id: memberId, delta })
        .execute(),
    );
    if (changed !== 1) throw new DomainError('NOT_FOUND', 'member not found');
  }

  private async append(em: EntityManager, row: PointsLedgerRow): Promise<PointsLedgerRow> {
    await em.insert(PointsLedgerEntity, row);
    return row;
  }
}

function assertPositive(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new DomainError('VALIDATION_FAILED', 'points amount must be a positive integer');
}

import type { PointsLedgerType } from '@member/shared';
import { Db, dateOf, numberOf } from '../db';
import { PointsAllocationEntity, PointsLedgerEntity, PointsLotEntity, type PointsAllocationRow, type PointsLedgerRow, type PointsLotRow } from '../entities';
import { tableOf } from '../table';
import { pageById, type Cursor } from './paging';

const ledger = tableOf(PointsLedgerEntity);
const lots = tableOf(PointsLotEntity);
const allocations = tableOf(PointsAllocationEntity);

/** A lot as spending and expiry need it. */
export interface LiveLot {
  id: string;
  remaining: number;
  earnedAt: Date;
  expiresAt: Date;
}

/**
 * The points ledger and its lots. Every method runs on the ambient transaction, under the member
 * row lock the calling service holds: lots are only ever changed by their owner's locked use case,
 * so they need no locks of their own.
 */
export class PointsRepository {
  constructor(private readonly db: Db) {}

  /** Every lot with something left, expired or not, in spending order (closest to expiry first). */
  async liveLots(memberId: string): Promise<LiveLot[]> {
    const rows = await this.db.rows(
      'SELECT id, remaining, earned_at AS earnedAt, expires_at AS expiresAt FROM points_lots WHERE member_id = ? AND remaining > 0 ORDER BY expires_at, earned_at, id',
      [memberId],
    );
    return rows.map((r) => ({ id: String(r.id), remaining: numberOf(r.remaining), earnedAt: dateOf(r.earnedAt), expiresAt: dateOf(r.expiresAt) }));
  }

  /** Lots with something left that expire by `horizon` (the card's warning; lapsed ones included). */
  async lotsExpiringBy(memberId: string, horizon: Date): Promise<LiveLot[]> {
    const rows = await this.db.rows(
      'SELECT id, remaining, earned_at AS earnedAt, expires_at AS expiresAt FROM points_lots WHERE member_id = ? AND remaining > 0 AND expires_at <= ?',
      [memberId, horizon],
    );
    return rows.map((r) => ({ id: String(r.id), remaining: numberOf(r.remaining), earnedAt: dateOf(r.earnedAt), expiresAt: dateOf(r.expiresAt) }));
  }

  async lotsByIds(ids: readonly string[]): Promise<PointsLotRow[]> {
    if (ids.length === 0) return [];
    return (await this.db.rows(`SELECT ${lots.select()} FROM points_lots WHERE id IN (${Db.placeholders(ids.length)})`, ids)).map((r) => lots.map(r));
  }

  /**
   * Appends ledger entries (one statement, sent with the transaction's next one: see `Db.write`);
   * a repeated (member, sourceKey) fails the transaction with a duplicate key.
   */
  async insertEntries(entries: readonly PointsLedgerRow[]): Promise<void> {
    if (entries.length === 0) return;
    const [sql, params] = ledger.insert(entries);
    await this.db.write(sql, params);
  }

  async insertLots(rows: readonly PointsLotRow[]): Promise<void> {
    if (rows.length === 0) return;
    const [sql, params] = lots.insert(rows);
    await this.db.write(sql, params);
  }

  /**
   * Takes the given amounts from lots in one statement, each only if the lot still holds it;
   * returns whether every lot gave its share.
   */
  async takeFromLots(takes: readonly { lotId: string; amount: number }[]): Promise<boolean> {
    if (takes.length === 0) return true;
    const cases = takes.map(() => 'WHEN ? THEN ?').join(' ');
    const caseParams = takes.flatMap((t) => [t.lotId, t.amount]);
    const ids = takes.map((t) => t.lotId);
    const changed = await this.db.execute(
      `UPDATE points_lots SET remaining = remaining - (CASE id ${cases} END)
       WHERE id IN (${Db.placeholders(ids.length)}) AND remaining >= (CASE id ${cases} END)`,
      [...caseParams, ...ids, ...caseParams],
    );
    return changed === takes.length;
  }

  /** Zeroes lapsed lots, each only if it still holds what was read; returns the lots it zeroed. */
  async zeroLots(due: readonly { id: string; remaining: number }[]): Promise<boolean> {
    if (due.length === 0) return true;
    const conditions = due.map(() => '(id = ? AND remaining = ?)').join(' OR ');
    const changed = await this.db.execute(
      `UPDATE points_lots SET remaining = 0 WHERE ${conditions}`,
      due.flatMap((l) => [l.id, l.remaining]),
    );
    return changed === due.length;
  }

  async insertAllocations(rows: readonly PointsAllocationRow[]): Promise<void> {
    if (rows.length === 0) return;
    const [sql, params] = allocations.insert(rows);
    await this.db.write(sql, params);
  }

  /** What a debit consumed, in the order it consumed it. */
  async allocationsOfDebit(memberId: string, debitSourceKey: string): Promise<PointsAllocationRow[]> {
    const rows = await this.db.rows(
      `SELECT ${allocations.select('a')} FROM points_allocations a JOIN points_ledger e ON e.id = a.ledger_id
       WHERE e.member_id = ? AND e.source_key = ? ORDER BY a.id`,
      [memberId, debitSourceKey],
    );
    return rows.map((r) => allocations.map(r));
  }

  async entryBySource(memberId: string, sourceKey: string): Promise<PointsLedgerRow | null> {
    const raw = await this.db.row(`SELECT ${ledger.select()} FROM points_ledger WHERE member_id = ? AND source_key = ?`, [memberId, sourceKey]);
    return raw ? ledger.map(raw) : null;
  }

  /** Entries whose source key starts with `prefix` (the pieces of a give-back), to replay them. */
  async entriesBySourcePrefix(memberId: string, prefix: string): Promise<PointsLedgerRow[]> {
    const raw = await this.db.rows(`SELECT ${ledger.select()} FROM points_ledger WHERE member_id = ? AND source_key LIKE ? ORDER BY id`, [
      memberId,
      `${prefix.replace(/[%_\\]/g, (c) => `\\${c}`)}%`,
    ]);
    return raw.map((r) => ledger.map(r));
  }

  /**
   * What a member has earned from the given reasons since `monthStart`, and of that since
   * `dayStart` (`dayStart` ≥ `monthStart`), in points and in growth: positive entries of both
   * ledgers, in one statement over their `(member_id, created_at)` indexes. Take-backs (negative
   * entries) are not subtracted: what was earned once stays counted.
   */
  async earnedSince(
    memberId: string,
    reasons: readonly string[],
    dayStart: Date,
    monthStart: Date,
  ): Promise<{ points: { day: number; month: number }; growth: { day: number; month: number } }> {
    const sums = (table: string) =>
      `SELECT COALESCE(SUM(delta), 0) AS month, COALESCE(SUM(CASE WHEN created_at >= ? THEN delta ELSE 0 END), 0) AS day
       FROM ${table} WHERE member_id = ? AND created_at >= ? AND delta > 0 AND reason IN (${Db.placeholders(reasons.length)})`;
    const params = [dayStart, memberId, monthStart, ...reasons];
    const raw = await this.db.row(
      `SELECT p.month AS pointsMonth, p.day AS pointsDay, g.month AS growthMonth, g.day AS growthDay
       FROM (${sums('points_ledger')}) p CROSS JOIN (${sums('growth_ledger')}) g`,
      [...params, ...params],
    );
    return {
      points: { day: numberOf(raw?.pointsDay), month: numberOf(raw?.pointsMonth) },
      growth: { day: numberOf(raw?.growthDay), month: numberOf(raw?.growthMonth) },
    };
  }

  /** A page of the ledger, newest first; `type` keeps 获得 (positive), 使用 (negative but expiry) or 过期 entries. */
  page(memberId: string, cursor: Cursor, limit: number, type?: PointsLedgerType) {
    const only =
      type === undefined ? '' : { earned: ' AND delta > 0', spent: " AND delta < 0 AND reason <> 'expire'", expired: " AND reason = 'expire'" }[type];
    return pageById(this.db, ledger, `member_id = ?${only}`, [memberId], cursor, limit);
  }

  async ledgerOf(memberId: string): Promise<PointsLedgerRow[]> {
    return (await this.db.rows(`SELECT ${ledger.select()} FROM points_ledger WHERE member_id = ? ORDER BY id`, [memberId])).map((r) => ledger.map(r));
  }
}

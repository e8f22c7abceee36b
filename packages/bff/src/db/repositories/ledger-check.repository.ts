import { numberOf, type Db } from '../db';

/** One member's stored figures beside what their ledgers and lots add up to. */
export interface MemberTotals {
  id: string;
  balance: number;
  ledgerSum: number;
  lotSum: number;
  negativeLots: number;
  growth: number;
  growthSum: number;
  /** The qualifying growth kept on the member, and the sum of their growth entries after qualifying_aged_to. */
  qualifying: number;
  qualifyingSum: number;
  /** qualifying_aged_to is not set: the qualifying growth cannot be right. */
  agedToMissing: boolean;
}

/**
 * The ledger invariant check's reads: a page of members (by id) with the sums of their points
 * ledger, lot remainders, growth ledger and the growth entries still counting towards their
 * qualifying growth (created after qualifying_aged_to), in one statement, so the figures of each
 * member come from one consistent snapshot. Each sum reads one member's rows through its member index; the
 * whole table is never loaded at once.
 */
export class LedgerCheckRepository {
  constructor(private readonly db: Db) {}

  async totalsAfter(afterId: string, limit: number): Promise<MemberTotals[]> {
    const rows = await this.db.rows(
      `SELECT m.id AS id, m.points_balance AS balance, m.growth AS growth, m.qualifying_growth AS qualifying,
         CASE WHEN m.qualifying_aged_to IS NULL THEN 1 ELSE 0 END AS agedToMissing,
         (SELECT COALESCE(SUM(e.delta), 0) FROM points_ledger e WHERE e.member_id = m.id) AS ledgerSum,
         (SELECT COALESCE(SUM(l.remaining), 0) FROM points_lots l WHERE l.member_id = m.id) AS lotSum,
         (SELECT COUNT(*) FROM points_lots l WHERE l.member_id = m.id AND l.remaining < 0) AS negativeLots,
         (SELECT COALESCE(SUM(g.delta), 0) FROM growth_ledger g WHERE g.member_id = m.id) AS growthSum,
         (SELECT COALESCE(SUM(g.delta), 0) FROM growth_ledger g WHERE g.member_id = m.id AND g.created_at > m.qualifying_aged_to) AS qualifyingSum
       FROM members m WHERE m.id > ? ORDER BY m.id LIMIT ${Math.trunc(limit)}`,
      [afterId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      balance: numberOf(r.balance),
      ledgerSum: numberOf(r.ledgerSum),
      lotSum: numberOf(r.lotSum),
      negativeLots: numberOf(r.negativeLots),
      growth: numberOf(r.growth),
      growthSum: numberOf(r.growthSum),
      qualifying: numberOf(r.qualifying),
      qualifyingSum: numberOf(r.qualifyingSum),
      agedToMissing: numberOf(r.agedToMissing) !== 0,
    }));
  }
}

import type { DataSource } from 'typeorm';

const n = (v: unknown) => Number(v ?? 0);
// A DATETIME read by raw SQL: a Date from mysql2, 'YYYY-MM-DD HH:MM:SS' text from SQLite.
const t = (v: unknown) => (v === null || v === undefined ? null : new Date(v instanceof Date ? v : `${(v as string).replace(' ', 'T')}Z`).getTime());

/**
 * The account invariants, for every member: balance = sum of the points ledger = the last
 * balanceAfter; max(balance, 0) = sum of lot remainders, none negative; growth = sum of the growth
 * ledger; and next_expiry_at is set and no later than the earliest live lot whenever one exists.
 */
export async function checkInvariants(dataSource: DataSource): Promise<void> {
  const rows: Record<string, unknown>[] = await dataSource.query(
    `SELECT m.id, m.points_balance AS balance, m.growth, m.next_expiry_at AS nextExpiry,
       (SELECT COALESCE(SUM(e.delta), 0) FROM points_ledger e WHERE e.member_id = m.id) AS ledgerSum,
       (SELECT e.balance_after FROM points_ledger e WHERE e.member_id = m.id ORDER BY e.id DESC LIMIT 1) AS lastAfter,
       (SELECT COALESCE(SUM(l.remaining), 0) FROM points_lots l WHERE l.member_id = m.id) AS lotSum,
       (SELECT COALESCE(MIN(l.remaining), 0) FROM points_lots l WHERE l.member_id = m.id) AS lotMin,
       (SELECT MIN(l.expires_at) FROM points_lots l WHERE l.member_id = m.id AND l.remaining > 0) AS firstExpiry,
       (SELECT COALESCE(SUM(g.delta), 0) FROM growth_ledger g WHERE g.member_id = m.id) AS growthSum
     FROM members m`,
  );
  for (const r of rows) {
    const balance = n(r.balance);
    const problems: string[] = [];
    if (n(r.ledgerSum) !== balance) problems.push(`ledger sum ${n(r.ledgerSum)} ≠ balance ${balance}`);
    if (r.lastAfter !== null && r.lastAfter !== undefined && n(r.lastAfter) !== balance)
      problems.push(`last balanceAfter ${n(r.lastAfter)} ≠ balance ${balance}`);
    if (n(r.lotSum) !== Math.max(balance, 0)) problems.push(`lot remainders ${n(r.lotSum)} ≠ max(balance, 0) ${Math.max(balance, 0)}`);
    if (n(r.lotMin) < 0) problems.push('a lot has a negative remainder');
    if (n(r.growthSum) !== n(r.growth)) problems.push(`growth ledger sum ${n(r.growthSum)} ≠ growth ${n(r.growth)}`);
    const first = t(r.firstExpiry);
    const next = t(r.nextExpiry);
    if (first !== null && (next === null || next > first))
      problems.push(`next_expiry_at ${String(r.nextExpiry)} is later than the earliest live lot ${String(r.firstExpiry)}`);
    if (problems.length) throw new Error(`account invariants broken for member ${String(r.id)}: ${problems.join('; ')}`);
  }
}

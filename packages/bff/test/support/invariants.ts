import type { DataSource } from 'typeorm';

const n = (v: unknown) => Number(v ?? 0);
// A DATETIME read by raw SQL: a Date from mysql2, 'YYYY-MM-DD HH:MM:SS' text from SQLite.
const t = (v: unknown) => (v === null || v === undefined ? null : new Date(v instanceof Date ? v : `${(v as string).replace(' ', 'T')}Z`).getTime());

/**
 * The account invariants, for every member: balance = sum of the points ledger = the last
 * balanceAfter; max(balance, 0) = sum of lot remainders, none negative; growth = sum of the growth
 * ledger; qualifying growth = sum of the growth entries created after qualifying_aged_to, exactly
 * (negative reversals included), with qualifying_ages_at no later than the first of them leaves the
 * trailing window; next_expiry_at is set and no later than the earliest live lot whenever one exists;
 * and the member row's latest check-in (day and streak) is the latest row of `checkins`.
 */
export async function checkInvariants(dataSource: DataSource, trailingDays: number): Promise<void> {
  const rows: Record<string, unknown>[] = await dataSource.query(
    `SELECT m.id, m.points_balance AS balance, m.growth, m.next_expiry_at AS nextExpiry,
       (SELECT COALESCE(SUM(e.delta), 0) FROM points_ledger e WHERE e.member_id = m.id) AS ledgerSum,
       (SELECT e.balance_after FROM points_ledger e WHERE e.member_id = m.id ORDER BY e.id DESC LIMIT 1) AS lastAfter,
       (SELECT COALESCE(SUM(l.remaining), 0) FROM points_lots l WHERE l.member_id = m.id) AS lotSum,
       (SELECT COALESCE(MIN(l.remaining), 0) FROM points_lots l WHERE l.member_id = m.id) AS lotMin,
       (SELECT MIN(l.expires_at) FROM points_lots l WHERE l.member_id = m.id AND l.remaining > 0) AS firstExpiry,
       (SELECT COALESCE(SUM(g.delta), 0) FROM growth_ledger g WHERE g.member_id = m.id) AS growthSum,
       m.qualifying_growth AS qualifying, m.qualifying_aged_to AS agedTo, m.qualifying_ages_at AS agesAt,
       (SELECT COALESCE(SUM(g.delta), 0) FROM growth_ledger g WHERE g.member_id = m.id AND g.created_at > m.qualifying_aged_to) AS qualifyingSum,
       (SELECT MIN(g.created_at) FROM growth_ledger g WHERE g.member_id = m.id AND g.created_at > m.qualifying_aged_to) AS firstCounting,
       m.last_checkin_day AS checkinDay, m.checkin_streak AS checkinStreak,
       (SELECT MAX(k.day) FROM checkins k WHERE k.member_id = m.id) AS latestCheckinDay,
       (SELECT k.streak FROM checkins k WHERE k.member_id = m.id ORDER BY k.day DESC LIMIT 1) AS latestCheckinStreak
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
    if (r.agedTo === null || r.agedTo === undefined) problems.push('qualifying_aged_to is not set');
    if (n(r.qualifyingSum) !== n(r.qualifying))
      problems.push(`growth entries after qualifying_aged_to sum to ${n(r.qualifyingSum)} ≠ qualifying growth ${n(r.qualifying)}`);
    // The aging job finds a member by qualifying_ages_at: set whenever an entry counts, and never later than the first one's window end.
    const firstCounting = t(r.firstCounting);
    const agesAt = t(r.agesAt);
    if (firstCounting !== null && (agesAt === null || agesAt > firstCounting + trailingDays * 86_400_000))
      problems.push(`qualifying_ages_at ${String(r.agesAt)} is later than the first counting entry ${String(r.firstCounting)} leaves the window`);
    const first = t(r.firstExpiry);
    const next = t(r.nextExpiry);
    if (first !== null && (next === null || next > first))
      problems.push(`next_expiry_at ${String(r.nextExpiry)} is later than the earliest live lot ${String(r.firstExpiry)}`);
    // Never checked in: no day and a streak of 0 on the row.
    const checkin = (d: unknown, streak: unknown) =>
      typeof d === 'string' ? `${d} streak ${n(streak)}` : n(streak) === 0 ? null : `no day, streak ${n(streak)}`;
    const latest = checkin(r.latestCheckinDay, r.latestCheckinStreak);
    const kept = checkin(r.checkinDay, r.checkinStreak);
    if (latest !== kept) problems.push(`the member row's latest check-in ${String(kept)} ≠ the latest in checkins ${String(latest)}`);
    if (problems.length) throw new Error(`account invariants broken for member ${String(r.id)}: ${problems.join('; ')}`);
  }
}

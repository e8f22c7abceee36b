import { randomInt } from 'node:crypto';
import { businessDate } from '@member/shared';
import { Db, numberOf } from '../db';

/** The day of the metrics that have none (the current tier counts, the `built` marker). */
export const NO_DAY = '0000-00-00';
/** Rows per (metric, day): a write picks one at random, so concurrent writers rarely wait on each other. */
export const SHARDS = 8;
/** Invitations whose invitee ordered (rewarded or not): what the summary counts as converted. */
export const CONVERTED_REFERRALS: readonly string[] = ['ordered', 'rewarded', 'held', 'capped'];

/**
 * The counters, each a signed count per business day (or NO_DAY):
 * - `registered`: active members by their registration day (+1 on registering, −1 on erasure);
 * - `tier:<code>`: active members at a tier now (NO_DAY);
 * - `active_last`: members by their last active day (their latest ledger entry other than an expiry);
 * - `checkin_last`: members by their last check-in day;
 * - `coupons_used`: coupons used now, by their issue day;
 * - `referrals_converted`: invitations converted now (CONVERTED_REFERRALS), by their registration day;
 * - `redemptions_cancelled`, `redemption_cancelled_points`: cancelled redemptions and their points, by their creation day;
 * - `built` (NO_DAY): 1 once a recount built the counters of the data already there.
 */
export type CounterMetric =
  | 'registered'
  | 'active_last'
  | 'checkin_last'
  | 'coupons_used'
  | 'referrals_converted'
  | 'redemptions_cancelled'
  | 'redemption_cancelled_points'
  | `tier:${string}`;

export interface CounterDelta {
  metric: CounterMetric;
  day: string;
  n: number;
}

/** A range of days of one metric, to sum (`from`/`to` inclusive; either may be open). */
export interface CounterRange {
  metric: CounterMetric;
  from?: string;
  to?: string;
}

const BUILT = 'built';
const key = (metric: string, day: string) => `${metric}|${day}`;

/**
 * The KPI summary's pre-aggregated counters (`report_counters`): what the summary would otherwise
 * count from the big tables (members by status and tier, distinct active members…), kept exact by
 * the use cases that change it, in their own transaction. A use case `add`s its changes as it makes
 * them; they are summed per (metric, day) and written in ONE statement just before the transaction
 * commits (`Db.beforeCommit`, sent together with the COMMIT), each row to a random shard: an upsert adding to the count, so the
 * counter rows are the last locks a transaction takes, in key order, held only for its commit.
 *
 * `recount` computes every counter from the tables (the reference the ledger check compares with),
 * and `rebuild` replaces the counters (and `members.last_active_at`) with it in one transaction.
 * Instants are grouped in SQL by UTC quarter-hour and folded into business days here, with the
 * configured zone (every zone's offset is a whole number of quarter-hours).
 */
export class ReportCounterRepository {
  private readonly pending = new WeakMap<object, Map<string, CounterDelta>>();

  constructor(private readonly db: Db) {}

  /**
   * Counts changes made by the running transaction: written with it, just before its COMMIT, or
   * dropped with its rollback. Add them once the change they count has been made.
   */
  add(deltas: readonly CounterDelta[]): void {
    const em = this.db.transactionScope;
    if (!em) throw new Error('report counters move only inside the transaction of the change they count');
    const moving = deltas.filter((d) => d.n !== 0);
    if (moving.length === 0) return;
    let batch = this.pending.get(em);
    if (!batch) {
      const fresh = new Map<string, CounterDelta>();
      batch = fresh;
      this.pending.set(em, fresh);
      this.db.beforeCommit(async () => {
        this.pending.delete(em);
        await this.write([...fresh.values()]);
      });
    }
    for (const d of moving) {
      const k = key(d.metric, d.day);
      const prior = batch.get(k);
      batch.set(k, { metric: d.metric, day: d.day, n: (prior?.n ?? 0) + d.n });
    }
  }

  /** One upsert for every (metric, day) that moved, in key order, each to a random shard. */
  private async write(deltas: readonly CounterDelta[]): Promise<void> {
    const rows = deltas.filter((d) => d.n !== 0).sort((a, b) => (key(a.metric, a.day) < key(b.metric, b.day) ? -1 : 1));
    if (rows.length === 0) return;
    const values = rows.map(() => '(?, ?, ?, ?)').join(', ');
    const params = rows.flatMap((r) => [r.metric, r.day, randomInt(SHARDS), r.n]);
    const insert = `INSERT INTO report_counters (metric, day, shard, n) VALUES ${values}`;
    // Sent with the COMMIT (Db.write): the counters cost the transaction no round trip of their own.
    await this.db.write(
      this.db.dialect === 'mysql'
        ? `${insert} ON DUPLICATE KEY UPDATE n = n + VALUES(n)`
        : `${insert} ON CONFLICT (metric, day, shard) DO UPDATE SET n = n + excluded.n`,
      params,
    );
  }

  /**
   * The sums of the given ranges (in their order) and the current tier counts, in one statement:
   * each part a range on the primary key, so it reads O(days × shards) rows whatever the tables hold.
   */
  async sums(ranges: readonly CounterRange[]): Promise<{ sums: number[]; tiers: Map<string, number> }> {
    const parts: string[] = [];
    const params: unknown[] = [];
    ranges.forEach((r, i) => {
      let where = 'metric = ?';
      params.push(`${i}`, r.metric);
      if (r.from !== undefined) {
        where += ' AND day >= ?';
        params.push(r.from);
      }
      if (r.to !== undefined) {
        where += ' AND day <= ?';
        params.push(r.to);
      }
      parts.push(`SELECT ? AS k, SUM(n) AS n FROM report_counters WHERE ${where}`);
    });
    parts.push(`SELECT metric AS k, SUM(n) AS n FROM report_counters WHERE metric LIKE 'tier:%' AND day = ? GROUP BY metric`);
    params.push(NO_DAY);
    const rows = await this.db.rows(parts.join(' UNION ALL '), params);
    const sums = ranges.map(() => 0);
    const tiers = new Map<string, number>();
    for (const r of rows) {
      const k = String(r.k);
      if (k.startsWith('tier:')) tiers.set(k.slice('tier:'.length), numberOf(r.n));
      else sums[Number(k)] = numberOf(r.n);
    }
    return { sums, tiers };
  }

  /** Every counter as stored, summed over its shards (zeros left out), keyed `metric|day`. */
  async stored(): Promise<Map<string, number>> {
    const rows = await this.db.rows(`SELECT metric, day, SUM(n) AS n FROM report_counters WHERE metric <> ? GROUP BY metric, day`, [BUILT]);
    const out = new Map<string, number>();
    for (const r of rows) if (numberOf(r.n) !== 0) out.set(key(String(r.metric), String(r.day)), numberOf(r.n));
    return out;
  }

  /** Whether a recount built the counters (the `built` marker row is there). */
  async built(): Promise<boolean> {
    return (await this.db.row('SELECT n FROM report_counters WHERE metric = ? AND day = ?', [BUILT, NO_DAY])) !== null;
  }

  /**
   * Every counter computed from the tables (zeros left out), keyed `metric|day`: the reference the
   * stored counters must equal. Reads whole tables (grouped in SQL): for the recount and the ledger
   * check, never for the summary.
   */
  async recount(timeZone: string, opts: { lastActiveFromMembers?: boolean } = {}): Promise<Map<string, number>> {
    const bucket = (col: string) =>
      this.db.dialect === 'mysql' ? `TIMESTAMPDIFF(MINUTE, '1970-01-01 00:00:00', ${col}) DIV 15` : `CAST(strftime('%s', ${col}) AS INTEGER) / 900`;
    const days = new Map<number, string>();
    const dayOf = (b: unknown) => {
      const q = numberOf(b);
      let d = days.get(q);
      if (d === undefined) {
        d = businessDate(new Date(q * 900_000), timeZone);
        days.set(q, d);
      }
      return d;
    };
    const out = new Map<string, number>();
    const count = (metric: string, day: string, n: unknown) => {
      const k = key(metric, day);
      out.set(k, (out.get(k) ?? 0) + numberOf(n));
    };
    const byBucket = async (metric: string, sql: string, params: unknown[] = []) => {
      for (const r of await this.db.rows(sql, params)) count(metric, dayOf(r.b), r.n);
    };
    const converted = Db.placeholders(CONVERTED_REFERRALS.length);

    await byBucket('registered', `SELECT ${bucket('registered_at')} AS b, COUNT(*) AS n FROM members WHERE status = 'active' GROUP BY b`);
    for (const r of await this.db.rows(`SELECT tier, COUNT(*) AS n FROM members WHERE status = 'active' GROUP BY tier`))
      count(`tier:${String(r.tier)}`, NO_DAY, r.n);
    await byBucket(
      'active_last',
      opts.lastActiveFromMembers
        ? // `last_active_at` was just recomputed from the ledger (rebuild): one pass over the members, not another over the ledger.
          `SELECT ${bucket('last_active_at')} AS b, COUNT(*) AS n FROM members WHERE last_active_at IS NOT NULL GROUP BY b`
        : `SELECT ${bucket('x.t')} AS b, COUNT(*) AS n FROM (SELECT MAX(created_at) AS t FROM points_ledger WHERE reason <> 'expire' GROUP BY member_id) x GROUP BY b`,
    );
    for (const r of await this.db.rows(`SELECT x.d AS day, COUNT(*) AS n FROM (SELECT MAX(day) AS d FROM checkins GROUP BY member_id) x GROUP BY x.d`))
      count('checkin_last', String(r.day), r.n);
    await byBucket('coupons_used', `SELECT ${bucket('created_at')} AS b, COUNT(*) AS n FROM member_coupons WHERE status = 'used' GROUP BY b`);
    await byBucket('referrals_converted', `SELECT ${bucket('registered_at')} AS b, COUNT(*) AS n FROM referrals WHERE status IN (${converted}) GROUP BY b`, [
      ...CONVERTED_REFERRALS,
    ]);
    const cancelled = await this.db.rows(
      `SELECT ${bucket('created_at')} AS b, COUNT(*) AS n, SUM(points_spent) AS points FROM redemptions WHERE status = 'cancelled' GROUP BY b`,
    );
    for (const r of cancelled) {
      count('redemptions_cancelled', dayOf(r.b), r.n);
      count('redemption_cancelled_points', dayOf(r.b), r.points);
    }
    for (const [k, n] of out) if (n === 0) out.delete(k);
    return out;
  }

  /** Members whose `last_active_at` is not the instant of their latest ledger entry other than an expiry. */
  async lastActiveMismatches(): Promise<number> {
    const same = this.db.dialect === 'mysql' ? '<=>' : 'IS';
    const raw = await this.db.row(
      `SELECT COUNT(*) AS n FROM members m
       WHERE NOT (m.last_active_at ${same} (SELECT MAX(e.created_at) FROM points_ledger e WHERE e.member_id = m.id AND e.reason <> 'expire'))`,
    );
    return numberOf(raw?.n);
  }

  /**
   * Replaces every counter, and every member's `last_active_at`, with what the tables say, and sets
   * the `built` marker; in ONE transaction, the counters deleted first (their locks keep concurrent
   * use cases from adding to them until it commits). Returns how many counters it wrote.
   */
  async rebuild(timeZone: string): Promise<number> {
    return this.db.transaction(async () => {
      await this.db.execute('DELETE FROM report_counters');
      await this.db.execute(
        this.db.dialect === 'mysql'
          ? `UPDATE members m LEFT JOIN (SELECT member_id, MAX(created_at) AS t FROM points_ledger WHERE reason <> 'expire' GROUP BY member_id) x
               ON x.member_id = m.id SET m.last_active_at = x.t`
          : `UPDATE members SET last_active_at = (SELECT MAX(e.created_at) FROM points_ledger e WHERE e.member_id = members.id AND e.reason <> 'expire')`,
      );
      const counts = [...(await this.recount(timeZone, { lastActiveFromMembers: true }))].map(([k, n]) => {
        const at = k.lastIndexOf('|');
        return { metric: k.slice(0, at), day: k.slice(at + 1), n };
      });
      counts.push({ metric: BUILT, day: NO_DAY, n: 1 });
      for (let i = 0; i < counts.length; i += 500) {
        const chunk = counts.slice(i, i + 500);
        await this.db.execute(
          `INSERT INTO report_counters (metric, day, shard, n) VALUES ${chunk.map(() => '(?, ?, 0, ?)').join(', ')}`,
          chunk.flatMap((c) => [c.metric, c.day, c.n]),
        );
      }
      return counts.length - 1;
    });
  }
}

import type { Db } from '../db';
import { dateOrNull, numberOf } from '../db';
import { CampaignEntity, ReportDayEntity, type CampaignRow, type ReportDayRow } from '../entities';
import { tableOf } from '../table';

const campaigns = tableOf(CampaignEntity);

/** Points campaigns created by operators. */
export class CampaignRepository {
  constructor(private readonly db: Db) {}

  async all(): Promise<CampaignRow[]> {
    return (await this.db.rows(`SELECT ${campaigns.select()} FROM campaigns ORDER BY id`)).map((r) => campaigns.map(r));
  }

  /** Active campaigns (what earning applies, each on the days it runs). */
  async active(): Promise<CampaignRow[]> {
    return (await this.db.rows(`SELECT ${campaigns.select()} FROM campaigns WHERE active = 1 ORDER BY id`)).map((r) => campaigns.map(r));
  }

  async byId(id: string): Promise<CampaignRow | null> {
    const raw = await this.db.row(`SELECT ${campaigns.select()} FROM campaigns WHERE id = ?`, [id]);
    return raw ? campaigns.map(raw) : null;
  }

  /** Inserts a campaign; a taken code fails with a duplicate key. */
  async insert(row: CampaignRow): Promise<void> {
    const [sql, params] = campaigns.insert([row]);
    await this.db.execute(sql, params);
  }

  async update(id: string, changes: Partial<CampaignRow>): Promise<void> {
    const keys = Object.keys(changes) as (keyof CampaignRow)[];
    if (keys.length === 0) return;
    await this.db.execute(`UPDATE campaigns SET ${keys.map((k) => `${campaigns.col(k)} = ?`).join(', ')} WHERE id = ?`, [...keys.map((k) => changes[k]), id]);
  }
}

/**
 * A period ending before today, for the two distinct counts read from the tables: members active
 * since `activeSince` (the start of the 30 business days ending `toDay`) up to `to` (the end of
 * `toDay`), and members who checked in on `fromDay`…`toDay`.
 */
export interface PastPeriod {
  activeSince: Date;
  to: Date;
  fromDay: string;
  toDay: string;
}

/**
 * The figures that only ever grow with what happens on a day and never change once it is over
 * (rows only added, their counted columns never updated): what a day's rollup keeps.
 */
export type DayFigures = Omit<ReportDayRow, 'day' | 'until' | 'computedAt'>;

/**
 * Where a span of instants cuts through a day rather than starting or ending with it: check-ins
 * are counted by their day, so those of `fromDay` count only from `from` (`from: true`), those of
 * `toDay` only before `to` (`to: true`).
 */
export interface MidDay {
  from?: boolean;
  to?: boolean;
}

/** Give-backs (a refund or a cancelled redemption returning spent points): neither issued nor spent. */
const GIVE_BACKS = "('redeem_cancel', 'refund_return')";

const reportDays = tableOf(ReportDayEntity);
const DAY_COLUMNS: (keyof DayFigures)[] = [
  'pointsIssued',
  'pointsSpent',
  'pointsExpired',
  'couponsIssued',
  'checkins',
  'referralsInvited',
  'redemptions',
  'redemptionPoints',
];

/**
 * The operators' KPI summary's reads of the tables. Every statement is a range on an indexed
 * column, so none reads a whole table (migrations 1732720000000, 1732750000000 and 1732780000000):
 * the day figures over a span of instants (one day or the current day's first hours for the
 * rollup, or what no rollup covers yet), the rollups, and the distinct members of a period ending
 * before today. What depends on a row's current status, and the distinct members of a period
 * ending today or later, come from the counters (ReportCounterRepository), not from here.
 */
export class ReportRepository {
  constructor(private readonly db: Db) {}

  /**
   * The day figures of the instants [from, to), which lie on the business days `fromDay`…`toDay`:
   * whole days, or (`mid`) starting or ending inside one (the current day's rollup up to an
   * instant, the rest of that day live).
   */
  async dayFigures(from: Date, to: Date, fromDay: string, toDay: string, mid: MidDay = {}): Promise<DayFigures> {
    // Issued: credits other than give-backs; spent: debits other than expiry and refund
    // reversals (which take back what an order earned), less what give-backs returned.
    const points = await this.db.row(
      `SELECT
         SUM(CASE WHEN delta > 0 AND reason NOT IN ${GIVE_BACKS} THEN delta ELSE 0 END) AS issued,
         SUM(CASE WHEN delta < 0 AND reason NOT IN ('expire', 'refund') THEN -delta ELSE 0 END)
           - SUM(CASE WHEN delta > 0 AND reason IN ${GIVE_BACKS} THEN delta ELSE 0 END) AS spent,
         SUM(CASE WHEN reason = 'expire' THEN -delta ELSE 0 END) AS expired
       FROM points_ledger WHERE created_at >= ? AND created_at < ?`,
      [from, to],
    );
    const coupons = await this.db.row(`SELECT COUNT(*) AS n FROM member_coupons WHERE created_at >= ? AND created_at < ?`, [from, to]);
    // Each bound a range of (day, created_at): the part of a day cut by an instant is read alone.
    const lower = mid.from ? { sql: '(day > ? OR (day = ? AND created_at >= ?))', params: [fromDay, fromDay, from] } : { sql: 'day >= ?', params: [fromDay] };
    const upper = mid.to ? { sql: '(day < ? OR (day = ? AND created_at < ?))', params: [toDay, toDay, to] } : { sql: 'day <= ?', params: [toDay] };
    const checkins = await this.db.row(`SELECT COUNT(*) AS n FROM checkins WHERE ${lower.sql} AND ${upper.sql}`, [...lower.params, ...upper.params]);
    const referrals = await this.db.row(`SELECT COUNT(*) AS n FROM referrals WHERE registered_at >= ? AND registered_at < ?`, [from, to]);
    const mall = await this.db.row(`SELECT COUNT(*) AS n, SUM(points_spent) AS points FROM redemptions WHERE created_at >= ? AND created_at < ?`, [from, to]);
    return {
      pointsIssued: numberOf(points?.issued),
      pointsSpent: numberOf(points?.spent),
      pointsExpired: numberOf(points?.expired),
      couponsIssued: numberOf(coupons?.n),
      checkins: numberOf(checkins?.n),
      referralsInvited: numberOf(referrals?.n),
      redemptions: numberOf(mall?.n),
      redemptionPoints: numberOf(mall?.points),
    };
  }

  /** The rollups of `fromDay`…`toDay`, whole days' and the current day's up to an instant. */
  async rolledDays(fromDay: string, toDay: string): Promise<ReportDayRow[]> {
    if (fromDay > toDay) return [];
    return (await this.db.rows(`SELECT ${reportDays.select()} FROM report_days WHERE day >= ? AND day <= ? ORDER BY day`, [fromDay, toDay])).map((r) =>
      reportDays.map(r),
    );
  }

  /** Which of `fromDay`…`toDay` have a whole day's rollup (the days only). */
  async rolledDayNames(fromDay: string, toDay: string): Promise<Set<string>> {
    if (fromDay > toDay) return new Set();
    return new Set(
      (await this.db.rows(`SELECT day FROM report_days WHERE day >= ? AND day <= ? AND until_at IS NULL`, [fromDay, toDay])).map((r) => String(r.day)),
    );
  }

  /**
   * Writes a day's figures, replacing what an earlier run wrote (concurrent writers of one day and
   * instant write the same figures; an older run's row is still right for what it covers).
   */
  async upsertDay(row: ReportDayRow): Promise<void> {
    const [insert, params] = reportDays.insert([row]);
    const cols = [...DAY_COLUMNS.map((k) => reportDays.col(k)), reportDays.col('until'), reportDays.col('computedAt')];
    const sql =
      this.db.dialect === 'mysql'
        ? `${insert} ON DUPLICATE KEY UPDATE ${cols.map((c) => `${c} = VALUES(${c})`).join(', ')}`
        : `${insert} ON CONFLICT (day) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}`;
    await this.db.execute(sql, params);
  }

  /** The earliest instant anything the day figures count happened (each a MIN over an index), or null. */
  async earliestActivity(): Promise<{ at: Date | null; day: string | null }> {
    const r = await this.db.row(
      `SELECT (SELECT MIN(created_at) FROM points_ledger) AS ledger, (SELECT MIN(created_at) FROM member_coupons) AS coupons,
         (SELECT MIN(registered_at) FROM referrals) AS referrals, (SELECT MIN(created_at) FROM redemptions) AS redemptions,
         (SELECT MIN(day) FROM checkins) AS checkin_day`,
    );
    const instants = [r?.ledger, r?.coupons, r?.referrals, r?.redemptions].map(dateOrNull).filter((d): d is Date => d !== null);
    const at = instants.length ? new Date(Math.min(...instants.map((d) => d.getTime()))) : null;
    const day = typeof r?.checkin_day === 'string' ? r.checkin_day : null;
    return { at, day };
  }

  /**
   * The distinct members of a period that ended before today (the counters answer these exactly
   * only for periods ending today or later): active ones (a ledger entry other than an expiry) and
   * those who checked in. Each a COUNT(DISTINCT) over a range of an index, on a pooled connection
   * of its own, side by side.
   */
  async distinctMembers(p: PastPeriod): Promise<{ active: number; checkedIn: number }> {
    const [active, checkins] = await Promise.all([
      this.db.row(`SELECT COUNT(DISTINCT member_id) AS n FROM points_ledger WHERE created_at >= ? AND created_at < ? AND reason <> 'expire'`, [
        p.activeSince,
        p.to,
      ]),
      this.db.row(`SELECT COUNT(DISTINCT member_id) AS n FROM checkins WHERE day >= ? AND day <= ?`, [p.fromDay, p.toDay]),
    ]);
    return { active: numberOf(active?.n), checkedIn: numberOf(checkins?.n) };
  }
}

import type { Db } from '../db';
import { numberOf } from '../db';
import { CampaignEntity, type CampaignRow } from '../entities';
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

/** The period a summary covers: instants [from, to) and the same business days `fromDay`…`toDay`. */
export interface ReportPeriod {
  from: Date;
  to: Date;
  fromDay: string;
  toDay: string;
  /** Start of the 30 days before `to` (members active in the last 30 days). */
  activeSince: Date;
}

export interface ReportFigures {
  members: { total: number; new: number; active30d: number };
  tiers: { code: string; members: number }[];
  points: { issued: number; spent: number; expired: number };
  coupons: { issued: number; used: number };
  checkins: { checkins: number; members: number };
  referrals: { invited: number; converted: number };
  mall: { redemptions: number; cancelled: number; pointsSpent: number };
}

/** Give-backs (a refund or a cancelled redemption returning spent points): neither issued nor spent. */
const GIVE_BACKS = "('redeem_cancel', 'refund_return')";

/**
 * The operators' KPI summary. Every statement is a range on an indexed time column (or the
 * members' status) answered from a covering index, so none reads a whole table: see the indexes
 * of migration 1732720000000.
 */
export class ReportRepository {
  constructor(private readonly db: Db) {}

  async summary(p: ReportPeriod): Promise<ReportFigures> {
    const members = await this.db.row(
      `SELECT COUNT(*) AS total, SUM(CASE WHEN registered_at >= ? THEN 1 ELSE 0 END) AS fresh
       FROM members WHERE status = 'active' AND registered_at < ?`,
      [p.from, p.to],
    );
    const tiers = await this.db.rows(`SELECT tier, COUNT(*) AS n FROM members WHERE status = 'active' GROUP BY tier`);
    const active = await this.db.row(
      `SELECT COUNT(DISTINCT member_id) AS n FROM points_ledger WHERE created_at >= ? AND created_at < ? AND reason <> 'expire'`,
      [p.activeSince, p.to],
    );
    // Issued: credits other than give-backs; spent: debits other than expiry and refund
    // reversals (which take back what an order earned), less what give-backs returned.
    const points = await this.db.row(
      `SELECT
         SUM(CASE WHEN delta > 0 AND reason NOT IN ${GIVE_BACKS} THEN delta ELSE 0 END) AS issued,
         SUM(CASE WHEN delta < 0 AND reason NOT IN ('expire', 'refund') THEN -delta ELSE 0 END)
           - SUM(CASE WHEN delta > 0 AND reason IN ${GIVE_BACKS} THEN delta ELSE 0 END) AS spent,
         SUM(CASE WHEN reason = 'expire' THEN -delta ELSE 0 END) AS expired
       FROM points_ledger WHERE created_at >= ? AND created_at < ?`,
      [p.from, p.to],
    );
    const coupons = await this.db.row(
      `SELECT COUNT(*) AS issued, SUM(CASE WHEN status = 'used' THEN 1 ELSE 0 END) AS used
       FROM member_coupons WHERE created_at >= ? AND created_at < ?`,
      [p.from, p.to],
    );
    const checkins = await this.db.row(`SELECT COUNT(*) AS n, COUNT(DISTINCT member_id) AS members FROM checkins WHERE day >= ? AND day <= ?`, [
      p.fromDay,
      p.toDay,
    ]);
    const referrals = await this.db.row(
      `SELECT COUNT(*) AS invited, SUM(CASE WHEN status IN ('ordered', 'rewarded', 'held', 'capped') THEN 1 ELSE 0 END) AS converted
       FROM referrals WHERE registered_at >= ? AND registered_at < ?`,
      [p.from, p.to],
    );
    const mall = await this.db.row(
      `SELECT COUNT(*) AS n, SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
         SUM(CASE WHEN status <> 'cancelled' THEN points_spent ELSE 0 END) AS points
       FROM redemptions WHERE created_at >= ? AND created_at < ?`,
      [p.from, p.to],
    );
    return {
      members: { total: numberOf(members?.total), new: numberOf(members?.fresh), active30d: numberOf(active?.n) },
      tiers: tiers.map((r) => ({ code: String(r.tier), members: numberOf(r.n) })),
      points: { issued: numberOf(points?.issued), spent: numberOf(points?.spent), expired: numberOf(points?.expired) },
      coupons: { issued: numberOf(coupons?.issued), used: numberOf(coupons?.used) },
      checkins: { checkins: numberOf(checkins?.n), members: numberOf(checkins?.members) },
      referrals: { invited: numberOf(referrals?.invited), converted: numberOf(referrals?.converted) },
      mall: { redemptions: numberOf(mall?.n), cancelled: numberOf(mall?.cancelled), pointsSpent: numberOf(mall?.points) },
    };
  }
}

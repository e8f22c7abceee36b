import type { Db } from '../db';
import { dateOf } from '../db';

/** The members the occasion coupons (birthday, dormant wake-up) look for, read in id order for bounded batches. */
export class OccasionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Active members after `afterId` whose birthday falls in `month` ('MM') and who hold no coupon
   * of the event `sourceKey` (`birthday:<year>`).
   */
  async birthdayMembers(month: string, sourceKey: string, afterId: string, limit: number): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      `SELECT m.id AS id FROM members m
        WHERE m.id > ? AND m.status = 'active' AND m.birthday IS NOT NULL AND SUBSTR(m.birthday, 6, 2) = ?
          AND NOT EXISTS (SELECT 1 FROM member_coupons c WHERE c.member_id = m.id AND c.source_key = ?)
        ORDER BY m.id LIMIT ${Math.trunc(limit)}`,
      [afterId, month, sourceKey],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Active members after `afterId` with no order since `cutoff` (and registered before it) who
   * were not woken in this dormancy: no `dormant:` coupon issued since their last order (or since
   * they joined, if they never ordered).
   */
  async dormantMembers(cutoff: Date, afterId: string, limit: number): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      `SELECT m.id AS id FROM members m
        WHERE m.id > ? AND m.status = 'active' AND m.registered_at <= ?
          AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id AND o.created_at > ?)
          AND NOT EXISTS (
            SELECT 1 FROM member_coupons c
             WHERE c.member_id = m.id AND c.source_key LIKE 'dormant:%'
               AND c.created_at >= COALESCE((SELECT MAX(o2.created_at) FROM orders o2 WHERE o2.member_id = m.id), m.registered_at))
        ORDER BY m.id LIMIT ${Math.trunc(limit)}`,
      [afterId, cutoff, cutoff],
    );
    return rows.map((r) => r.id);
  }

  /** The member's latest counter order (what a dormancy is counted from). */
  async lastOrder(memberId: string): Promise<{ id: string; createdAt: Date } | null> {
    const r = await this.db.row<{ id: string; createdAt: unknown }>(
      'SELECT id, created_at AS createdAt FROM orders WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT 1',
      [memberId],
    );
    return r ? { id: r.id, createdAt: dateOf(r.createdAt) } : null;
  }
}

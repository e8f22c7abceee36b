import type { Db } from '../db';
import { CheckinEntity, OrderEntity, ReviewEntity, type CheckinRow, type OrderRow, type ReviewRow } from '../entities';
import { tableOf } from '../table';

const checkins = tableOf(CheckinEntity);
const reviews = tableOf(ReviewEntity);
const orders = tableOf(OrderEntity);

/**
 * Check-ins and reviews. Both are written under the member's row lock by their services; the
 * unique keys (`member_id, day` and `order_id`) are what refuse a second one.
 */
export class EngagementRepository {
  constructor(private readonly db: Db) {}

  /**
   * Inserts a check-in (a second one of the member on the same day fails with a duplicate key) and
   * makes it the member row's latest (`last_checkin_day`, `checkin_streak`), under the row lock the
   * caller holds. The member row's copy is what the card reads; the streak itself is always
   * continued from `checkins` (see CheckinService).
   */
  async insertCheckin(row: CheckinRow): Promise<void> {
    const [sql, params] = checkins.insert([row]);
    await this.db.execute(sql, params);
    await this.db.write('UPDATE members SET last_checkin_day = ?, checkin_streak = ? WHERE id = ? AND (last_checkin_day IS NULL OR last_checkin_day < ?)', [
      row.day,
      row.streak,
      row.memberId,
      row.day,
    ]);
  }

  /** The member's latest check-in (the streak continues from it), by the unique index. */
  async lastCheckin(memberId: string): Promise<CheckinRow | null> {
    const raw = await this.db.row(`SELECT ${checkins.select()} FROM checkins WHERE member_id = ? ORDER BY day DESC LIMIT 1`, [memberId]);
    return raw ? checkins.map(raw) : null;
  }

  /** The member's check-ins from `from` to `to` (business days, both included), ascending. */
  async checkinsBetween(memberId: string, from: string, to: string): Promise<CheckinRow[]> {
    const rows = await this.db.rows(`SELECT ${checkins.select()} FROM checkins WHERE member_id = ? AND day >= ? AND day <= ? ORDER BY day`, [
      memberId,
      from,
      to,
    ]);
    return rows.map((r) => checkins.map(r));
  }

  async checkinsOf(memberId: string): Promise<CheckinRow[]> {
    return (await this.db.rows(`SELECT ${checkins.select()} FROM checkins WHERE member_id = ? ORDER BY day`, [memberId])).map((r) => checkins.map(r));
  }

  /** Records what a check-in actually credited, when the caps took something off. */
  async setCheckinReward(id: string, points: number, growth: number): Promise<void> {
    await this.db.execute('UPDATE checkins SET points = ?, growth = ? WHERE id = ?', [points, growth, id]);
  }

  /** One of the member's orders (null for another member's) and whether it has a review. */
  async orderForReview(memberId: string, orderId: string): Promise<(OrderRow & { reviewed: boolean }) | null> {
    const raw = await this.db.row(
      `SELECT ${orders.select('o')}, r.id AS reviewId FROM orders o LEFT JOIN reviews r ON r.order_id = o.id WHERE o.id = ? AND o.member_id = ?`,
      [orderId, memberId],
    );
    return raw ? { ...orders.map(raw), reviewed: raw.reviewId !== null && raw.reviewId !== undefined } : null;
  }

  /** Inserts a review; a second review of the same order fails with a duplicate key. */
  async insertReview(row: ReviewRow): Promise<void> {
    const [sql, params] = reviews.insert([row]);
    await this.db.execute(sql, params);
  }

  async setReviewReward(id: string, points: number, growth: number): Promise<void> {
    await this.db.execute('UPDATE reviews SET points = ?, growth = ? WHERE id = ?', [points, growth, id]);
  }

  async reviewsOf(memberId: string): Promise<ReviewRow[]> {
    return (await this.db.rows(`SELECT ${reviews.select()} FROM reviews WHERE member_id = ? ORDER BY id`, [memberId])).map((r) => reviews.map(r));
  }

  /** Erasure: review comments are the member's own words; stars and tags stay, anonymous. */
  async eraseReviewComments(memberId: string): Promise<void> {
    await this.db.execute('UPDATE reviews SET comment = NULL WHERE member_id = ?', [memberId]);
  }
}

import type { CouponView } from '@member/shared';
import { Db, numberOf } from '../db';
import { CouponTemplateEntity, MemberCouponEntity, type CouponTemplateRow, type MemberCouponRow } from '../entities';
import { tableOf } from '../table';

const templates = tableOf(CouponTemplateEntity);
const coupons = tableOf(MemberCouponEntity);

/** A coupon is free to take when available, or locked by this counter, or its lock has lapsed. */
const CLAIMABLE = "(status = 'available' OR (status = 'locked' AND (lock_ref = ? OR locked_until <= ?)))";

/** Coupon templates and the coupons issued from them. */
export class CouponRepository {
  constructor(private readonly db: Db) {}

  async templateByCode(code: string): Promise<CouponTemplateRow | null> {
    const raw = await this.db.row(`SELECT ${templates.select()} FROM coupon_templates WHERE code = ?`, [code]);
    return raw ? templates.map(raw) : null;
  }

  async templateById(id: string): Promise<CouponTemplateRow | null> {
    const raw = await this.db.row(`SELECT ${templates.select()} FROM coupon_templates WHERE id = ?`, [id]);
    return raw ? templates.map(raw) : null;
  }

  async templatesByCodes(codes: readonly string[]): Promise<CouponTemplateRow[]> {
    if (codes.length === 0) return [];
    return (await this.db.rows(`SELECT ${templates.select()} FROM coupon_templates WHERE code IN (${Db.placeholders(codes.length)})`, codes)).map((r) =>
      templates.map(r),
    );
  }

  async allTemplates(): Promise<CouponTemplateRow[]> {
    return (await this.db.rows(`SELECT ${templates.select()} FROM coupon_templates ORDER BY code`)).map((r) => templates.map(r));
  }

  /** Inserts a template; a taken code fails with a duplicate key. */
  async insertTemplate(row: CouponTemplateRow): Promise<void> {
    const [sql, params] = templates.insert([row]);
    await this.db.execute(sql, params);
  }

  async updateTemplate(id: string, changes: Partial<CouponTemplateRow>): Promise<void> {
    const keys = Object.keys(changes) as (keyof CouponTemplateRow)[];
    if (keys.length === 0) return;
    await this.db.execute(`UPDATE coupon_templates SET ${keys.map((k) => `${templates.col(k)} = ?`).join(', ')} WHERE id = ?`, [
      ...keys.map((k) => changes[k]),
      id,
    ]);
  }

  /** Counts `n` more coupons issued from a template, only if its stock allows; false when sold out. */
  async takeTemplateStock(id: string, n: number): Promise<boolean> {
    return await this.db.changedOne(
      'UPDATE coupon_templates SET issued_count = issued_count + ? WHERE id = ? AND (total_stock IS NULL OR issued_count + ? <= total_stock)',
      [n, id, n],
    );
  }

  async countHeld(memberId: string, templateId: string): Promise<number> {
    const raw = await this.db.row('SELECT COUNT(*) AS n FROM member_coupons WHERE member_id = ? AND template_id = ?', [memberId, templateId]);
    return numberOf(raw?.n);
  }

  /** Inserts issued coupons (one statement); a repeated (member, sourceKey) fails with a duplicate key. */
  async insertCoupons(rows: readonly MemberCouponRow[]): Promise<void> {
    if (rows.length === 0) return;
    const [sql, params] = coupons.insert(rows);
    await this.db.execute(sql, params);
  }

  async bySource(memberId: string, sourceKey: string): Promise<MemberCouponRow | null> {
    const raw = await this.db.row(`SELECT ${coupons.select()} FROM member_coupons WHERE member_id = ? AND source_key = ?`, [memberId, sourceKey]);
    return raw ? coupons.map(raw) : null;
  }

  /** A coupon of this member (null for another member's: it does not exist for them). */
  async ofMember(memberId: string, couponId: string): Promise<MemberCouponRow | null> {
    const raw = await this.db.row(`SELECT ${coupons.select()} FROM member_coupons WHERE id = ? AND member_id = ?`, [couponId, memberId]);
    return raw ? coupons.map(raw) : null;
  }

  async byIds(ids: readonly string[]): Promise<MemberCouponRow[]> {
    if (ids.length === 0) return [];
    return (await this.db.rows(`SELECT ${coupons.select()} FROM member_coupons WHERE id IN (${Db.placeholders(ids.length)})`, ids)).map((r) => coupons.map(r));
  }

  /** A member's coupons as the wallet groups them; lapsed ones count as expired before the job marks them. */
  async list(memberId: string, view: CouponView, now: Date): Promise<MemberCouponRow[]> {
    const where =
      view === 'used'
        ? "status = 'used'"
        : view === 'available'
          ? "status IN ('available', 'locked') AND valid_to > ?"
          : "(status = 'expired' OR (status IN ('available', 'locked') AND valid_to <= ?))";
    const order = view === 'available' ? 'valid_to ASC, id ASC' : 'valid_to DESC, id ASC';
    const params = view === 'used' ? [memberId] : [memberId, now];
    return (await this.db.rows(`SELECT ${coupons.select()} FROM member_coupons WHERE member_id = ? AND ${where} ORDER BY ${order}`, params)).map((r) =>
      coupons.map(r),
    );
  }

  async allOf(memberId: string): Promise<MemberCouponRow[]> {
    return (await this.db.rows(`SELECT ${coupons.select()} FROM member_coupons WHERE member_id = ? ORDER BY id`, [memberId])).map((r) => coupons.map(r));
  }

  /** Reserves a coupon for a counter until `until`, if it is claimable and valid; false otherwise. */
  async lock(memberId: string, couponId: string, lockRef: string, until: Date, now: Date): Promise<boolean> {
    return await this.db.changedOne(
      `UPDATE member_coupons SET status = 'locked', lock_ref = ?, locked_until = ? WHERE id = ? AND member_id = ? AND valid_to > ? AND ${CLAIMABLE}`,
      [lockRef, until, couponId, memberId, now, lockRef, now],
    );
  }

  /** Marks a claimable, valid coupon used by an order; false otherwise. */
  async use(memberId: string, couponId: string, orderId: string, lockRef: string, now: Date): Promise<boolean> {
    return await this.db.changedOne(
      `UPDATE member_coupons SET status = 'used', used_order_id = ?, used_at = ?, lock_ref = NULL, locked_until = NULL
         WHERE id = ? AND member_id = ? AND valid_to > ? AND ${CLAIMABLE}`,
      [orderId, now, couponId, memberId, now, lockRef, now],
    );
  }

  /**
   * Gives a coupon used by an order back: available if still valid, else expired. `changed` when it
   * was used by that order (and no longer is), `available` when it is available again.
   */
  async restore(couponId: string, orderId: string, now: Date): Promise<{ changed: boolean; available: boolean }> {
    const back = await this.db.changedOne(
      "UPDATE member_coupons SET status = 'available', used_order_id = NULL, used_at = NULL WHERE id = ? AND status = 'used' AND used_order_id = ? AND valid_to > ?",
      [couponId, orderId, now],
    );
    if (back) return { changed: true, available: true };
    const expired = await this.db.changedOne(
      "UPDATE member_coupons SET status = 'expired', used_order_id = NULL, used_at = NULL WHERE id = ? AND status = 'used' AND used_order_id = ?",
      [couponId, orderId],
    );
    return { changed: expired, available: false };
  }

  // ── jobs: coupon expiry and stale locks ───────────────────────────────────────────────────────

  /** Coupons past their validity still marked available or locked (a batch, by the status index). */
  async lapsedIds(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      `SELECT id FROM member_coupons WHERE status IN ('available', 'locked') AND valid_to <= ? ORDER BY valid_to, id LIMIT ${Math.trunc(limit)}`,
      [now],
    );
    return rows.map((r) => r.id);
  }

  /** Marks the given coupons expired, each only if it is still unspent and past its validity; returns how many. */
  async expire(ids: readonly string[], now: Date): Promise<number> {
    if (ids.length === 0) return 0;
    return await this.db.execute(
      `UPDATE member_coupons SET status = 'expired', lock_ref = NULL, locked_until = NULL
       WHERE id IN (${Db.placeholders(ids.length)}) AND status IN ('available', 'locked') AND valid_to <= ?`,
      [...ids, now],
    );
  }

  /** Still-valid coupons whose counter lock has lapsed (a quote nobody turned into an order). */
  async staleLockIds(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      `SELECT id FROM member_coupons WHERE status = 'locked' AND valid_to > ? AND locked_until <= ? ORDER BY locked_until, id LIMIT ${Math.trunc(limit)}`,
      [now, now],
    );
    return rows.map((r) => r.id);
  }

  /** Makes the given coupons available again, each only if its lock is still lapsed; returns how many. */
  async releaseLocks(ids: readonly string[], now: Date): Promise<number> {
    if (ids.length === 0) return 0;
    return await this.db.execute(
      `UPDATE member_coupons SET status = 'available', lock_ref = NULL, locked_until = NULL
       WHERE id IN (${Db.placeholders(ids.length)}) AND status = 'locked' AND valid_to > ? AND locked_until <= ?`,
      [...ids, now, now],
    );
  }
}

import { Db, numberOf } from '../db';
import { MallItemEntity, RedemptionEntity, type MallItemRow, type RedemptionRow } from '../entities';
import { tableOf } from '../table';

const items = tableOf(MallItemEntity);
const INT_MAX = 2_147_483_647;
const redemptions = tableOf(RedemptionEntity);

/** Points-mall items and redemptions. */
export class MallRepository {
  constructor(private readonly db: Db) {}

  async activeItems(): Promise<MallItemRow[]> {
    return (await this.db.rows(`SELECT ${items.select()} FROM mall_items WHERE active = 1 ORDER BY points_cost, id`)).map((r) => items.map(r));
  }

  async activeItem(id: string): Promise<MallItemRow | null> {
    const raw = await this.db.row(`SELECT ${items.select()} FROM mall_items WHERE id = ? AND active = 1`, [id]);
    return raw ? items.map(raw) : null;
  }

  /** An active item with how many of it the member already holds (not cancelled), in one statement. */
  async itemForRedemption(itemId: string, memberId: string): Promise<(MallItemRow & { heldByMember: number }) | null> {
    const raw = await this.db.row(
      `SELECT ${items.select('i')},
        (SELECT COALESCE(SUM(r.quantity), 0) FROM redemptions r WHERE r.member_id = ? AND r.item_id = i.id AND r.status <> 'cancelled') AS heldByMember
       FROM mall_items i WHERE i.id = ? AND i.active = 1`,
      [memberId, itemId],
    );
    return raw ? { ...items.map(raw), heldByMember: numberOf(raw.heldByMember) } : null;
  }

  /** Takes stock only if there is enough; false when sold out. */
  async takeStock(itemId: string, quantity: number): Promise<boolean> {
    return await this.db.changedOne('UPDATE mall_items SET stock = stock - ? WHERE id = ? AND stock >= ?', [quantity, itemId, quantity]);
  }

  /** Moves stock by a delta (positive or negative) only while it stays within 0…max (the INT column's limit by default). */
  async moveStock(itemId: string, delta: number, max = INT_MAX): Promise<boolean> {
    return await this.db.changedOne('UPDATE mall_items SET stock = stock + ? WHERE id = ? AND stock + ? BETWEEN 0 AND ?', [delta, itemId, delta, max]);
  }

  /** Inserts a redemption; a pickup code already in use fails with a duplicate key. */
  async insertRedemption(row: RedemptionRow): Promise<void> {
    const [sql, params] = redemptions.insert([row]);
    await this.db.execute(sql, params);
  }

  async redemptionById(id: string): Promise<RedemptionRow | null> {
    const raw = await this.db.row(`SELECT ${redemptions.select()} FROM redemptions WHERE id = ?`, [id]);
    return raw ? redemptions.map(raw) : null;
  }

  /** A member's own redemption (null for another member's: it does not exist for them). */
  async redemptionOfMember(memberId: string, id: string): Promise<RedemptionRow | null> {
    const raw = await this.db.row(`SELECT ${redemptions.select()} FROM redemptions WHERE id = ? AND member_id = ?`, [id, memberId]);
    return raw ? redemptions.map(raw) : null;
  }

  async byPickupCode(code: string): Promise<RedemptionRow | null> {
    const raw = await this.db.row(`SELECT ${redemptions.select()} FROM redemptions WHERE pickup_code = ?`, [code]);
    return raw ? redemptions.map(raw) : null;
  }

  async ofMember(memberId: string, limit: number): Promise<RedemptionRow[]> {
    return (
      await this.db.rows(`SELECT ${redemptions.select()} FROM redemptions WHERE member_id = ? ORDER BY id DESC LIMIT ${Math.trunc(limit)}`, [memberId])
    ).map((r) => redemptions.map(r));
  }

  /** The titles of the member's own redemptions among `ids` (for the points history), by id. */
  async titlesOf(memberId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.rows(`SELECT id, title FROM redemptions WHERE member_id = ? AND id IN (${Db.placeholders(ids.length)})`, [memberId, ...ids]);
    return new Map(rows.map((r) => [String(r.id), String(r.title)]));
  }

  /** Every redemption of the member, oldest first (for their personal-data export). */
  async allOfMember(memberId: string): Promise<RedemptionRow[]> {
    return (await this.db.rows(`SELECT ${redemptions.select()} FROM redemptions WHERE member_id = ? ORDER BY id`, [memberId])).map((r) => redemptions.map(r));
  }

  /** awaiting_pickup → cancelled; false if it was not awaiting pickup. */
  async markCancelled(id: string, now: Date): Promise<boolean> {
    return await this.db.changedOne("UPDATE redemptions SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'awaiting_pickup'", [now, id]);
  }

  /** awaiting_pickup → fulfilled by a store's staff member; false if it was not awaiting pickup. */
  async markFulfilled(id: string, storeId: string, staffId: string, now: Date): Promise<boolean> {
    return await this.db.changedOne(
      "UPDATE redemptions SET status = 'fulfilled', fulfilled_at = ?, fulfilled_store_id = ?, fulfilled_by = ? WHERE id = ? AND status = 'awaiting_pickup'",
      [now, storeId, staffId, id],
    );
  }

  // ── the operators' catalogue ──────────────────────────────────────────────────────────────

  async allItems(): Promise<MallItemRow[]> {
    return (await this.db.rows(`SELECT ${items.select()} FROM mall_items ORDER BY id`)).map((r) => items.map(r));
  }

  async itemById(id: string): Promise<MallItemRow | null> {
    const raw = await this.db.row(`SELECT ${items.select()} FROM mall_items WHERE id = ?`, [id]);
    return raw ? items.map(raw) : null;
  }

  async insertItem(row: MallItemRow): Promise<void> {
    const [sql, params] = items.insert([row]);
    await this.db.execute(sql, params);
  }

  async updateItem(id: string, changes: Partial<MallItemRow>): Promise<void> {
    const keys = Object.keys(changes) as (keyof MallItemRow)[];
    if (keys.length === 0) return;
    await this.db.execute(`UPDATE mall_items SET ${keys.map((k) => `${items.col(k)} = ?`).join(', ')} WHERE id = ?`, [...keys.map((k) => changes[k]), id]);
  }
}

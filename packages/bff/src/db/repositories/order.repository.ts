import { Db, numberOf } from '../db';
import { OrderEntity, RefundEntity, ReviewEntity, StoreEntity, type OrderRow, type RefundRow, type ReviewRow } from '../entities';
import { tableOf } from '../table';

const orders = tableOf(OrderEntity);
const refunds = tableOf(RefundEntity);
const stores = tableOf(StoreEntity);
const reviews = tableOf(ReviewEntity);

/** What a refund moved, added to the order's running totals. */
export interface Reversal {
  pointsReversed: number;
  growthReversed: number;
  pointsReturned: number;
}

/** Counter orders (each also burns the code window it was paid with) and their refunds. */
export class OrderRepository {
  constructor(private readonly db: Db) {}

  /**
   * Inserts an order. Fails with a duplicate key when the receipt number was already used in the
   * store, or when the member's code window already paid (`UNIQUE(member_id, code_step)`): the
   * transaction fails there or at its next statement (`Db.write`), and the caller answers it.
   */
  async insert(order: OrderRow): Promise<void> {
    const [sql, params] = orders.insert([order]);
    await this.db.write(sql, params);
  }

  async byReceipt(storeId: string, receiptNo: string): Promise<OrderRow | null> {
    const raw = await this.db.row(`SELECT ${orders.select()} FROM orders WHERE store_id = ? AND receipt_no = ?`, [storeId, receiptNo]);
    return raw ? orders.map(raw) : null;
  }

  /** An order of a store (null for another store's: it does not exist for them). */
  async ofStore(storeId: string, id: string): Promise<OrderRow | null> {
    const raw = await this.db.row(`SELECT ${orders.select()} FROM orders WHERE id = ? AND store_id = ?`, [id, storeId]);
    return raw ? orders.map(raw) : null;
  }

  async byId(id: string): Promise<OrderRow | null> {
    const raw = await this.db.row(`SELECT ${orders.select()} FROM orders WHERE id = ?`, [id]);
    return raw ? orders.map(raw) : null;
  }

  /**
   * One of the member's own orders with its store's name, review, and the title of the coupon it
   * used; null for an order of anyone else (the caller answers 404 either way).
   */
  async oneOfMember(
    memberId: string,
    orderId: string,
  ): Promise<(OrderRow & { storeName: string; review: ReviewRow | null; couponTitle: string | null }) | null> {
    const r = await this.db.row(
      `SELECT ${orders.select('o')}, s.name AS storeName, c.title AS couponTitle, ${reviews.select('r', 'r_')}
       FROM orders o LEFT JOIN stores s ON s.id = o.store_id LEFT JOIN reviews r ON r.order_id = o.id LEFT JOIN member_coupons c ON c.id = o.coupon_id
       WHERE o.member_id = ? AND o.id = ?`,
      [memberId, orderId],
    );
    if (!r) return null;
    return {
      ...orders.map(r),
      storeName: typeof r.storeName === 'string' ? r.storeName : '',
      couponTitle: typeof r.couponTitle === 'string' ? r.couponTitle : null,
      review: r.r_id === null || r.r_id === undefined ? null : reviews.map(r, 'r_'),
    };
  }

  /** The refunds of one order, oldest first. */
  async refundsOfOrder(orderId: string): Promise<RefundRow[]> {
    return (await this.db.rows(`SELECT ${refunds.select()} FROM refunds WHERE order_id = ? ORDER BY id`, [orderId])).map((r) => refunds.map(r));
  }

  /** A member's orders, newest first, with the name of the store each was made in and its review, if any. */
  async ofMember(memberId: string, limit: number): Promise<(OrderRow & { storeName: string; review: ReviewRow | null })[]> {
    const rows = await this.db.rows(
      `SELECT ${orders.select('o')}, s.name AS storeName, ${reviews.select('r', 'r_')}
       FROM orders o LEFT JOIN stores s ON s.id = o.store_id LEFT JOIN reviews r ON r.order_id = o.id
       WHERE o.member_id = ? ORDER BY o.id DESC LIMIT ${Math.trunc(limit)}`,
      [memberId],
    );
    return rows.map((r) => ({
      ...orders.map(r),
      storeName: typeof r.storeName === 'string' ? r.storeName : '',
      review: r.r_id === null || r.r_id === undefined ? null : reviews.map(r, 'r_'),
    }));
  }

  async allOfMember(memberId: string): Promise<OrderRow[]> {
    return (await this.db.rows(`SELECT ${orders.select()} FROM orders WHERE member_id = ? ORDER BY id`, [memberId])).map((r) => orders.map(r));
  }

  /** Adds a refund to the order only while the total stays within what was paid; false otherwise. */
  async addRefunded(orderId: string, amountCents: number): Promise<boolean> {
    return await this.db.changedOne('UPDATE orders SET refunded_cents = refunded_cents + ? WHERE id = ? AND refunded_cents + ? <= due_cents', [
      amountCents,
      orderId,
      amountCents,
    ]);
  }

  async addReversal(orderId: string, r: Reversal): Promise<void> {
    await this.db.execute(
      'UPDATE orders SET points_reversed = points_reversed + ?, growth_reversed = growth_reversed + ?, points_returned = points_returned + ? WHERE id = ?',
      [r.pointsReversed, r.growthReversed, r.pointsReturned, orderId],
    );
  }

  /** Inserts a refund; a refund number already used in the store fails with a duplicate key. */
  async insertRefund(row: RefundRow): Promise<void> {
    const [sql, params] = refunds.insert([row]);
    await this.db.execute(sql, params);
  }

  async refundByNo(storeId: string, refundNo: string): Promise<RefundRow | null> {
    const raw = await this.db.row(`SELECT ${refunds.select()} FROM refunds WHERE store_id = ? AND refund_no = ?`, [storeId, refundNo]);
    return raw ? refunds.map(raw) : null;
  }

  /** The id of the order's latest refund (ids are time-ordered): after a full refund, the one that completed it. */
  async latestRefundId(orderId: string): Promise<string | null> {
    const raw = await this.db.row('SELECT id FROM refunds WHERE order_id = ? ORDER BY id DESC LIMIT 1', [orderId]);
    return typeof raw?.id === 'string' ? raw.id : null;
  }

  /** Every refund of the member's orders, oldest first (for their personal-data export). */
  async refundsOfMember(memberId: string): Promise<RefundRow[]> {
    return (
      await this.db.rows(`SELECT ${refunds.select('r')} FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.member_id = ? ORDER BY r.id`, [memberId])
    ).map((r) => refunds.map(r));
  }

  /**
   * For the points history: the member's own orders among `orderIds`, and the orders of the
   * member's own refunds among `refundIds`, each with its store's name — keyed by the order or
   * refund id. Ids of other members' orders or refunds are not found.
   */
  async ledgerSubjects(
    memberId: string,
    orderIds: readonly string[],
    refundIds: readonly string[],
  ): Promise<Map<string, { orderId: string; storeName: string }>> {
    const found = new Map<string, { orderId: string; storeName: string }>();
    const put = (rows: Record<string, unknown>[]) => {
      for (const r of rows) found.set(String(r.k), { orderId: String(r.orderId), storeName: typeof r.storeName === 'string' ? r.storeName : '' });
    };
    if (orderIds.length) {
      put(
        await this.db.rows(
          `SELECT o.id AS k, o.id AS orderId, s.name AS storeName FROM orders o LEFT JOIN stores s ON s.id = o.store_id
           WHERE o.member_id = ? AND o.id IN (${Db.placeholders(orderIds.length)})`,
          [memberId, ...orderIds],
        ),
      );
    }
    if (refundIds.length) {
      put(
        await this.db.rows(
          `SELECT r.id AS k, o.id AS orderId, s.name AS storeName FROM refunds r JOIN orders o ON o.id = r.order_id LEFT JOIN stores s ON s.id = o.store_id
           WHERE o.member_id = ? AND r.id IN (${Db.placeholders(refundIds.length)})`,
          [memberId, ...refundIds],
        ),
      );
    }
    return found;
  }

  async countRefunds(orderId: string): Promise<number> {
    return numberOf((await this.db.row('SELECT COUNT(*) AS n FROM refunds WHERE order_id = ?', [orderId]))?.n);
  }

  async storeName(storeId: string): Promise<string | null> {
    const raw = await this.db.row(`SELECT ${stores.select()} FROM stores WHERE id = ?`, [storeId]);
    return raw ? stores.map(raw).name : null;
  }
}

import type { NotificationKind } from '@member/shared';
import type { Db } from '../db';
import { dateOf, isDuplicateKey, numberOf } from '../db';
import { OutboxEntity, SubscriptionCreditEntity, type OutboxRow, type SubscriptionCreditRow } from '../entities';
import { tableOf } from '../table';

const outbox = tableOf(OutboxEntity);
const credits = tableOf(SubscriptionCreditEntity);

/** A lot about to lapse with no warning queued yet. */
export interface ExpiringLot {
  lotId: string;
  memberId: string;
  remaining: number;
  expiresAt: Date;
  balance: number;
}

/** A coupon about to end with no warning queued yet. */
export interface ExpiringCoupon {
  couponId: string;
  memberId: string;
  title: string;
  validTo: Date;
}

/** How a notification attempt ended, written only while the row is still claimed (`sending`). */
export type Settlement =
  { status: 'sent'; at: Date } | { status: 'pending'; nextAttemptAt: Date; error: string } | { status: 'failed' | 'skipped'; error: string };

/** The notifications outbox and members' subscribe-message credits. */
export class NotificationRepository {
  constructor(private readonly db: Db) {}

  /** `'<prefix>' || column` in the dialect at hand. */
  private keyOf(prefix: string, column: string): string {
    return this.db.dialect === 'mysql' ? `CONCAT('${prefix}', ${column})` : `('${prefix}' || ${column})`;
  }

  /** Queues a notification unless its dedupe key is already queued; true when this call queued it. */
  async enqueue(row: OutboxRow): Promise<boolean> {
    const [sql, params] = outbox.insert([row]);
    try {
      await this.db.execute(sql, params);
      return true;
    } catch (e) {
      // The key is queued already. A failed statement undoes only itself: the event's transaction
      // goes on (MariaDB and SQLite alike), so a replay costs nothing.
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  /**
   * Queues an event's notification in the event's transaction, with its other writes (`Db.write`:
   * no round trip of its own); a dedupe key already queued is left as it is.
   */
  async enqueueWithEvent(row: OutboxRow): Promise<void> {
    const [insert, params] = outbox.insert([row]);
    const sql = this.db.dialect === 'mysql' ? `${insert} ON DUPLICATE KEY UPDATE dedupe_key = dedupe_key` : `${insert} ON CONFLICT (dedupe_key) DO NOTHING`;
    await this.db.write(sql, params);
  }

  async byId(id: string): Promise<OutboxRow | null> {
    const raw = await this.db.row(`SELECT ${outbox.select()} FROM outbox WHERE id = ?`, [id]);
    return raw ? outbox.map(raw) : null;
  }

  async ofMember(memberId: string): Promise<OutboxRow[]> {
    return (await this.db.rows(`SELECT ${outbox.select()} FROM outbox WHERE member_id = ? ORDER BY created_at, id`, [memberId])).map((r) => outbox.map(r));
  }

  /** Ids of pending notifications due by `now`, oldest due first. */
  async due(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      `SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ${Math.trunc(limit)}`,
      [now],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Claims a due notification for one attempt: `pending` → `sending`, counting the attempt, until
   * `until`. Exactly one of any number of concurrent senders gets true for a row.
   */
  async claim(id: string, now: Date, until: Date): Promise<boolean> {
    return this.db.changedOne(
      "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_until = ?, updated_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?",
      [until, now, id, now],
    );
  }

  /** Records how a claimed attempt ended; false when the row was no longer claimed (given up meanwhile). */
  async settle(id: string, s: Settlement, now: Date): Promise<boolean> {
    const sentAt = s.status === 'sent' ? s.at : null;
    const error = s.status === 'sent' ? null : s.error;
    const next = s.status === 'pending' ? s.nextAttemptAt : null;
    return this.db.changedOne(
      `UPDATE outbox SET status = ?, sent_at = ?, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), claimed_until = NULL, updated_at = ?
         WHERE id = ? AND status = 'sending'`,
      [s.status, sentAt, error, next, now, id],
    );
  }

  /**
   * Gives up notifications whose claim lapsed unsettled (the sender stopped between claiming and
   * recording the outcome): WeChat may have delivered them, so they are never sent again.
   */
  async abandonLapsedClaims(now: Date): Promise<number> {
    return this.db.execute(
      "UPDATE outbox SET status = 'failed', last_error = 'interrupted', claimed_until = NULL, updated_at = ? WHERE status = 'sending' AND claimed_until < ?",
      [now, now],
    );
  }

  /** Adds one credit per kind, each capped at `max`. */
  async addCredits(memberId: string, kinds: readonly NotificationKind[], max: number, now: Date, newId: () => string): Promise<void> {
    for (const kind of kinds) {
      const bump = 'credits = CASE WHEN credits < ? THEN credits + 1 ELSE credits END';
      const sql =
        this.db.dialect === 'mysql'
          ? `INSERT INTO subscription_credits (id, member_id, kind, credits, updated_at) VALUES (?, ?, ?, 1, ?) ON DUPLICATE KEY UPDATE ${bump}, updated_at = VALUES(updated_at)`
          : `INSERT INTO subscription_credits (id, member_id, kind, credits, updated_at) VALUES (?, ?, ?, 1, ?) ON CONFLICT (member_id, kind) DO UPDATE SET ${bump}, updated_at = excluded.updated_at`;
      await this.db.execute(sql, [newId(), memberId, kind, now, max]);
    }
  }

  async creditsOf(memberId: string): Promise<SubscriptionCreditRow[]> {
    return (await this.db.rows(`SELECT ${credits.select()} FROM subscription_credits WHERE member_id = ?`, [memberId])).map((r) => credits.map(r));
  }

  /** Uses one credit of a kind; false when the member has none. */
  async takeCredit(memberId: string, kind: NotificationKind, now: Date): Promise<boolean> {
    return this.db.changedOne('UPDATE subscription_credits SET credits = credits - 1, updated_at = ? WHERE member_id = ? AND kind = ? AND credits > 0', [
      now,
      memberId,
      kind,
    ]);
  }

  /** Returns a credit WeChat did not use (it refused the message for a passing reason). */
  async giveBackCredit(memberId: string, kind: NotificationKind, max: number, now: Date): Promise<void> {
    await this.db.execute(
      'UPDATE subscription_credits SET credits = CASE WHEN credits < ? THEN credits + 1 ELSE credits END, updated_at = ? WHERE member_id = ? AND kind = ?',
      [max, now, memberId, kind],
    );
  }

  /** WeChat says the member holds no subscription of this kind: whatever we counted is gone. */
  async clearCredits(memberId: string, kind: NotificationKind, now: Date): Promise<void> {
    await this.db.execute('UPDATE subscription_credits SET credits = 0, updated_at = ? WHERE member_id = ? AND kind = ?', [now, memberId, kind]);
  }

  /** Live lots of active members lapsing in (`from`, `to`] with no warning queued (key `points_expiring:<lot>`). */
  async lotsToWarn(from: Date, to: Date, limit: number): Promise<ExpiringLot[]> {
    const rows = await this.db.rows(
      `SELECT l.id AS lotId, l.member_id AS memberId, l.remaining AS remaining, l.expires_at AS expiresAt, m.points_balance AS balance
         FROM points_lots l JOIN members m ON m.id = l.member_id
        WHERE l.expires_at > ? AND l.expires_at <= ? AND l.remaining > 0 AND m.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = ${this.keyOf('points_expiring:', 'l.id')})
        ORDER BY l.expires_at, l.id LIMIT ${Math.trunc(limit)}`,
      [from, to],
    );
    return rows.map((r) => ({
      lotId: String(r.lotId),
      memberId: String(r.memberId),
      remaining: numberOf(r.remaining),
      expiresAt: dateOf(r.expiresAt),
      balance: numberOf(r.balance),
    }));
  }

  /** Unused coupons of active members ending in (`from`, `to`] with no warning queued (key `coupon_expiring:<coupon>`). */
  async couponsToWarn(from: Date, to: Date, limit: number): Promise<ExpiringCoupon[]> {
    const rows = await this.db.rows(
      `SELECT c.id AS couponId, c.member_id AS memberId, c.title AS title, c.valid_to AS validTo
         FROM member_coupons c JOIN members m ON m.id = c.member_id
        WHERE c.status IN ('available', 'locked') AND c.valid_to > ? AND c.valid_to <= ? AND m.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = ${this.keyOf('coupon_expiring:', 'c.id')})
        ORDER BY c.valid_to, c.id LIMIT ${Math.trunc(limit)}`,
      [from, to],
    );
    return rows.map((r) => ({ couponId: String(r.couponId), memberId: String(r.memberId), title: String(r.title), validTo: dateOf(r.validTo) }));
  }

  /** The member's latest tier change (the row the upgrade that is being posted just wrote). */
  async latestTierChangeId(memberId: string): Promise<string | null> {
    const r = await this.db.row<{ id: string }>('SELECT id FROM tier_history WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT 1', [memberId]);
    return r?.id ?? null;
  }
}

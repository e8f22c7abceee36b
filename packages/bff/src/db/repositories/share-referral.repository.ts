import type { ReferralStatus } from '@member/shared';
import { Db, dateOf, isDuplicateKey, numberOf } from '../db';
import {
  MemberEntity,
  ReferralEntity,
  ShareEntity,
  ShareRewardEntity,
  ShareVisitEntity,
  type MemberRow,
  type ReferralRow,
  type ShareRewardRow,
  type ShareRow,
  type ShareVisitRow,
} from '../entities';
import { tableOf } from '../table';

const shares = tableOf(ShareEntity);
const visits = tableOf(ShareVisitEntity);
const shareRewards = tableOf(ShareRewardEntity);
const referrals = tableOf(ReferralEntity);
const members = tableOf(MemberEntity);

/** A friend's recent visit to someone's link: who shared it and how WeChat rated the friend then. */
export interface RecentVisit {
  shareId: string;
  sharerId: string;
  riskRank: number | null;
  visitedAt: Date;
}

/** An invitation with the invitee's nickname, for the inviter's list. */
export type InviteeRow = ReferralRow & { nickname: string | null };

/** Statuses whose invitation holds a slot of the inviter's month (paid, or held for review). */
const SLOT_HOLDERS: readonly ReferralStatus[] = ['rewarded', 'held', 'reversed'];

/**
 * Share links, their visits and the rewards they earned; referral invitations. Uniqueness (a
 * friend once per sharer per day, a sharer's daily and an inviter's monthly slots, an invitee
 * bound once) is the database's, by unique keys the service turns into answers.
 */
export class ShareReferralRepository {
  constructor(private readonly db: Db) {}

  // ── shares and visits ──────────────────────────────────────────────────────────────────────

  /** Fails with a duplicate key when the member already has a link under `row.linkKey` (or the token is taken). */
  async insertShare(row: ShareRow): Promise<void> {
    const [sql, params] = shares.insert([row]);
    await this.db.execute(sql, params);
  }

  /** The member's link for a page (and item) on a business day, if they shared it already. */
  async shareByKey(memberId: string, linkKey: string): Promise<ShareRow | null> {
    const raw = await this.db.row(`SELECT ${shares.select()} FROM shares WHERE member_id = ? AND link_key = ?`, [memberId, linkKey]);
    return raw ? shares.map(raw) : null;
  }

  async shareByToken(token: string): Promise<ShareRow | null> {
    const raw = await this.db.row(`SELECT ${shares.select()} FROM shares WHERE token = ?`, [token]);
    return raw ? shares.map(raw) : null;
  }

  /** Records a friend's visit to a link, or refreshes the one already recorded (the window runs from the latest). */
  async recordVisit(row: ShareVisitRow): Promise<void> {
    await this.db.execute('UPDATE members SET share_visited_at = ? WHERE id = ?', [row.visitedAt, row.visitorId]);
    const refreshed = await this.db.execute('UPDATE share_visits SET visited_at = ?, risk_rank = ? WHERE share_id = ? AND visitor_id = ?', [
      row.visitedAt,
      row.riskRank,
      row.shareId,
      row.visitorId,
    ]);
    if (refreshed > 0) return;
    const [sql, params] = visits.insert([row]);
    try {
      await this.db.execute(sql, params);
    } catch (e) {
      // A concurrent first visit of the same friend inserted it: refresh that one instead.
      if (!isDuplicateKey(e)) throw e;
      await this.db.execute('UPDATE share_visits SET visited_at = ?, risk_rank = ? WHERE share_id = ? AND visitor_id = ?', [
        row.visitedAt,
        row.riskRank,
        row.shareId,
        row.visitorId,
      ]);
    }
  }

  /** Links of other members a friend opened since `since`, the latest visit per sharer first. */
  async recentVisitsBy(visitorId: string, since: Date): Promise<RecentVisit[]> {
    const rows = await this.db.rows(
      `SELECT share_id AS shareId, sharer_id AS sharerId, risk_rank AS riskRank, visited_at AS visitedAt
       FROM share_visits WHERE visitor_id = ? AND visited_at >= ? AND sharer_id <> ? ORDER BY visited_at DESC`,
      [visitorId, since, visitorId],
    );
    const seen = new Set<string>();
    const latest: RecentVisit[] = [];
    for (const r of rows) {
      const sharerId = String(r.sharerId);
      if (seen.has(sharerId)) continue;
      seen.add(sharerId);
      latest.push({ shareId: String(r.shareId), sharerId, riskRank: r.riskRank === null ? null : numberOf(r.riskRank), visitedAt: dateOf(r.visitedAt) });
    }
    return latest;
  }

  // ── share rewards ──────────────────────────────────────────────────────────────────────────

  async shareRewardsOn(sharerId: string, day: string): Promise<ShareRewardRow[]> {
    return (await this.db.rows(`SELECT ${shareRewards.select()} FROM share_rewards WHERE sharer_id = ? AND day = ? ORDER BY slot`, [sharerId, day])).map((r) =>
      shareRewards.map(r),
    );
  }

  /** Fails with a duplicate key when this friend already rewarded this sharer today, or the slot is taken. */
  async insertShareReward(row: ShareRewardRow): Promise<void> {
    const [sql, params] = shareRewards.insert([row]);
    await this.db.execute(sql, params);
  }

  /** What a reward credited (after the caps), when it was paid or released. */
  async setShareRewardPaid(id: string, points: number, growth: number, at: Date): Promise<void> {
    await this.db.execute('UPDATE share_rewards SET points = ?, growth = ?, paid_at = ? WHERE id = ?', [points, growth, at, id]);
  }

  async shareRewardById(id: string): Promise<ShareRewardRow | null> {
    const raw = await this.db.row(`SELECT ${shareRewards.select()} FROM share_rewards WHERE id = ?`, [id]);
    return raw ? shareRewards.map(raw) : null;
  }

  /** Takes a held share reward for paying (held → released); false when it was not held. */
  async releaseShareReward(id: string): Promise<boolean> {
    return this.db.changedOne(`UPDATE share_rewards SET status = 'released' WHERE id = ? AND status = 'held'`, [id]);
  }

  async heldShareRewards(limit: number): Promise<ShareRewardRow[]> {
    return (await this.db.rows(`SELECT ${shareRewards.select()} FROM share_rewards WHERE status = 'held' ORDER BY id LIMIT ${Math.trunc(limit)}`)).map((r) =>
      shareRewards.map(r),
    );
  }

  // ── referrals ──────────────────────────────────────────────────────────────────────────────

  /** An active member by invite code. */
  async memberByInviteCode(code: string): Promise<MemberRow | null> {
    const raw = await this.db.row(`SELECT ${members.select()} FROM members WHERE invite_code = ? AND status = 'active'`, [code]);
    return raw ? members.map(raw) : null;
  }

  /** Who invited this member (null: nobody). */
  async inviterOf(memberId: string): Promise<string | null> {
    const raw = await this.db.row<{ invitedBy: string | null }>('SELECT invited_by AS invitedBy FROM members WHERE id = ?', [memberId]);
    return raw?.invitedBy ?? null;
  }

  /** Binds an invitee: the referral row (unique per invitee) and the member's `invited_by`. */
  async bind(row: ReferralRow): Promise<void> {
    const [sql, params] = referrals.insert([row]);
    await this.db.execute(sql, params);
    await this.db.execute('UPDATE members SET invited_by = ? WHERE id = ? AND invited_by IS NULL', [row.inviterId, row.inviteeId]);
  }

  /**
   * Marks the invitee's first counter order, once: true only for the order that made it (a
   * concurrent first order elsewhere finds the row no longer `registered`).
   */
  async markFirstOrder(inviteeId: string, orderId: string, at: Date): Promise<boolean> {
    return this.db.changedOne(`UPDATE referrals SET status = 'ordered', first_order_id = ?, ordered_at = ? WHERE invitee_id = ? AND status = 'registered'`, [
      orderId,
      at,
      inviteeId,
    ]);
  }

  async referralOfInvitee(inviteeId: string): Promise<ReferralRow | null> {
    const raw = await this.db.row(`SELECT ${referrals.select()} FROM referrals WHERE invitee_id = ?`, [inviteeId]);
    return raw ? referrals.map(raw) : null;
  }

  async referralById(id: string): Promise<ReferralRow | null> {
    const raw = await this.db.row(`SELECT ${referrals.select()} FROM referrals WHERE id = ?`, [id]);
    return raw ? referrals.map(raw) : null;
  }

  /** Slots of the inviter's month already taken (rewarded, held, or reversed after either). */
  async slotsTaken(inviterId: string, month: string): Promise<number> {
    const raw = await this.db.row<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM referrals WHERE inviter_id = ? AND month = ? AND status IN (${Db.placeholders(SLOT_HOLDERS.length)})`,
      [inviterId, month, ...SLOT_HOLDERS],
    );
    return numberOf(raw?.n);
  }

  async countRewarded(inviterId: string): Promise<number> {
    const raw = await this.db.row<{ n: unknown }>(`SELECT COUNT(*) AS n FROM referrals WHERE inviter_id = ? AND status = 'rewarded'`, [inviterId]);
    return numberOf(raw?.n);
  }

  /**
   * Settles an ordered invitation, once: `ordered` → `rewarded` or `held` (in a month slot, unique
   * per inviter) or `capped`. False when another request settled it, or a refund reversed it, first.
   */
  async settle(
    id: string,
    to: {
      status: 'rewarded' | 'held' | 'capped';
      month: string | null;
      slot: number | null;
      inviterPoints: number;
      inviterGrowth: number;
      inviteePoints: number;
    },
    at: Date,
  ): Promise<boolean> {
    return this.db.changedOne(
      `UPDATE referrals SET status = ?, month = ?, slot = ?, inviter_points = ?, inviter_growth = ?, invitee_points = ?, rewarded_at = ?
       WHERE id = ? AND status = 'ordered'`,
      [to.status, to.month, to.slot, to.inviterPoints, to.inviterGrowth, to.inviteePoints, to.status === 'capped' ? null : at, id],
    );
  }

  /** A held invitation paid after review: held → rewarded with what was paid. */
  async releaseReferral(id: string, paid: { inviterPoints: number; inviterGrowth: number; inviteePoints: number }, at: Date): Promise<boolean> {
    return this.db.changedOne(
      `UPDATE referrals SET status = 'rewarded', inviter_points = ?, inviter_growth = ?, invitee_points = ?, rewarded_at = ? WHERE id = ? AND status = 'held'`,
      [paid.inviterPoints, paid.inviterGrowth, paid.inviteePoints, at, id],
    );
  }

  async setMilestoneCoupon(id: string, couponId: string): Promise<void> {
    await this.db.execute('UPDATE referrals SET milestone_coupon_id = ? WHERE id = ?', [couponId, id]);
  }

  /** Reverses an invitation whose first order was refunded in full, once; returns the row as it was. */
  async reverse(id: string, from: ReferralStatus, at: Date): Promise<boolean> {
    return this.db.changedOne(`UPDATE referrals SET status = 'reversed', reversed_at = ? WHERE id = ? AND status = ?`, [at, id, from]);
  }

  /** Invitations ordered but not settled since `before` (a crash between an order and its reward): for the sweep job. */
  async unsettled(before: Date, limit: number): Promise<ReferralRow[]> {
    return (
      await this.db.rows(
        `SELECT ${referrals.select()} FROM referrals WHERE status = 'ordered' AND ordered_at <= ? ORDER BY ordered_at LIMIT ${Math.trunc(limit)}`,
        [before],
      )
    ).map((r) => referrals.map(r));
  }

  async heldReferrals(limit: number): Promise<ReferralRow[]> {
    return (await this.db.rows(`SELECT ${referrals.select()} FROM referrals WHERE status = 'held' ORDER BY id LIMIT ${Math.trunc(limit)}`)).map((r) =>
      referrals.map(r),
    );
  }

  /** An inviter's invitations, newest first, with each invitee's nickname (null once erased). */
  async inviteesOf(inviterId: string, limit: number): Promise<InviteeRow[]> {
    const rows = await this.db.rows(
      `SELECT ${referrals.select('r')}, m.nickname AS nickname FROM referrals r JOIN members m ON m.id = r.invitee_id
       WHERE r.inviter_id = ? ORDER BY r.registered_at DESC, r.id DESC LIMIT ${Math.trunc(limit)}`,
      [inviterId],
    );
    return rows.map((r) => ({ ...referrals.map(r), nickname: typeof r.nickname === 'string' ? r.nickname : null }));
  }

  // ── personal-data export ───────────────────────────────────────────────────────────────────

  /** The member's own share links, oldest first. */
  async sharesOf(memberId: string): Promise<ShareRow[]> {
    return (await this.db.rows(`SELECT ${shares.select()} FROM shares WHERE member_id = ? ORDER BY created_at, id`, [memberId])).map((r) => shares.map(r));
  }

  /** The links the member opened as a friend, oldest first. */
  async visitsBy(visitorId: string): Promise<ShareVisitRow[]> {
    return (await this.db.rows(`SELECT ${visits.select()} FROM share_visits WHERE visitor_id = ? ORDER BY visited_at, id`, [visitorId])).map((r) =>
      visits.map(r),
    );
  }

  /** The rewards the member earned as a sharer, oldest first. */
  async shareRewardsOf(sharerId: string): Promise<ShareRewardRow[]> {
    return (await this.db.rows(`SELECT ${shareRewards.select()} FROM share_rewards WHERE sharer_id = ? ORDER BY created_at, id`, [sharerId])).map((r) =>
      shareRewards.map(r),
    );
  }

  /** Every invitation the member is part of, as inviter or invitee, oldest first. */
  async referralsOf(memberId: string): Promise<ReferralRow[]> {
    return (
      await this.db.rows(`SELECT ${referrals.select()} FROM referrals WHERE inviter_id = ? OR invitee_id = ? ORDER BY registered_at, id`, [memberId, memberId])
    ).map((r) => referrals.map(r));
  }
}

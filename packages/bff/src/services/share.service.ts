import { randomBytes } from 'node:crypto';
import { businessDate, DomainError, sharePath, shareWindowStart, type CreateShareBody, type LoyaltyConfig, type ShareAction } from '@member/shared';
import type { Logger } from 'pino';
import { isDuplicateKey, type Db } from '../db/db';
import type { MemberRow, ShareRewardRow } from '../db/entities';
import type { Repositories } from '../db/repositories';
import type { RecentVisit } from '../db/repositories/share-referral.repository';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import type { RateLimit } from '../lib/rate-limit';
import type { InteractionRewards } from './interaction-rewards';
import type { PointsService } from './points.service';
import type { RiskCheck } from './risk-check';

/** Refusal of a share token given at registration (422 NOT_ELIGIBLE with the reason). */
const unknownShare = () => new DomainError('NOT_ELIGIBLE', 'no such share link', { reason: 'unknown-share' });

/**
 * Share-to-earn, as WeChat's platform rules allow it: sharing itself never earns anything (nor does
 * sharing to Moments, which the mini-program cannot even observe). A share link carries a token; a
 * friend — another account — who opens it is recorded as a visit, and when that friend registers,
 * checks in or redeems within `share.windowHours` of the visit, the sharer earns `share.points` and
 * `share.growth`: once per friend per sharer per business day (`UNIQUE(sharer, friend, day)`), at
 * most `share.maxRewardsPerDay` a day (`UNIQUE(sharer, day, slot)`), through the interaction caps.
 * A friend WeChat rates risky (or could not rate) makes the reward wait for review.
 */
export class ShareService {
  constructor(
    private readonly db: Db,
    private readonly repos: Pick<Repositories, 'shareReferral' | 'members' | 'mall'>,
    private readonly points: PointsService,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly risk: RiskCheck,
    private readonly rewards: Pick<InteractionRewards, 'award'>,
    private readonly limits: { visitsPerMember: RateLimit; visitsPerAddress: RateLimit },
    private readonly logger: Logger,
  ) {}

  /**
   * The member's share link for a page: made when they first share it on a business day, and the
   * same link (token and path) for every further share of that page (and item) that day, so
   * tapping share again adds no row. Gives nothing.
   */
  async create(memberId: string, body: CreateShareBody): Promise<{ token: string; path: string }> {
    const m = await this.repos.members.byId(memberId);
    if (!m || m.status === 'erased') throw new DomainError('UNAUTHENTICATED', 'account no longer exists');
    if (m.status !== 'active') throw new DomainError('NOT_FOUND', 'not registered yet');
    const targetId = body.page === 'item' ? (body.params?.id ?? null) : null;
    if (targetId && !(await this.repos.mall.activeItem(targetId))) throw new DomainError('NOT_FOUND', 'no such item');
    const now = this.clock.now();
    const linkKey = `${businessDate(now, this.loyalty.businessTimeZone)}:${body.page}:${targetId ?? ''}`;
    const linkOf = (token: string) => ({ token, path: sharePath(body.page, token, { id: targetId ?? undefined, inviteCode: m.inviteCode ?? undefined }) });
    const made = await this.repos.shareReferral.shareByKey(memberId, linkKey);
    if (made) return linkOf(made.token);
    const token = randomBytes(12).toString('base64url');
    try {
      await this.repos.shareReferral.insertShare({ id: newId(), token, memberId, page: body.page, targetId, linkKey, createdAt: now });
    } catch (e) {
      // A concurrent share of the same page made the day's link first: that one is the link.
      if (!isDuplicateKey(e)) throw e;
      const first = await this.repos.shareReferral.shareByKey(memberId, linkKey);
      if (!first) throw e;
      return linkOf(first.token);
    }
    return linkOf(token);
  }

  /**
   * A friend opened a share link (signed in, registered or not). Counted per member and per client
   * address. The sharer opening their own link records nothing. WeChat's risk rank of the friend
   * is asked now, while they are in the mini-program, and kept with the visit.
   */
  async visit(visitorId: string, token: string, from: string): Promise<{ recorded: boolean }> {
    await this.limits.visitsPerMember.consume(`member:${visitorId}`);
    await this.limits.visitsPerAddress.consume(`ip:${from}`);
    const share = await this.repos.shareReferral.shareByToken(token);
    if (!share) throw new DomainError('NOT_FOUND', 'no such share link');
    const visitor = await this.repos.members.byId(visitorId);
    if (!visitor || visitor.status === 'erased') throw new DomainError('UNAUTHENTICATED', 'account no longer exists');
    if (share.memberId === visitorId) return { recorded: false };
    await this.record(share.id, share.memberId, visitor, from);
    return { recorded: true };
  }

  private async record(shareId: string, sharerId: string, visitor: MemberRow, from: string): Promise<void> {
    const riskRank = await this.risk.rankOf(visitor, from);
    const now = this.clock.now();
    await this.repos.shareReferral.recordVisit({ id: newId(), shareId, sharerId, visitorId: visitor.id, riskRank, visitedAt: now, createdAt: now });
  }

  /**
   * Registration: a `shareToken` must name a link (422 NOT_ELIGIBLE `unknown-share` otherwise),
   * and counts as opening it. Returns what to do inside the registration transaction: once it has
   * committed, reward whoever shared a link this new member opened.
   */
  async checkRegistration(caller: MemberRow, shareToken: string | undefined, from: string): Promise<((member: MemberRow) => Promise<void>) | undefined> {
    if (caller.status !== 'pending') return undefined;
    if (shareToken) {
      const share = await this.repos.shareReferral.shareByToken(shareToken);
      if (!share) throw unknownShare();
      if (share.memberId !== caller.id) await this.record(share.id, share.memberId, caller, from);
    }
    const visitedAt = shareToken ? this.clock.now() : caller.shareVisitedAt;
    return (member) => this.db.afterCommit(() => this.friendActed({ id: member.id, shareVisitedAt: visitedAt }, 'register', `registration:${member.id}`));
  }

  /**
   * A friend took part (registered, checked in, redeemed): every member whose link they opened
   * within `share.windowHours` may be rewarded. Runs after the friend's own transaction committed;
   * each reward is its own transaction under the sharer's lock.
   */
  async friendActed(friend: Pick<MemberRow, 'id' | 'shareVisitedAt'>, action: ShareAction, eventKey: string): Promise<void> {
    const friendId = friend.id;
    const since = shareWindowStart(this.clock.now(), this.loyalty.share.windowHours);
    // Most members opened nobody's link lately: their row says so, and nothing is looked up.
    if (!friend.shareVisitedAt || friend.shareVisitedAt < since) return;
    const visits = await this.repos.shareReferral.recentVisitsBy(friendId, since);
    for (const v of visits) {
      try {
        await this.rewardSharer(v, friendId, action, eventKey);
      } catch (e) {
        this.logger.error({ err: e, sharerId: v.sharerId, action }, 'share reward failed');
      }
    }
  }

  private async rewardSharer(v: RecentVisit, friendId: string, action: ShareAction, eventKey: string): Promise<void> {
    const { points, growth, maxRewardsPerDay } = this.loyalty.share;
    const now = this.clock.now();
    const day = businessDate(now, this.loyalty.businessTimeZone);
    const full = (rows: ShareRewardRow[]) => rows.length >= maxRewardsPerDay || rows.some((r) => r.visitorId === friendId);
    // Most actions of most friends reward nothing more today: learn it without taking a lock.
    if (full(await this.repos.shareReferral.shareRewardsOn(v.sharerId, day))) return;
    const held = this.risk.holds(v.riskRank);
    await this.db.transaction(async () => {
      const locked = await this.points.lock(v.sharerId, { withLots: false });
      if (locked.member.status !== 'active') return;
      const today = await this.repos.shareReferral.shareRewardsOn(v.sharerId, day);
      if (full(today)) return;
      const row: ShareRewardRow = {
        id: newId(),
        sharerId: v.sharerId,
        visitorId: friendId,
        shareId: v.shareId,
        action,
        eventKey,
        day,
        slot: today.length + 1,
        status: held ? 'held' : 'paid',
        riskRank: v.riskRank,
        points: 0,
        growth: 0,
        createdAt: now,
        paidAt: null,
      };
      try {
        await this.repos.shareReferral.insertShareReward(row);
      } catch (e) {
        // This friend already rewarded this sharer today, or the day's slots are taken.
        if (isDuplicateKey(e)) return;
        throw e;
      }
      if (held) {
        this.logger.warn({ rewardId: row.id, sharerId: v.sharerId, riskRank: v.riskRank }, 'share reward held for review');
        return;
      }
      const paid = await this.rewards.award(locked, { kind: 'share', points, growth, sourceKey: `share:${friendId}:${day}` });
      await this.repos.shareReferral.setShareRewardPaid(row.id, paid.points, paid.growth, now);
    });
  }

  /** An operator pays a held share reward after review (once). */
  async release(rewardId: string): Promise<ShareRewardRow> {
    const { points, growth } = this.loyalty.share;
    return this.db.transaction(async () => {
      const row = await this.repos.shareReferral.shareRewardById(rewardId);
      if (!row) throw new DomainError('NOT_FOUND', 'no such reward');
      const locked = await this.points.lock(row.sharerId, { withLots: false });
      if (!(await this.repos.shareReferral.releaseShareReward(row.id)))
        throw new DomainError('NOT_ELIGIBLE', 'this reward is not held', { reason: 'not-held' });
      const now = this.clock.now();
      const paid = await this.rewards.award(locked, { kind: 'share', points, growth, sourceKey: `share:${row.visitorId}:${row.day}` });
      await this.repos.shareReferral.setShareRewardPaid(row.id, paid.points, paid.growth, now);
      return { ...row, status: 'released', points: paid.points, growth: paid.growth, paidAt: now };
    });
  }
}

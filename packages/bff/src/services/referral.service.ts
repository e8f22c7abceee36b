import {
  businessDate,
  businessMonth,
  DomainError,
  invitePath,
  isReferralMilestone,
  qualifiesForReferral,
  type InviteRefusal,
  type LoyaltyConfig,
  type RegisterBody,
} from '@member/shared';
import type { Logger } from 'pino';
import type { Db } from '../db/db';
import type { MemberRow, OrderRow, ReferralRow } from '../db/entities';
import type { Repositories } from '../db/repositories';
import type { InviteeRow } from '../db/repositories/share-referral.repository';
import { CONVERTED_REFERRALS } from '../db/repositories/report-counter.repository';
import type { LockedMember } from '../db/repositories/member.repository';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import type { RateLimit } from '../lib/rate-limit';
import type { InteractionRewards } from './interaction-rewards';
import type { PointsService } from './points.service';
import type { RiskCheck } from './risk-check';

/** How far up an inviter's chain the cycle check looks (chains cannot form cycles; this is a guard). */
const MAX_CHAIN = 64;
const MAX_INVITEES_LISTED = 200;

const refuse = (reason: InviteRefusal, message: string) => new DomainError('NOT_ELIGIBLE', message, { reason });

export interface InvitationView {
  member: MemberRow;
  path: string;
  invitees: InviteeRow[];
  rewardedCount: number;
  rewardedThisMonth: number;
}

/** Gives a milestone coupon (refusals of its template are logged, never undo the reward). */
export type MilestoneGift = (inviter: MemberRow, sourceKey: string) => Promise<string | null>;

/**
 * Referral invitations. A new member who registers with an invite code is bound to its owner once
 * (`UNIQUE(referrals.invitee_id)`, and `members.invited_by`): never their own code, never a code
 * whose inviter they invited (up the chain), never an existing member, never a WeChat identity or
 * phone that was a member before. A bad code is refused (422 NOT_ELIGIBLE with a reason).
 *
 * The invitee's first counter order marks the invitation inside the order's transaction (one
 * conditional UPDATE: concurrent first orders in two stores mark it once); once that commits, the
 * inviter earns `referral.inviterPoints` + `inviterGrowth` and the invitee `inviteePoints` (through
 * the interaction caps), in a slot of the inviter's business month (at most
 * `referral.maxRewardsPerMonth`, `UNIQUE(inviter, month, slot)`); every `milestoneEvery`-th rewarded
 * invitation adds the `milestoneTemplate` coupon. A full refund of that first order takes back what
 * was paid, in the refund's transaction. Locks are always taken invitee first, then inviter.
 */
export class ReferralService {
  constructor(
    private readonly db: Db,
    private readonly repos: Pick<Repositories, 'shareReferral' | 'members' | 'reportCounters'>,
    private readonly points: PointsService,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly risk: RiskCheck,
    private readonly rewards: Pick<InteractionRewards, 'award'>,
    private readonly milestoneGift: MilestoneGift,
    private readonly limits: { perMember: RateLimit; perAddress: RateLimit },
    private readonly logger: Logger,
  ) {}

  /**
   * Checks an invite code given at registration, before anything is written, and returns what to
   * do inside the registration transaction (bind the new member). Registrations carrying a code
   * are counted per member and per client address. `phoneHash` is the phone being registered.
   */
  async checkRegistration(
    caller: MemberRow,
    body: Pick<RegisterBody, 'inviteCode'>,
    ctx: { phoneHash: string | null; from: string },
  ): Promise<((member: MemberRow) => Promise<void>) | undefined> {
    if (!body.inviteCode) return undefined;
    await this.limits.perMember.consume(`member:${caller.id}`);
    await this.limits.perAddress.consume(`ip:${ctx.from}`);
    const inviter = await this.repos.shareReferral.memberByInviteCode(body.inviteCode);
    if (!inviter) throw refuse('unknown-code', 'no such invite code');
    if (inviter.id === caller.id) throw refuse('self', 'this is your own invite code');
    let up = inviter.invitedBy;
    for (let depth = 0; up && depth < MAX_CHAIN; depth++) {
      if (up === caller.id) throw refuse('cycle', 'you invited this member');
      up = await this.repos.shareReferral.inviterOf(up);
    }
    if (caller.status !== 'pending') throw refuse('existing-member', 'only a new member can accept an invitation');
    const identities = [
      ...(caller.openidHash ? [{ kind: 'openid' as const, hash: caller.openidHash }] : []),
      ...(ctx.phoneHash ? [{ kind: 'phone' as const, hash: ctx.phoneHash }] : []),
    ];
    if (await this.repos.members.hadFormerMember(identities)) throw refuse('former-member', 'this WeChat account or phone number was a member before');
    const riskRank = await this.risk.rankOf(caller, ctx.from);
    return async (member) => {
      await this.repos.shareReferral.bind({
        id: newId(),
        inviterId: inviter.id,
        inviteeId: member.id,
        status: 'registered',
        riskRank,
        firstOrderId: null,
        month: null,
        slot: null,
        inviterPoints: 0,
        inviterGrowth: 0,
        inviteePoints: 0,
        milestoneCouponId: null,
        registeredAt: this.clock.now(),
        orderedAt: null,
        rewardedAt: null,
        reversedAt: null,
      });
    };
  }

  /**
   * Inside a counter order's transaction (the member locked): the invitee's first order marks the
   * invitation, once, and its reward follows when the order has committed. A member nobody
   * invited costs nothing here.
   */
  async orderRecorded(member: Pick<MemberRow, 'id' | 'invitedBy'>, order: OrderRow): Promise<void> {
    if (!member.invitedBy || !qualifiesForReferral(order.dueCents, this.loyalty.referral.minFirstOrderPaidCents)) return;
    if (!(await this.repos.shareReferral.markFirstOrder(member.id, order.id, this.clock.now()))) return;
    const ref = await this.repos.shareReferral.referralOfInvitee(member.id);
    if (ref) this.repos.reportCounters.add([{ metric: 'referrals_converted', day: businessDate(ref.registeredAt, this.loyalty.businessTimeZone), n: 1 }]);
    await this.db.afterCommit(() => this.reward(member.id));
  }

  /**
   * Pays (or holds, or caps) an invitation whose first order is recorded. Safe to call again: the
   * invitation settles once (`ordered` → anything else, conditionally).
   */
  async reward(inviteeId: string): Promise<void> {
    const before = await this.repos.shareReferral.referralOfInvitee(inviteeId);
    if (!before || before.status !== 'ordered') return;
    const r = this.loyalty.referral;
    await this.db.transaction(async () => {
      const invitee = await this.points.lock(inviteeId, { withLots: false });
      const inviter = await this.points.lock(before.inviterId, { withLots: false });
      const ref = await this.repos.shareReferral.referralOfInvitee(inviteeId);
      if (!ref || ref.status !== 'ordered') return;
      const now = this.clock.now();
      const month = businessMonth(now, this.loyalty.businessTimeZone);
      const taken = await this.repos.shareReferral.slotsTaken(ref.inviterId, month);
      if (inviter.member.status !== 'active' || taken >= r.maxRewardsPerMonth) {
        await this.settle(ref, { status: 'capped', month: null, slot: null, inviterPoints: 0, inviterGrowth: 0, inviteePoints: 0 }, now);
        return;
      }
      if (this.risk.holds(ref.riskRank)) {
        await this.settle(ref, { status: 'held', month, slot: taken + 1, inviterPoints: 0, inviterGrowth: 0, inviteePoints: 0 }, now);
        this.logger.warn({ referralId: ref.id, riskRank: ref.riskRank }, 'referral reward held for review');
        return;
      }
      const paid = await this.pay(ref, invitee, inviter);
      await this.settle(ref, { status: 'rewarded', month, slot: taken + 1, ...paid }, now);
      await this.milestone(ref, inviter.member);
    });
  }

  private async pay(ref: ReferralRow, invitee: LockedMember, inviter: LockedMember) {
    const r = this.loyalty.referral;
    const sourceKey = `referral:${ref.id}`;
    const forInviter = await this.rewards.award(inviter, { kind: 'referral', points: r.inviterPoints, growth: r.inviterGrowth, sourceKey, note: 'invitation' });
    const forInvitee = await this.rewards.award(invitee, { kind: 'referral', points: r.inviteePoints, growth: 0, sourceKey, note: 'invited' });
    return { inviterPoints: forInviter.points, inviterGrowth: forInviter.growth, inviteePoints: forInvitee.points };
  }

  private async settle(ref: ReferralRow, to: Parameters<Repositories['shareReferral']['settle']>[1], now: Date): Promise<void> {
    if (!(await this.repos.shareReferral.settle(ref.id, to, now))) throw new Error('an invitation changed under its invitee lock');
  }

  /** Every `milestoneEvery`-th rewarded invitation: the milestone coupon, once per count reached. */
  private async milestone(ref: ReferralRow, inviter: MemberRow): Promise<void> {
    const rewarded = await this.repos.shareReferral.countRewarded(ref.inviterId);
    if (!isReferralMilestone(rewarded, this.loyalty.referral.milestoneEvery)) return;
    const couponId = await this.milestoneGift(inviter, `referral-milestone:${rewarded}`);
    if (couponId) await this.repos.shareReferral.setMilestoneCoupon(ref.id, couponId);
  }

  /**
   * Inside a refund's transaction (the invitee locked with their lots; `order` as the refund leaves
   * it): a refund that leaves the invitee's first order paying less than a qualifying order (a full
   * refund, or a partial one that keeps a cent) reverses the invitation, and takes back what it paid
   * (the balance may go negative, as with any refund). A milestone coupon already given stays, and
   * the next count reached again gives no second one (its key is the count).
   */
  async refunded(invitee: LockedMember, order: OrderRow): Promise<void> {
    if (!invitee.member.invitedBy) return;
    if (qualifiesForReferral(order.dueCents - order.refundedCents, this.loyalty.referral.minFirstOrderPaidCents)) return;
    const ref = await this.repos.shareReferral.referralOfInvitee(invitee.member.id);
    if (!ref || ref.firstOrderId !== order.id || ref.status === 'reversed' || ref.status === 'registered') return;
    if (!(await this.repos.shareReferral.reverse(ref.id, ref.status, this.clock.now()))) return;
    if (CONVERTED_REFERRALS.includes(ref.status)) {
      this.repos.reportCounters.add([{ metric: 'referrals_converted', day: businessDate(ref.registeredAt, this.loyalty.businessTimeZone), n: -1 }]);
    }
    if (ref.status !== 'rewarded') return;
    const sourceKey = `referral:${ref.id}:reversal`;
    const inviter = await this.points.lock(ref.inviterId, { withLots: true });
    if (ref.inviterPoints > 0 || ref.inviterGrowth > 0) {
      await this.points.post(inviter, {
        debits: ref.inviterPoints > 0 ? [{ amount: ref.inviterPoints, reason: 'refund', sourceKey, mayGoNegative: true, note: 'invitation reversed' }] : [],
        growth: ref.inviterGrowth > 0 ? { delta: -ref.inviterGrowth, reason: 'refund', sourceKey } : undefined,
      });
    }
    if (ref.inviteePoints > 0) {
      await this.points.post(invitee, {
        debits: [{ amount: ref.inviteePoints, reason: 'refund', sourceKey, mayGoNegative: true, note: 'invitation reversed' }],
      });
    }
  }

  /** An operator pays a held invitation after review (once). */
  async release(referralId: string): Promise<ReferralRow> {
    return this.db.transaction(async () => {
      const found = await this.repos.shareReferral.referralById(referralId);
      if (!found) throw new DomainError('NOT_FOUND', 'no such reward');
      const invitee = await this.points.lock(found.inviteeId, { withLots: false });
      const inviter = await this.points.lock(found.inviterId, { withLots: false });
      const ref = await this.repos.shareReferral.referralById(referralId);
      if (!ref || ref.status !== 'held') throw new DomainError('NOT_ELIGIBLE', 'this reward is not held', { reason: 'not-held' });
      const now = this.clock.now();
      const paid = await this.pay(ref, invitee, inviter);
      if (!(await this.repos.shareReferral.releaseReferral(ref.id, paid, now))) throw new Error('an invitation changed under its invitee lock');
      await this.milestone(ref, inviter.member);
      return { ...ref, ...paid, status: 'rewarded', rewardedAt: now };
    });
  }

  /** Invitations ordered but left unsettled (a crash between an order and its reward): settle them. */
  async settleStale(olderThanSeconds: number, batch: number, now: Date = this.clock.now()): Promise<number> {
    const stale = await this.repos.shareReferral.unsettled(new Date(now.getTime() - olderThanSeconds * 1000), batch);
    for (const ref of stale) await this.reward(ref.inviteeId);
    return stale.length;
  }

  /** The member's invitation: code, path, invitees with their status, and counts. */
  async invitation(memberId: string): Promise<InvitationView> {
    const m = await this.repos.members.byId(memberId);
    if (!m || m.status === 'erased') throw new DomainError('UNAUTHENTICATED', 'account no longer exists');
    if (m.status !== 'active' || !m.inviteCode) throw new DomainError('NOT_FOUND', 'not registered yet');
    const month = businessMonth(this.clock.now(), this.loyalty.businessTimeZone);
    const [invitees, rewardedCount, rewardedThisMonth] = await Promise.all([
      this.repos.shareReferral.inviteesOf(memberId, MAX_INVITEES_LISTED),
      this.repos.shareReferral.countRewarded(memberId),
      this.repos.shareReferral.slotsTaken(memberId, month),
    ]);
    return { member: m, path: invitePath(m.inviteCode), invitees, rewardedCount, rewardedThisMonth };
  }
}

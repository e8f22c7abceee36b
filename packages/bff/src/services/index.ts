import { DomainError, tiersCrossed, type ErrorCode, type LoyaltyConfig } from '@member/shared';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/config';
import type { Db } from '../db/db';
import type { MemberRow } from '../db/entities';
import { createRepositories } from '../db/repositories';
import { Backoff, RateLimit, Slowdown, type LimiterStore } from '../lib/rate-limit';
import type { WechatClient } from '../integrations/wechat';
import type { Clock } from '../lib/clock';
import { FieldCrypto } from '../lib/crypto';
import { AdminService } from './admin.service';
import { CampaignService } from './campaign.service';
import { CheckinService } from './checkin.service';
import { CounterService } from './counter.service';
import { CouponService } from './coupon.service';
import { InteractionRewards } from './interaction-rewards';
import { InviteQrcodeService } from './invite-qrcode.service';
import { MallService } from './mall.service';
import { HeldRewardsService } from './held-rewards.service';
import { MemberService } from './member.service';
import { NotificationService } from './notification.service';
import { OccasionCouponService } from './occasion-coupons.service';
import { PointsService } from './points.service';
import { ReportService } from './report.service';
import { ReviewService } from './review.service';
import { ReferralService } from './referral.service';
import { RiskCheck } from './risk-check';
import { ShareService } from './share.service';
import { StaffService } from './staff.service';

/** Refusals of a coupon template that must not undo the use case a gift comes with. */
const GIFT_REFUSALS: ReadonlySet<ErrorCode> = new Set(['OUT_OF_STOCK', 'LIMIT_REACHED', 'TIER_REQUIRED']);

export interface ServiceDeps {
  db: Db;
  loyalty: LoyaltyConfig;
  runtime: RuntimeConfig;
  clock: Clock;
  dataKey: Buffer;
  wechat: WechatClient;
  logger: Logger;
  /** Where every rate limit counts: this instance's memory, or Redis shared by every instance. */
  limiterStore: LimiterStore;
  /** Whether registration may bind a typed phone number with no WeChat proof (never in production). */
  rawPhoneAllowed: boolean;
}

/** Every use case, wired once per app over one set of repositories. */
export function createServices(d: ServiceDeps) {
  const repos = createRepositories(d.db);
  const crypto = new FieldCrypto(d.dataKey);
  const rl = d.runtime.rateLimits;
  const store = d.limiterStore;
  const limits = {
    memberLogin: RateLimit.of(store, 'member-login', rl.memberLogin),
    devLogin: RateLimit.of(store, 'dev-login', rl.devLogin),
    staffLogin: RateLimit.of(store, 'staff-login', rl.staffLogin),
    phoneNumber: RateLimit.of(store, 'phone-number', rl.phoneNumber),
    invalidCodesPerStaff: RateLimit.of(store, 'invalid-codes-staff', rl.invalidCodes.perStaff),
    invalidCodesPerStore: RateLimit.of(store, 'invalid-codes-store', rl.invalidCodes.perStore),
    registrationWithPhonePerMember: RateLimit.of(store, 'registration-phone-member', rl.registrationWithPhone.perMember),
    registrationWithPhonePerAddress: RateLimit.of(store, 'registration-phone-address', rl.registrationWithPhone.perAddress),
    shareVisitsPerMember: RateLimit.of(store, 'share-visits-member', rl.shareVisits.perMember),
    shareVisitsPerAddress: RateLimit.of(store, 'share-visits-address', rl.shareVisits.perAddress),
    registrationWithInvitePerMember: RateLimit.of(store, 'registration-invite-member', rl.registrationWithInvite.perMember),
    registrationWithInvitePerAddress: RateLimit.of(store, 'registration-invite-address', rl.registrationWithInvite.perAddress),
    staffSignInPerAddress: new Backoff(store, 'staff-sign-in-address', d.runtime.staffAuth.perAddress),
    staffSignInPerUsername: new Slowdown(store, 'staff-sign-in-username', d.runtime.staffAuth.perUsername),
    checkinPerMember: RateLimit.of(store, 'checkin-member', rl.checkin.perMember),
    checkinPerAddress: RateLimit.of(store, 'checkin-address', rl.checkin.perAddress),
    inviteQrcodePerMember: RateLimit.of(store, 'invite-qrcode-member', rl.inviteQrcode.perMember),
  };
  const points = new PointsService(d.db, repos.members, repos.points, d.loyalty, d.clock, repos.reportCounters);
  const coupons = new CouponService(repos.coupons, d.loyalty, d.clock, repos.reportCounters);
  // Check-in, review, share and referral rewards go through this, under `interactionCaps`.
  const interactionRewards = new InteractionRewards(d.db, points, repos.points, d.loyalty, d.clock);
  const members = new MemberService(d.db, repos, points, d.loyalty, d.clock, crypto, d.wechat, {
    phoneNumber: limits.phoneNumber,
    withPhonePerMember: limits.registrationWithPhonePerMember,
    withPhonePerAddress: limits.registrationWithPhonePerAddress,
    rawPhoneAllowed: d.rawPhoneAllowed,
  });
  const staff = new StaffService(repos.staff, { staffAuth: d.runtime.staffAuth, revocationCacheSeconds: d.runtime.auth.staffRevocationCacheSeconds }, d.clock, {
    perAddress: limits.staffSignInPerAddress,
    perUsername: limits.staffSignInPerUsername,
  });
  const campaigns = new CampaignService(d.db, repos, d.loyalty, d.clock, d.runtime.campaigns.cacheSeconds);
  const counter = new CounterService(
    d.db,
    repos,
    points,
    coupons,
    d.loyalty,
    d.clock,
    crypto,
    {
      perStaff: limits.invalidCodesPerStaff,
      perStore: limits.invalidCodesPerStore,
    },
    campaigns,
  );
  const mall = new MallService(d.db, repos, points, coupons, d.loyalty, d.clock);
  const reports = new ReportService(d.db, repos.reports, repos.reportCounters, d.loyalty.businessTimeZone, d.runtime.reports);
  const admin = new AdminService(d.db, repos, points, coupons, d.loyalty, d.clock, crypto, staff, d.runtime.staffAuth.scryptCost, reports);
  d.db.afterCommitFailed = (err) => d.logger.error({ err }, 'work after a commit failed');
  const checkins = new CheckinService(
    d.db,
    repos.engagement,
    points,
    interactionRewards,
    members,
    d.loyalty,
    d.clock,
    {
      perMember: limits.checkinPerMember,
      perAddress: limits.checkinPerAddress,
    },
    repos.reportCounters,
  );
  const reviews = new ReviewService(d.db, repos.engagement, points, interactionRewards, d.loyalty, d.clock);

  /**
   * A gift that comes with something else (registering, an upgrade) never blocks it: if the
   * template says no (sold out, capped, tier), the member still registers or pays, and the refusal
   * is logged for the operators. Issued in the same transaction, once per event.
   */
  const gift = async (member: MemberRow, templateCode: string, sourceKey: string): Promise<boolean> => {
    try {
      return !(await coupons.issueOnce(member, templateCode, sourceKey)).replayed;
    } catch (e) {
      if (!(e instanceof DomainError) || !GIFT_REFUSALS.has(e.code)) throw e;
      d.logger.warn({ templateCode, sourceKey, refusal: e.code }, 'gift coupon not issued');
      return false;
    }
  };
  // Welcome coupons are part of registering, once per person (not again after erasing and re-joining).
  members.onRegistered(async (member, { returning }) => {
    if (returning) return;
    for (const event of ['registration', 'firstOrder'] as const) {
      const template = d.loyalty.couponEvents[event];
      if (template) await gift(member, template, `event:${event}`);
    }
  });
  // An upgrade gift once per tier per member, ever (the event key is the tier), for every tier the
  // upgrade crosses: a purchase that lifts a member from 普通 straight to 金卡 brings both gifts.
  points.onTierUpgrade(async (memberId, from, to) => {
    const crossed = tiersCrossed(d.loyalty.tiers, from, to);
    const member = await repos.members.byId(memberId);
    if (!member) return;
    for (const tier of crossed) {
      if (tier.upgradeGiftTemplate) await gift({ ...member, tier: to }, tier.upgradeGiftTemplate, `upgrade-gift:${tier.code}`);
    }
  });

  // Notifications (PRODUCT §11): queued in the transaction of the event they tell about.
  const notifications = new NotificationService(d.db, repos.notifications, repos.members, crypto, d.wechat, d.runtime, d.loyalty, d.clock, d.logger);
  points.onTierUpgrade(async (memberId, from, to) => {
    const change = await repos.notifications.latestTierChangeId(memberId);
    if (change) await notifications.tierChanged(memberId, change, from, to, 'upgrade');
  });
  points.onTierReviewed((memberId, changeId, from, to) => notifications.tierChanged(memberId, changeId, from, to, 'review'));
  counter.onOrder((member, order) => notifications.pointsChanged(member, { source: 'order', id: order.id, delta: order.pointsEarned - order.pointsUsed }));
  counter.onRefund((locked, _order, _completes, refund) =>
    notifications.pointsChanged(locked.member, { source: 'refund', id: refund.id, delta: refund.pointsReturned - refund.pointsReversed }),
  );
  const occasions = new OccasionCouponService(d.db, repos.occasions, points, gift, d.loyalty);

  // Share-to-earn and referral invitations (PRODUCT §7–8).
  const risk = new RiskCheck(d.wechat, crypto, d.runtime.riskControl.holdAtRank, d.logger);
  const shares = new ShareService(
    d.db,
    repos,
    points,
    d.loyalty,
    d.clock,
    risk,
    interactionRewards,
    {
      visitsPerMember: limits.shareVisitsPerMember,
      visitsPerAddress: limits.shareVisitsPerAddress,
    },
    d.logger,
  );
  const milestoneGift = async (inviter: MemberRow, sourceKey: string): Promise<string | null> => {
    try {
      return (await coupons.issueOnce(inviter, d.loyalty.referral.milestoneTemplate, sourceKey)).coupon.id;
    } catch (e) {
      if (!(e instanceof DomainError) || !GIFT_REFUSALS.has(e.code)) throw e;
      d.logger.warn({ templateCode: d.loyalty.referral.milestoneTemplate, sourceKey, refusal: e.code }, 'gift coupon not issued');
      return null;
    }
  };
  const referrals = new ReferralService(
    d.db,
    repos,
    points,
    d.loyalty,
    d.clock,
    risk,
    interactionRewards,
    milestoneGift,
    {
      perMember: limits.registrationWithInvitePerMember,
      perAddress: limits.registrationWithInvitePerAddress,
    },
    d.logger,
  );
  members.checkRegistrations((caller, body, ctx) => referrals.checkRegistration(caller, body, ctx));
  members.checkRegistrations((caller, body, ctx) => shares.checkRegistration(caller, body.shareToken, ctx.from));
  counter.onOrder((member, order) => referrals.orderRecorded(member, order));
  counter.onRefund((locked, order) => referrals.refunded(locked, order));
  const inviteQrcode = new InviteQrcodeService(repos.members, d.wechat, d.runtime.inviteQrcode, d.clock, limits.inviteQrcodePerMember);
  const heldRewards = new HeldRewardsService(d.db, repos, shares, referrals, d.clock);
  checkins.onCheckedIn((member, day) => d.db.afterCommit(() => shares.friendActed(member, 'checkin', `checkin:${day}`)));
  mall.onRedeemed((member, redemptionId) => d.db.afterCommit(() => shares.friendActed(member, 'redeem', `redemption:${redemptionId}`)));

  return {
    db: d.db,
    loyalty: d.loyalty,
    runtime: d.runtime,
    clock: d.clock,
    logger: d.logger,
    repos,
    crypto,
    limits,
    points,
    interactionRewards,
    coupons,
    members,
    staff,
    counter,
    mall,
    admin,
    reports,
    campaigns,
    checkins,
    reviews,
    shares,
    referrals,
    inviteQrcode,
    heldRewards,
    notifications,
    occasions,
  };
}

export type Services = ReturnType<typeof createServices>;

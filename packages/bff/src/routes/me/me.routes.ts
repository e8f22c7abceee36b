import {
  CheckinMonth,
  CheckinResult,
  CheckinsQuery,
  Coupon,
  CouponsQuery,
  GrowthLedgerEntry,
  Member,
  MemberCard,
  MemberCodeQuery,
  MemberCodeResponse,
  MemberOrder,
  MemberOrderDetail,
  PageQuery,
  PatchMeBody,
  Paths,
  PersonalDataExport,
  PointsLedgerEntry,
  PointsLedgerQuery,
  Redemption,
  RedemptionParams,
  Review,
  ReviewBody,
  ReviewParams,
  Subscriptions,
  SubscriptionsBody,
  TierHistoryEntry,
  type LoyaltyConfig,
} from '@member/shared';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { Clock } from '../../lib/clock';
import {
  presentCheckin,
  presentCoupon,
  presentExport,
  presentGrowthEntry,
  presentMember,
  presentMemberOrder,
  presentMemberOrderDetail,
  presentPointsEntry,
  presentRedemption,
  presentReview,
  presentTierChange,
} from '../../presenters';
import type { CheckinService } from '../../services/checkin.service';
import type { ReviewService } from '../../services/review.service';
import type { CounterService } from '../../services/counter.service';
import type { CouponService } from '../../services/coupon.service';
import type { MallService } from '../../services/mall.service';
import type { MemberService } from '../../services/member.service';
import type { NotificationService } from '../../services/notification.service';

export interface MeRouteDeps {
  members: MemberService;
  coupons: CouponService;
  counter: CounterService;
  mall: MallService;
  checkins: CheckinService;
  reviews: ReviewService;
  notifications: NotificationService;
  loyalty: LoyaltyConfig;
  clock: Clock;
}

const tag = 'member';
const member = { audience: 'member' } as const;

/** Everything under `/api/v1/me`: the signed-in member's own card, history, wallet, orders and data. */
export function meRoutes(d: MeRouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: Paths.me,
      tag,
      summary: 'The member card',
      auth: member,
      response: MemberCard,
      errors: ['NOT_FOUND'],
      handler: ({ caller }) => d.members.card(caller.memberId),
    }),
    defineRoute({
      method: 'patch',
      path: Paths.me,
      tag,
      summary: 'Change nickname or birthday (the birthday at most once per profile.birthdayChangeDays)',
      auth: member,
      body: PatchMeBody,
      response: Member,
      errors: ['NOT_FOUND', 'LIMIT_REACHED'],
      handler: async ({ caller, body }) => {
        const m = await d.members.update(caller.memberId, body);
        return presentMember(m, d.loyalty, d.members.phoneOf(m));
      },
    }),
    defineRoute({
      method: 'delete',
      path: Paths.me,
      tag,
      summary: 'Erase personal data (ledgers stay, anonymised)',
      auth: member,
      response: z.object({ erased: z.literal(true) }),
      handler: async ({ caller }) => {
        await d.members.erase(caller.memberId);
        return { erased: true as const };
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.meCode,
      tag,
      summary: 'The current dynamic member code (the same the device derives offline); usePoints=true carries the points flag',
      auth: member,
      query: MemberCodeQuery,
      response: MemberCodeResponse,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, query }) => {
        const c = await d.members.currentCode(caller.memberId, query.usePoints === 'true');
        return { ...c, expiresAt: c.expiresAt.toISOString() };
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.mePointsLedger,
      tag,
      summary: 'Points history, newest first',
      auth: member,
      query: PointsLedgerQuery,
      response: PointsLedgerEntry,
      paged: true,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, query }) => {
        const page = await d.members.pointsHistory(caller.memberId, query.cursor, query.limit, query.type);
        return { items: page.rows.map((e) => presentPointsEntry(e, page.subjects.get(e.id))), nextCursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.meGrowthLedger,
      tag,
      summary: 'Growth history, newest first',
      auth: member,
      query: PageQuery,
      response: GrowthLedgerEntry,
      paged: true,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, query }) => {
        const page = await d.members.growthHistory(caller.memberId, query.cursor, query.limit);
        return { items: page.rows.map(presentGrowthEntry), nextCursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.meTierHistory,
      tag,
      summary: 'Tier changes, newest first',
      auth: member,
      response: z.array(TierHistoryEntry),
      errors: ['NOT_FOUND'],
      handler: async ({ caller }) => (await d.members.tierHistory(caller.memberId)).map(presentTierChange),
    }),
    defineRoute({
      method: 'get',
      path: Paths.meCoupons,
      tag,
      summary: 'The coupon wallet: available, used or expired coupons',
      auth: member,
      query: CouponsQuery,
      response: z.array(Coupon),
      errors: ['NOT_FOUND'],
      handler: async ({ caller, query }) => {
        await d.members.registered(caller.memberId);
        const now = d.clock.now();
        return (await d.coupons.list(caller.memberId, query.status)).map((c) => presentCoupon(c, now));
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.meOrders,
      tag,
      summary: 'The member’s counter orders, newest first',
      auth: member,
      response: z.array(MemberOrder),
      errors: ['NOT_FOUND'],
      handler: async ({ caller }) => {
        await d.members.registered(caller.memberId);
        const now = d.clock.now();
        return (await d.counter.ordersOfMember(caller.memberId)).map((o) => presentMemberOrder(o, d.loyalty, now));
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.meOrder,
      tag,
      summary: 'One of the member’s counter orders as an e-receipt: figures, coupon, points, refunds, review (another member’s order is 404)',
      auth: member,
      params: ReviewParams,
      response: MemberOrderDetail,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, params }) => {
        await d.members.registered(caller.memberId);
        const { order, refunds } = await d.counter.orderOfMember(caller.memberId, params.orderId);
        return presentMemberOrderDetail(order, refunds, d.loyalty, d.clock.now());
      },
    }),
    defineRoute({
      method: 'post',
      path: Paths.meOrderReview,
      tag,
      summary: 'Review a counter visit: 1–5 stars, up to three quick tags, a comment; once per order, within review.windowDays',
      auth: member,
      params: ReviewParams,
      body: ReviewBody,
      response: Review,
      status: 201,
      errors: ['NOT_FOUND', 'ALREADY_REVIEWED', 'NOT_ELIGIBLE'],
      handler: async ({ caller, params, body }) => presentReview(await d.reviews.review(caller.memberId, params.orderId, body)),
    }),
    defineRoute({
      method: 'post',
      path: Paths.meCheckins,
      tag,
      summary: 'Check in for today (the server’s business day): once a day, a streak bonus every checkin.cycleDays days',
      auth: member,
      response: CheckinResult,
      status: 201,
      errors: ['NOT_FOUND', 'ALREADY_CHECKED_IN', 'RATE_LIMITED'],
      handler: async ({ caller, clientAddress }) => {
        const r = await d.checkins.checkIn(caller.memberId, clientAddress);
        return presentCheckin(r.row, r.capped);
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.meCheckins,
      tag,
      summary: 'Days checked in during a business month (the current one by default), the streak, and whether today is done',
      auth: member,
      query: CheckinsQuery,
      response: CheckinMonth,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, query }) => d.checkins.month(caller.memberId, query.month),
    }),
    defineRoute({
      method: 'get',
      path: Paths.meSubscriptions,
      tag,
      summary: 'Notification kinds: the WeChat template to ask for and how many messages of each the member has allowed and not yet received',
      auth: member,
      response: Subscriptions,
      handler: ({ caller }) => d.notifications.subscriptions(caller.memberId),
    }),
    defineRoute({
      method: 'post',
      path: Paths.meSubscriptions,
      tag,
      summary: 'Report what the member accepted in WeChat’s one-time subscribe dialog: one message allowed per accepted kind',
      auth: member,
      body: SubscriptionsBody,
      response: Subscriptions,
      handler: ({ caller, body }) => d.notifications.accept(caller.memberId, body.accepted),
    }),
    defineRoute({
      method: 'get',
      path: Paths.meExport,
      tag,
      summary: 'Export all personal data (PIPL)',
      auth: member,
      response: PersonalDataExport,
      errors: ['NOT_FOUND'],
      handler: async ({ caller }) => presentExport(await d.members.exportData(caller.memberId), d.loyalty),
    }),
    defineRoute({
      method: 'get',
      path: Paths.meRedemptions,
      tag: 'mall',
      summary: 'My redemptions, newest first',
      auth: member,
      response: z.array(Redemption),
      errors: ['NOT_FOUND'],
      handler: async ({ caller }) => {
        await d.members.registered(caller.memberId);
        const now = d.clock.now();
        return (await d.mall.ofMember(caller.memberId)).map((v) => presentRedemption(v.redemption, v.coupons, now));
      },
    }),
    defineRoute({
      method: 'post',
      path: Paths.meRedemptionCancel,
      tag: 'mall',
      summary: 'Cancel an unfulfilled pickup: points and stock come back',
      auth: member,
      params: RedemptionParams,
      response: Redemption,
      errors: ['NOT_FOUND', 'NOT_ELIGIBLE'],
      handler: async ({ caller, params }) => presentRedemption(await d.mall.cancelMine(caller.memberId, params.id), [], d.clock.now()),
    }),
  ];
}

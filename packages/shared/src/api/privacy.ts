import { z } from 'zod';
import { NotificationKind, NotificationStatus, ReferralStatus, RewardHoldStatus, ShareAction, SharePage } from '../vocabulary';
import { Id, IsoDateTime } from './common';
import { Coupon, Order, Refund } from './counter';
import { Redemption } from './mall';
import { CheckinResult, Review } from './engagement';
import { GrowthLedgerEntry, Member, PointsLedgerEntry, TierHistoryEntry } from './member';

/** A refund of one of the member's orders: what it gave back and what it took back. */
export const ExportedRefund = Refund.pick({
  id: true,
  orderId: true,
  refundNo: true,
  amountCents: true,
  pointsReversed: true,
  growthReversed: true,
  pointsReturned: true,
  couponRestored: true,
  createdAt: true,
});
export type ExportedRefund = z.infer<typeof ExportedRefund>;

/** A mall redemption with its pickup code; the coupons it gave are listed under `coupons`. */
export const ExportedRedemption = Redemption.omit({ coupons: true }).extend({ couponIds: z.array(Id) });
export type ExportedRedemption = z.infer<typeof ExportedRedemption>;

/** A share link the member made. */
export const ExportedShare = z.object({ token: z.string(), page: SharePage, targetId: Id.nullable(), createdAt: IsoDateTime });

/** A reward the member earned because a friend took part through their link (the friend is not named). */
export const ExportedShareReward = z.object({
  action: ShareAction,
  day: z.string(),
  status: RewardHoldStatus,
  points: z.number().int(),
  growth: z.number().int(),
  createdAt: IsoDateTime,
  paidAt: IsoDateTime.nullable(),
});

/** An invitation the member is part of, as the inviter or the invitee (the other side is not named), with what it gave the member. */
export const ExportedInvitation = z.object({
  role: z.enum(['inviter', 'invitee']),
  status: ReferralStatus,
  points: z.number().int(),
  growth: z.number().int(),
  registeredAt: IsoDateTime,
  orderedAt: IsoDateTime.nullable(),
  rewardedAt: IsoDateTime.nullable(),
  reversedAt: IsoDateTime.nullable(),
});

/** Everything the member center holds about a member (GET /api/v1/me/export, PIPL). */
export const PersonalDataExport = z.object({
  exportedAt: IsoDateTime,
  member: Member.extend({ phone: z.string().nullable() }),
  pointsLedger: z.array(PointsLedgerEntry),
  growthLedger: z.array(GrowthLedgerEntry),
  tierHistory: z.array(TierHistoryEntry),
  coupons: z.array(Coupon),
  orders: z.array(Order),
  refunds: z.array(ExportedRefund),
  redemptions: z.array(ExportedRedemption),
  checkins: z.array(CheckinResult.omit({ capped: true }).extend({ createdAt: IsoDateTime })),
  reviews: z.array(Review),
  shares: z.array(ExportedShare),
  /** The links the member opened as a friend: which link, and when. */
  shareVisits: z.array(z.object({ shareId: Id, visitedAt: IsoDateTime })),
  shareRewards: z.array(ExportedShareReward),
  invitations: z.array(ExportedInvitation),
  /** The notifications queued for the member (WeChat subscribe messages): what they said and what became of them. */
  notifications: z.array(
    z.object({
      kind: NotificationKind,
      fields: z.record(z.string(), z.string()),
      status: NotificationStatus,
      createdAt: IsoDateTime,
      sentAt: IsoDateTime.nullable(),
    }),
  ),
  /** Messages the member allowed per kind and has not received. */
  subscriptions: z.array(z.object({ kind: NotificationKind, credits: z.number().int() })),
  /** The privacy notice the member agreed to, and when. */
  consent: z.object({ version: z.string(), consentedAt: IsoDateTime.nullable() }),
});
export type PersonalDataExport = z.infer<typeof PersonalDataExport>;

import { z } from 'zod';

/**
 * The domain vocabulary, defined once. Database entities, API schemas and the mini-program's
 * Chinese labels (typed `Record<Name, string>`) all derive from these enums, so adding a value here
 * fails to compile until every place that shows or stores it knows it.
 */

/** What a coupon gives: a fixed amount off, an amount off above a threshold, or a percentage. */
export const CouponKind = z.enum(['cash', 'threshold', 'discount']);
export type CouponKind = z.infer<typeof CouponKind>;

/** A member's coupon as stored: `locked` is held by an open counter quote for a short while. */
export const CouponStatus = z.enum(['available', 'locked', 'used', 'expired']);
export type CouponStatus = z.infer<typeof CouponStatus>;

/** A coupon as the wallet shows it: locked counts as available, lapsed as expired. */
/**
 * Why a member holds a coupon: a welcome or first-order event, a tier upgrade, the birthday month,
 * a wake-up after dormancy, a referral milestone, the points mall, or an operator's grant.
 */
export const CouponOccasion = z.enum(['event', 'upgrade', 'birthday', 'dormant', 'referral', 'mall', 'grant']);
export type CouponOccasion = z.infer<typeof CouponOccasion>;

export const CouponView = z.enum(['available', 'used', 'expired']);
export type CouponView = z.infer<typeof CouponView>;

/** Where a coupon template came from: `config/loyalty.json` or an operator. */
export const TemplateSource = z.enum(['config', 'admin']);
export type TemplateSource = z.infer<typeof TemplateSource>;

/** Roles of staff accounts; admins sign in with an admin token, the others with a staff token. */
export const StaffRole = z.enum(['cashier', 'manager', 'admin']);
export type StaffRole = z.infer<typeof StaffRole>;

/**
 * What a refund did with the coupon its order used: `none` (the order used none), `partial` (a
 * partial refund: the coupon stays used until the order is refunded in full), `restored` (the
 * refund completed the order and the coupon was still valid: back in the wallet) or `expired` (it
 * completed the order but the coupon's validity had passed: not given back).
 */
export const RefundCouponOutcome = z.enum(['none', 'partial', 'restored', 'expired']);
export type RefundCouponOutcome = z.infer<typeof RefundCouponOutcome>;

/** What a points-mall item hands over. */
export const MallItemKind = z.enum(['coupon', 'physical', 'service']);
export type MallItemKind = z.infer<typeof MallItemKind>;

/** A redemption's life: coupon items are issued at once; the others wait for a pickup. */
export const RedemptionStatus = z.enum(['issued', 'awaiting_pickup', 'fulfilled', 'cancelled']);
export type RedemptionStatus = z.infer<typeof RedemptionStatus>;

/** A member account: created at first login (pending), active once registered, erased on request. */
export const MemberStatus = z.enum(['pending', 'active', 'erased']);
export type MemberStatus = z.infer<typeof MemberStatus>;

/** Why a points ledger entry exists. */
export const PointsReason = z.enum([
  'order',
  'checkin',
  'review',
  'share',
  'referral',
  'redeem',
  'redeem_cancel',
  'refund',
  'refund_return',
  'expire',
  'adjust',
  'spend',
  'seed',
]);
export type PointsReason = z.infer<typeof PointsReason>;

/** Why a growth ledger entry exists. */
export const GrowthReason = z.enum(['order', 'checkin', 'review', 'share', 'referral', 'refund', 'adjust', 'seed']);
export type GrowthReason = z.infer<typeof GrowthReason>;

/** Why a member's tier changed. */
export const TierChangeReason = z.enum(['registration', 'upgrade', 'review', 'admin']);
export type TierChangeReason = z.infer<typeof TierChangeReason>;

/**
 * The quick tags a member may pick (up to three) when reviewing a counter visit; the mini-program
 * labels each in Chinese.
 */
export const ReviewTag = z.enum(['friendly_staff', 'fast_service', 'good_products', 'clean_store', 'good_value', 'will_return']);
export type ReviewTag = z.infer<typeof ReviewTag>;

/** Pages a member can share: a mall item, the mall, or their invite page. */
export const SharePage = z.enum(['item', 'mall', 'invite']);
export type SharePage = z.infer<typeof SharePage>;

/** What a friend who opened a share link did that may reward the sharer (never the sharing itself). */
export const ShareAction = z.enum(['register', 'checkin', 'redeem']);
export type ShareAction = z.infer<typeof ShareAction>;

/** A reward owed to a sharer or inviter: paid, or held for review because WeChat rates the friend risky (then released by an operator). */
export const RewardHoldStatus = z.enum(['paid', 'held', 'released']);
export type RewardHoldStatus = z.infer<typeof RewardHoldStatus>;

/**
 * An invitation's life: the friend `registered` with the code; their first counter order made it
 * `ordered`, and then `rewarded` (both paid), `held` (for review: WeChat rates the friend risky),
 * or `capped` (the inviter had reached the month's cap: nothing paid); `reversed` when that first
 * order was refunded in full (what was paid is taken back).
 */
export const ReferralStatus = z.enum(['registered', 'ordered', 'rewarded', 'held', 'capped', 'reversed']);
export type ReferralStatus = z.infer<typeof ReferralStatus>;

/**
 * Why an invite code or share token given at registration is refused (422 NOT_ELIGIBLE,
 * `details.reason`): no such code or token, the caller's own code, a code whose inviter was
 * (directly or up the chain) invited by the caller, a caller who is a member already, or a WeChat
 * identity or phone number that belonged to a member before.
 */
export const InviteRefusal = z.enum(['unknown-code', 'unknown-share', 'self', 'cycle', 'existing-member', 'former-member']);
export type InviteRefusal = z.infer<typeof InviteRefusal>;

/**
 * What a member may be told by a WeChat subscribe message: points about to expire, a coupon about
 * to expire, a tier change, points moved by an order or a refund. Each kind has its own template.
 */
export const NotificationKind = z.enum(['points_expiring', 'coupon_expiring', 'tier_changed', 'points_changed']);
export type NotificationKind = z.infer<typeof NotificationKind>;

/**
 * A queued notification's life: `pending` (due at its next attempt), `sending` (claimed by a
 * sender, outcome not yet recorded), `sent`, `failed` (given up: a permanent WeChat refusal, the
 * attempts used up, or an outcome never learnt) or `skipped` (the member had no send credit).
 */
export const NotificationStatus = z.enum(['pending', 'sending', 'sent', 'failed', 'skipped']);
export type NotificationStatus = z.infer<typeof NotificationStatus>;

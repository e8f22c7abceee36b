import type {
  CouponView,
  InviteRefusal,
  NotificationKind,
  PointsReason,
  RedemptionStatus,
  ReferralStatus,
  RefundCouponOutcome,
  ReviewTag,
} from '@member/shared/vocabulary';

/**
 * Chinese labels of the shared vocabulary. Each table is a Record over the vocabulary's type, so a
 * value added in shared does not compile here until it has its label.
 */

export const POINTS_REASON_TEXT: Record<PointsReason, string> = {
  order: '到店消费',
  checkin: '每日签到',
  review: '评价奖励',
  share: '分享奖励',
  referral: '邀请奖励',
  redeem: '积分兑换',
  redeem_cancel: '兑换取消退回',
  refund: '退款扣回',
  refund_return: '退款退回',
  expire: '积分过期',
  adjust: '积分调整',
  spend: '积分抵现',
  seed: '开卡赠送',
};

/** A redemption as the member sees it in 我的兑换. */
export const REDEMPTION_STATUS_TEXT: Record<RedemptionStatus, string> = {
  issued: '已发放到券包',
  awaiting_pickup: '待领取',
  fulfilled: '已领取',
  cancelled: '已取消',
};

/** The same redemption as a store manager sees it at pickup. */
export const PICKUP_STATUS_TEXT: Record<RedemptionStatus, string> = {
  issued: '优惠券（无需提货）',
  awaiting_pickup: '待领取',
  fulfilled: '已领取',
  cancelled: '已取消',
};

/** The wallet's tabs. */
export const COUPON_VIEW_TEXT: Record<CouponView, string> = {
  available: '可使用',
  used: '已使用',
  expired: '已过期',
};

/** The line under a coupon in the wallet. */
export const COUPON_VIEW_HINT: Record<CouponView, string> = {
  available: '到店出示会员码即可使用',
  used: '已使用',
  expired: '已过期',
};

/** The wallet's empty state per tab. */
export const COUPON_VIEW_EMPTY: Record<CouponView, string> = {
  available: '暂无可用优惠券',
  used: '还没有用过优惠券',
  expired: '没有过期的优惠券',
};

/** What a refund will do with the order's coupon, on the confirmation sheet (before it happens). */
export const REFUND_COUPON_PREVIEW: Record<RefundCouponOutcome, string> = {
  none: '本单未使用优惠券',
  partial: '部分退款，优惠券暂不退回（整单退完时才退回）',
  restored: '仍在有效期内，将退回会员券包',
  expired: '已过有效期，不会退回',
};

/** What the refund did with the order's coupon, and why, on the result page. */
export const REFUND_COUPON_RESULT: Record<RefundCouponOutcome, string> = {
  none: '本单未使用优惠券',
  partial: '未退回：部分退款，整单退完时才退回',
  restored: '已退回会员券包',
  expired: '未退回：优惠券已过有效期',
};

/** The quick tags of a review, as the member picks them. */
export const REVIEW_TAG_TEXT: Record<ReviewTag, string> = {
  friendly_staff: '服务热情',
  fast_service: '出单快',
  good_products: '商品好',
  clean_store: '环境整洁',
  good_value: '性价比高',
  will_return: '还会再来',
};

/** The tags in the order the review sheet offers them (the table is complete by its type; no zod at run time). */
export const REVIEW_TAGS = Object.keys(REVIEW_TAG_TEXT) as ReviewTag[];

/**
 * A table's entry for a value from the server, or undefined: a server newer than this build may
 * send a value the (compile-time complete) table does not know yet.
 */
export function entryOf<V>(table: Record<string, V>, value: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(table, value) ? table[value] : undefined;
}

/** The label of a value from the server; an unknown value shows as itself rather than as nothing. */
export function labelOf<K extends string>(table: Record<K, string>, value: K): string {
  return entryOf<string>(table, value) ?? value;
}

/** An invitee as the inviter sees them on the invite page. */
export const REFERRAL_STATUS_TEXT: Record<ReferralStatus, string> = {
  registered: '已注册，待首单',
  ordered: '已完成首单',
  rewarded: '已奖励',
  held: '奖励审核中',
  capped: '已完成首单（本月奖励已满）',
  reversed: '首单已退款，奖励已收回',
};

/** Why registration refused an invite link (422 NOT_ELIGIBLE, details.reason). */
export const INVITE_REFUSAL_TEXT: Record<InviteRefusal, string> = {
  'unknown-code': '邀请码无效',
  'unknown-share': '分享链接已失效',
  self: '不能使用自己的邀请码',
  cycle: '不能邀请邀请过你的人',
  'existing-member': '您已是会员，不能再被邀请',
  'former-member': '该微信或手机号曾是会员，不能再被邀请',
};

/** The notification kinds as the 消息通知 setting names them. */
export const NOTIFICATION_KIND_TEXT: Record<NotificationKind, string> = {
  points_expiring: '积分到期提醒',
  coupon_expiring: '优惠券到期提醒',
  tier_changed: '会员等级变动',
  points_changed: '消费积分变动',
};

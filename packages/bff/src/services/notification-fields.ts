import type { NotificationKind } from '@member/shared';

/**
 * The fields a notification of each kind carries (its payload), all text ready to show. The
 * template settings map WeChat's keywords to these (config/runtime.json `notifications.templates`).
 * Nothing here identifies the member: no phone number, no openid.
 */
export const NOTIFICATION_FIELDS = {
  /** A lot's points about to lapse: how many, on which business day, and the balance now. */
  points_expiring: ['points', 'expiresOn', 'balance', 'note'],
  /** A coupon about to end: its title and last valid business day. */
  coupon_expiring: ['title', 'validTo', 'note'],
  /** A tier change: from, to (tier names) and why (升级 / 等级调整). */
  tier_changed: ['from', 'to', 'reason', 'changedOn'],
  /** Points moved by an order or a refund: the signed change, the balance after, why and when. */
  points_changed: ['delta', 'balance', 'reason', 'changedAt'],
} as const satisfies Record<NotificationKind, readonly [string, ...string[]]>;

export type NotificationPayload<K extends NotificationKind> = Record<(typeof NOTIFICATION_FIELDS)[K][number], string>;

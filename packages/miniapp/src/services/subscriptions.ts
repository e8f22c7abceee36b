import type { Subscriptions } from '@member/shared/api';
import type { NotificationKind } from '@member/shared/vocabulary';
import type { SubscribePlatform } from '../platform/index';
import { NOTIFICATION_KIND_TEXT } from './labels';

/** What 我的 → 消息通知 asks for with one tap (WeChat's dialog takes at most three templates). */
export const SETTING_KINDS: readonly NotificationKind[] = ['points_expiring', 'coupon_expiring', 'tier_changed'];
/** What the code page asks for, just before a purchase: the points it will move. */
export const CODE_PAGE_KINDS: readonly NotificationKind[] = ['points_changed'];

/** Said on H5, where WeChat messages cannot be allowed. */
export const ONLY_IN_WECHAT = '消息提醒通过微信服务通知发送，请在微信小程序中开启';

export interface AskOutcome {
  /** The counts after the member's answer was reported, or null when nothing was reported. */
  subscriptions: Subscriptions | null;
  message: string;
}

/**
 * The subscribe button's tap: opens WeChat's dialog for `kinds` and reports what the member
 * allowed (`report`: POST /me/subscriptions). WeChat opens the dialog only from a tap, so the
 * dialog is asked for first, before anything else is awaited: the templates come from `current`,
 * loaded with the page. Nothing is reported when nothing was allowed; never rejects except when
 * the report fails (the caller shows that error).
 */
export async function askForNotifications(
  kinds: readonly NotificationKind[],
  current: Subscriptions,
  platform: SubscribePlatform,
  report: (accepted: NotificationKind[]) => Promise<Subscriptions>,
): Promise<AskOutcome> {
  if (!platform.available) return { subscriptions: null, message: ONLY_IN_WECHAT };
  const templates = current.kinds.filter((k) => kinds.includes(k.kind)).map((k) => ({ kind: k.kind, templateId: k.templateId }));
  const answer = await platform.request(templates);
  if (answer.failed) return { subscriptions: null, message: '未能打开订阅窗口，请在微信「设置 → 通知」中允许本小程序的订阅消息' };
  if (answer.accepted.length === 0) return { subscriptions: null, message: '未开启提醒' };
  const subscriptions = await report(answer.accepted);
  return { subscriptions, message: `已开启：${answer.accepted.map((k) => NOTIFICATION_KIND_TEXT[k]).join('、')}` };
}

/** How many messages of a kind the member has allowed and not yet received, as a line of the setting. */
export function creditText(credits: number): string {
  return credits > 0 ? `可接收 ${credits} 条` : '未开启';
}

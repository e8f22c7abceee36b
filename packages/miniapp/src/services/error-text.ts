import { entryOf } from './labels';
import { ApiError, type ClientErrorCode } from './api-error';

const FALLBACK = '出错了，请稍后重试';

/**
 * The Chinese text for each error code. A Record, so a new code in shared does not compile until
 * it has a line here. Codes no screen has asked for yet read as the generic failure.
 */
const TEXT: Record<ClientErrorCode, string> = {
  NETWORK: '网络不可用，请检查网络后重试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  WECHAT_UNAVAILABLE: '微信服务繁忙，请稍后重试',
  SERVICE_UNAVAILABLE: '服务暂时不可用，请稍后重试',
  ALREADY_REGISTERED: '您已经是会员了',
  VALIDATION_FAILED: '填写的信息有误，请检查后重试',
  LIMIT_REACHED: '已达到次数上限',
  CODE_EXPIRED: '会员码已过期，请让会员刷新后重新扫码',
  CODE_INVALID: '会员码无效，请重新扫码或核对数字',
  CODE_ALREADY_USED: '该会员码已用于一笔订单，请等会员码自动更新后重新扫码',
  COUPON_NOT_APPLICABLE: '该优惠券不满足使用条件',
  POINTS_INSUFFICIENT: '积分余额不足',
  POINTS_CAP_EXCEEDED: '积分抵扣超过上限',
  REFUND_EXCEEDS_ORDER: '退款金额超过可退金额',
  IDEMPOTENCY_MISMATCH: '该单号已用于另一笔交易',
  NOT_FOUND: '没有找到对应记录',
  UNAUTHENTICATED: '请重新登录',
  FORBIDDEN: '没有权限进行此操作',
  ALREADY_CHECKED_IN: '今天已经签到过了',
  ALREADY_REVIEWED: '这笔订单已经评价过了',
  OUT_OF_STOCK: '已兑完，请看看其他商品',
  TIER_REQUIRED: '会员等级不足，升级后即可兑换',
  NOT_ELIGIBLE: '暂不符合条件',
  USERNAME_TAKEN: '该用户名已被使用',
  TEMPLATE_CODE_TAKEN: '该券模板编码已存在',
  CAMPAIGN_CODE_TAKEN: '该活动编码已存在',
  JOB_RUNNING: '该任务正在运行，请稍后再试',
  INTERNAL: FALLBACK,
};

/** Texts a screen gives to codes that mean something specific in its context. */
export type ErrorTexts = Partial<Record<ClientErrorCode, string>>;

/**
 * Chinese text for an error, for toasts and error states. Decided by the code alone (and the
 * caller's `texts`, which know what was asked): a server message is for logs, not for matching.
 */
export function errorText(e: unknown, texts: ErrorTexts = {}): string {
  if (!(e instanceof ApiError)) return FALLBACK;
  return texts[e.code] ?? entryOf(TEXT, e.code) ?? FALLBACK;
}

import type {
  CheckinMonth,
  CheckinResult,
  CreateShareBody,
  Invitation,
  ShareLink,
  ShareVisit,
  Coupon,
  MallItem,
  Member,
  MemberCard,
  MemberCodeResponse,
  MemberOrder,
  MemberOrderDetail,
  PatchMeBody,
  PersonalDataExport,
  PointsLedgerEntry,
  PointsLedgerType,
  PublicRules,
  Redemption,
  RedemptionResult,
  RegisterBody,
  Review,
  ReviewBody,
  Subscriptions,
} from '@member/shared/api';
import type { CouponView, NotificationKind } from '@member/shared/vocabulary';
import { pathTo } from '@member/shared/api/paths';
import { download, request } from './request';
import { markRegistered } from './session';

export const api = {
  rules: () => request<{ data: PublicRules }>('GET', pathTo('rules'), { auth: false }).then((r) => r.data),
  me: () => request<{ data: MemberCard }>('GET', pathTo('me')).then((r) => r.data),
  /** The notification kinds: the WeChat template of each and how many messages the member allowed. */
  subscriptions: () => request<{ data: Subscriptions }>('GET', pathTo('meSubscriptions')).then((r) => r.data),
  /** Reports what the member allowed in WeChat's subscribe dialog (one message per kind). */
  reportSubscriptions: (accepted: NotificationKind[]) =>
    request<{ data: Subscriptions }>('POST', pathTo('meSubscriptions'), { body: { accepted } }).then((r) => r.data),
  /** Changes the nickname or the birthday (the birthday at most once per `profile.birthdayChangeDays`). */
  updateMe: (body: PatchMeBody) => request<{ data: Member }>('PATCH', pathTo('me'), { body }).then((r) => r.data),
  /** Everything the member center holds about the member (PIPL). */
  exportMe: () => request<{ data: PersonalDataExport }>('GET', pathTo('meExport')).then((r) => r.data),
  /** Erases the member's personal data; the session ends with it. */
  eraseMe: () => request<{ data: { erased: true } }>('DELETE', pathTo('me')).then((r) => r.data),
  /** The server's current code (with the points flag when asked) and the fingerprint of the current code secret. */
  memberCode: (usePoints: boolean) =>
    request<{ data: MemberCodeResponse }>('GET', pathTo('meCode', undefined, { usePoints: String(usePoints) })).then((r) => r.data),
  register: async (body: RegisterBody) => {
    const r = await request<{ data: Member }>('POST', pathTo('members'), { body });
    markRegistered();
    return r.data;
  },
  pointsLedger: (cursor?: string, type?: PointsLedgerType) =>
    request<{ data: PointsLedgerEntry[]; nextCursor: string | null }>(
      'GET',
      pathTo('mePointsLedger', undefined, { limit: 20, cursor: cursor || undefined, type }),
    ),
  coupons: (status: CouponView) => request<{ data: Coupon[] }>('GET', pathTo('meCoupons', undefined, { status })).then((r) => r.data),
  order: (orderId: string) => request<{ data: MemberOrderDetail }>('GET', pathTo('meOrder', { orderId })).then((r) => r.data),
  orders: () => request<{ data: MemberOrder[] }>('GET', pathTo('meOrders')).then((r) => r.data),
  review: (orderId: string, body: ReviewBody) => request<{ data: Review }>('POST', pathTo('meOrderReview', { orderId }), { body }).then((r) => r.data),
  /** Today's check-in; the server decides the day. */
  checkIn: () => request<{ data: CheckinResult }>('POST', pathTo('meCheckins')).then((r) => r.data),
  /** The days of a business month checked in (`YYYY-MM`, the current month when absent), the streak and today. */
  checkins: (month?: string) => request<{ data: CheckinMonth }>('GET', pathTo('meCheckins', undefined, { month })).then((r) => r.data),
  mallItems: () => request<{ data: MallItem[] }>('GET', pathTo('mallItems'), { auth: false }).then((r) => r.data),
  mallItem: (id: string) => request<{ data: MallItem }>('GET', pathTo('mallItem', { id }), { auth: false }).then((r) => r.data),
  /** The key is made once per confirmation, so a retried tap never redeems twice. */
  redeem: (itemId: string, quantity: number, idempotencyKey: string) =>
    request<{ data: RedemptionResult }>('POST', pathTo('mallRedemptions'), { body: { itemId, quantity }, idempotencyKey }).then((r) => r.data),
  redemptions: () => request<{ data: Redemption[] }>('GET', pathTo('meRedemptions')).then((r) => r.data),
  cancelRedemption: (id: string) => request<{ data: Redemption }>('POST', pathTo('meRedemptionCancel', { id })).then((r) => r.data),
  /** A share link (token and path) for a page; sharing itself earns nothing. */
  createShare: (body: CreateShareBody) => request<{ data: ShareLink }>('POST', pathTo('shares'), { body }).then((r) => r.data),
  visitShare: (token: string) => request<{ data: ShareVisit }>('POST', pathTo('shareVisits', { token })).then((r) => r.data),
  invitation: () => request<{ data: Invitation }>('GET', pathTo('meInvitation')).then((r) => r.data),
  /** The member's invite mini-program code (an image WeChat made), downloaded to a temporary file (for the poster on WeChat). */
  inviteQrcodeFile: () => download(pathTo('meInvitationQrcode')),
};

/** A fresh Idempotency-Key. */
export function newKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** Catalogue pictures are paths on the BFF (or https URLs). */
export function assetUrl(path: string | null): string {
  if (!path) return '';
  return path.startsWith('/') ? `${process.env.TARO_APP_API_BASE ?? ''}${path}` : path;
}

/**
 * Every path of the HTTP contract, once. The BFF mounts its routes at these templates and the
 * mini-program builds its URLs from them with `pathTo`, so neither side holds a copied string.
 * This module has no imports: the mini-program bundles it without pulling in zod.
 */
export const Paths = {
  rules: '/api/v1/rules',

  authWechat: '/api/v1/auth/wechat',
  authDev: '/api/v1/auth/dev',
  members: '/api/v1/members',
  me: '/api/v1/me',
  meCode: '/api/v1/me/code',
  mePointsLedger: '/api/v1/me/points/ledger',
  meGrowthLedger: '/api/v1/me/growth/ledger',
  meTierHistory: '/api/v1/me/tier-history',
  meCoupons: '/api/v1/me/coupons',
  meOrders: '/api/v1/me/orders',
  meOrder: '/api/v1/me/orders/:orderId',
  meExport: '/api/v1/me/export',
  meRedemptions: '/api/v1/me/redemptions',
  meRedemptionCancel: '/api/v1/me/redemptions/:id/cancel',
  meCheckins: '/api/v1/me/checkins',
  meOrderReview: '/api/v1/me/orders/:orderId/review',
  meInvitation: '/api/v1/me/invitation',
  meInvitationQrcode: '/api/v1/me/invitation/qrcode',
  meSubscriptions: '/api/v1/me/subscriptions',

  shares: '/api/v1/shares',
  shareVisits: '/api/v1/shares/:token/visits',

  mallItems: '/api/v1/mall/items',
  mallItem: '/api/v1/mall/items/:id',
  mallRedemptions: '/api/v1/mall/redemptions',

  staffSessions: '/api/v1/staff/sessions',
  counterLookup: '/api/v1/counter/lookup',
  counterQuote: '/api/v1/counter/quote',
  counterOrders: '/api/v1/counter/orders',
  counterOrder: '/api/v1/counter/orders/:id',
  counterRefunds: '/api/v1/counter/orders/:id/refunds',
  counterPickup: '/api/v1/counter/pickups/:pickupCode',
  counterPickupFulfil: '/api/v1/counter/pickups/:pickupCode/fulfil',
  counterPickupCancel: '/api/v1/counter/pickups/:pickupCode/cancel',

  adminCouponTemplates: '/api/v1/admin/coupon-templates',
  adminCouponTemplate: '/api/v1/admin/coupon-templates/:id',
  adminMallItems: '/api/v1/admin/mall-items',
  adminMallItem: '/api/v1/admin/mall-items/:id',
  adminMembers: '/api/v1/admin/members',
  adminMember: '/api/v1/admin/members/:id',
  adminMemberCoupons: '/api/v1/admin/members/:id/coupons',
  adminMemberAdjustments: '/api/v1/admin/members/:id/adjustments',
  adminStores: '/api/v1/admin/stores',
  adminStore: '/api/v1/admin/stores/:id',
  adminStaff: '/api/v1/admin/staff',
  adminStaffMember: '/api/v1/admin/staff/:id',
  adminCampaigns: '/api/v1/admin/campaigns',
  adminCampaign: '/api/v1/admin/campaigns/:id',
  adminReportSummary: '/api/v1/admin/reports/summary',
  adminAuditLog: '/api/v1/admin/audit-log',
  adminHeldRewards: '/api/v1/admin/held-rewards',
  adminHeldRewardRelease: '/api/v1/admin/held-rewards/:id/release',
  adminJobs: '/api/v1/admin/jobs',
  adminJobRun: '/api/v1/admin/jobs/:name/run',
} as const;

export type PathName = keyof typeof Paths;
export type PathTemplate = (typeof Paths)[PathName];

/** `'/a/:id/b/:code'` → `'id' | 'code'`. */
type ParamsOf<T extends string> = T extends `${string}:${infer P}/${infer Rest}` ? P | ParamsOf<`/${Rest}`> : T extends `${string}:${infer P}` ? P : never;

type PathArgs<N extends PathName> = [ParamsOf<(typeof Paths)[N]>] extends [never]
  ? [params?: undefined, query?: Record<string, string | number | undefined>]
  : [params: Record<ParamsOf<(typeof Paths)[N]>, string>, query?: Record<string, string | number | undefined>];

/**
 * The URL path of a named route: path parameters filled in (URI-encoded) and an optional query
 * string, leaving out undefined values. `pathTo('mallItem', { id })`, `pathTo('meCoupons', undefined, { status })`.
 */
export function pathTo<N extends PathName>(name: N, ...[params, query]: PathArgs<N>): string {
  let path: string = Paths[name];
  if (params) {
    for (const [k, v] of Object.entries(params as Record<string, string>)) path = path.replace(`:${k}`, encodeURIComponent(v));
  }
  const q = Object.entries(query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined);
  return q.length ? `${path}?${q.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}` : path;
}

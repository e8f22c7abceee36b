import {
  tierByCode,
  type AdminMallItem,
  type CheckinResult,
  type Review,
  type AuditEntry,
  type AuthResponse,
  type CounterLookup,
  type CounterOrder,
  type CounterOrderDetail,
  type MemberOrder,
  type MemberOrderDetail,
  type PointsLedgerSubject,
  type PersonalDataExport,
  type Pickup,
  type Refund,
  type RedemptionResult,
  type StaffSession,
  type Coupon,
  type CouponOccasion,
  type CouponTemplate,
  type MallItem,
  type Redemption,
  type GrowthLedgerEntry,
  type Invitation,
  type LoyaltyConfig,
  type CampaignRule,
  type AdminCampaign,
  type AdminLedgerEntry,
  type AdminMember,
  type AdminMemberDetail,
  type PointsAdjustment,
  type AdminStaff,
  type AdminStore,
  type Member,
  type Order,
  type PointsLedgerEntry,
  type PublicRules,
  type TierHistoryEntry,
  type TierSummary,
} from '@member/shared';
import {
  reviewTags,
  type AuditRow,
  type CampaignRow,
  type StoreRow,
  type CheckinRow,
  type CouponTemplateRow,
  type GrowthLedgerRow,
  type MallItemRow,
  type MemberCouponRow,
  type MemberRow,
  type OrderRow,
  type PointsLedgerRow,
  type RedemptionRow,
  type RefundRow,
  type ReviewRow,
  type StaffRow,
  type TierHistoryRow,
} from '../db/entities';
import { reviewable } from '../services/review.service';
import { ledgerEvent } from '../services/ledger-events';
import { maskPhone } from '../lib/crypto';
import type { PersonalData } from '../services/member.service';
import type { InvitationView } from '../services/referral.service';
import type { Pickup as PickupView } from '../services/mall.service';
import type { OrderResult, RefundResult } from '../services/counter.service';

// Presenters whitelist what leaves the BFF: rows never go out as they are, and no route shapes
// output itself. Each returns the contract's type, so a field the schema lacks fails to compile.

export function presentMember(m: MemberRow, loyalty: LoyaltyConfig, phone: string | null): Member {
  return {
    id: m.id,
    nickname: m.nickname ?? '',
    birthday: m.birthday,
    phoneMasked: phone ? maskPhone(phone) : null,
    tier: presentTier(loyalty, m.tier),
    growth: m.growth,
    pointsBalance: m.pointsBalance,
    inviteCode: m.inviteCode ?? '',
    consentVersion: m.consentVersion ?? '',
    registeredAt: (m.registeredAt ?? m.createdAt).toISOString(),
  };
}

export function presentPointsEntry(e: PointsLedgerRow, subject?: PointsLedgerSubject): PointsLedgerEntry {
  return {
    id: e.id,
    delta: e.delta,
    balanceAfter: e.balanceAfter,
    reason: e.reason,
    createdAt: e.createdAt.toISOString(),
    ...(e.delta > 0 && e.expiresAt ? { expiresAt: e.expiresAt.toISOString() } : {}),
    event: ledgerEvent(e),
    ...(subject ? { subject } : {}),
  };
}

export function presentGrowthEntry(e: GrowthLedgerRow): GrowthLedgerEntry {
  return { id: e.id, delta: e.delta, valueAfter: e.valueAfter, reason: e.reason, createdAt: e.createdAt.toISOString() };
}

export function presentTierChange(e: TierHistoryRow): TierHistoryEntry {
  return { id: e.id, from: e.fromTier, to: e.toTier, reason: e.reason, createdAt: e.createdAt.toISOString() };
}

/** The terms of the birthday month's coupon, from its template (`couponEvents.birthday`). */
function birthdayGift(c: LoyaltyConfig): PublicRules['birthdayGift'] {
  const t = c.couponTemplates.find((x) => x.code === c.couponEvents.birthday);
  if (!t) return null;
  return {
    title: t.title,
    kind: t.kind,
    ...(t.valueCents !== undefined ? { valueCents: t.valueCents } : {}),
    ...(t.thresholdCents !== undefined ? { thresholdCents: t.thresholdCents } : {}),
    ...(t.discountPercent !== undefined ? { discountPercent: t.discountPercent } : {}),
    ...(t.capCents !== undefined ? { capCents: t.capCents } : {}),
  };
}

/** The public part of the loyalty configuration: what the mini-program needs to show the same rules. */
export function presentRules(c: LoyaltyConfig, campaigns: readonly CampaignRule[] = c.campaigns): PublicRules {
  return {
    businessTimeZone: c.businessTimeZone,
    tiers: c.tiers.map((t) => ({ code: t.code, name: t.name, growthMin: t.growthMin, discountPercent: t.discountPercent, colors: t.colors, perks: t.perks })),
    growth: c.growth,
    points: { perYuanPaid: c.points.perYuanPaid, lotLifetimeDays: c.points.lotLifetimeDays, expiryWarningDays: c.points.expiryWarningDays },
    spend: c.spend,
    campaigns: campaigns.map((x) => ({ ...x })),
    tierReview: { trailingDays: c.tierReview.trailingDays, maxDropPerReview: c.tierReview.maxDropPerReview },
    birthdayGift: birthdayGift(c),
    profile: c.profile,
    checkin: c.checkin,
    share: c.share,
    referral: {
      inviterPoints: c.referral.inviterPoints,
      inviterGrowth: c.referral.inviterGrowth,
      inviteePoints: c.referral.inviteePoints,
      minFirstOrderPaidCents: c.referral.minFirstOrderPaidCents,
      maxRewardsPerMonth: c.referral.maxRewardsPerMonth,
      milestoneEvery: c.referral.milestoneEvery,
      milestoneTitle: c.couponTemplates.find((t) => t.code === c.referral.milestoneTemplate)?.title ?? '',
    },
    review: c.review,
    interactionCaps: c.interactionCaps,
    dynamicCode: { periodSeconds: c.dynamicCode.periodSeconds },
    wallet: c.wallet,
    mall: c.mall,
    refunds: c.refunds,
    counter: { maxAmountCents: c.counter.maxAmountCents },
    privacy: c.privacy,
  };
}

/** Source-key prefixes of the coupon issuers (services/index.ts, occasion-coupons, mall, referral, admin). */
const OCCASION_OF_PREFIX: Record<string, CouponOccasion> = {
  event: 'event',
  'upgrade-gift': 'upgrade',
  birthday: 'birthday',
  dormant: 'dormant',
  'referral-milestone': 'referral',
  redemption: 'mall',
  'admin-grant': 'grant',
};

/** Why a member holds a coupon, from the event key it was issued under (`birthday:2027` → birthday). */
export function couponOccasion(sourceKey: string): CouponOccasion | null {
  return OCCASION_OF_PREFIX[sourceKey.split(':', 1)[0]] ?? null;
}

export function presentCoupon(c: MemberCouponRow, now: Date): Coupon {
  const lapsed = c.validTo.getTime() <= now.getTime();
  const status: Coupon['status'] = c.status === 'used' ? 'used' : c.status === 'expired' || lapsed ? 'expired' : 'available';
  return {
    id: c.id,
    templateId: c.templateId,
    kind: c.kind,
    title: c.title,
    ...(c.valueCents !== null ? { valueCents: c.valueCents } : {}),
    ...(c.thresholdCents !== null ? { thresholdCents: c.thresholdCents } : {}),
    ...(c.discountPercent !== null ? { discountPercent: c.discountPercent } : {}),
    ...(c.capCents !== null ? { capCents: c.capCents } : {}),
    ...(c.minTier !== null ? { minTier: c.minTier } : {}),
    validFrom: c.validFrom.toISOString(),
    validTo: c.validTo.toISOString(),
    status,
    occasion: couponOccasion(c.sourceKey),
  };
}

export function presentOrder(o: OrderRow): Order {
  return {
    id: o.id,
    storeId: o.storeId,
    receiptNo: o.receiptNo,
    grossCents: o.grossCents,
    tierDiscountCents: o.tierDiscountCents,
    couponId: o.couponId,
    couponDiscountCents: o.couponDiscountCents,
    pointsUsed: o.pointsUsed,
    pointsDiscountCents: o.pointsDiscountCents,
    dueCents: o.dueCents,
    pointsEarned: o.pointsEarned,
    growthEarned: o.growthEarned,
    refundedCents: o.refundedCents,
    createdAt: o.createdAt.toISOString(),
  };
}

/** An order as the till sees it before a refund: whose it is, what earlier refunds moved and the coupon it used. */
export function presentCounterOrder(d: { order: OrderRow; member: MemberRow | null; coupon: MemberCouponRow | null }): CounterOrderDetail {
  return {
    ...presentOrder(d.order),
    member: { id: d.order.memberId, nickname: d.member?.nickname ?? '' },
    pointsReversed: d.order.pointsReversed,
    growthReversed: d.order.growthReversed,
    pointsReturned: d.order.pointsReturned,
    coupon: d.coupon ? { title: d.coupon.title, validTo: d.coupon.validTo.toISOString() } : null,
  };
}

export function presentTier(loyalty: LoyaltyConfig, code: string): TierSummary {
  const t = tierByCode(loyalty.tiers, code);
  return { code: t.code, name: t.name, discountPercent: t.discountPercent };
}

const present = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export function presentMallItem(i: MallItemRow, template: CouponTemplateRow | null): MallItem {
  return {
    id: i.id,
    kind: i.kind,
    title: i.title,
    description: i.description,
    imageUrl: i.imageUrl,
    pointsCost: i.pointsCost,
    stockLeft: i.stock,
    perMemberLimit: i.perMemberLimit,
    ...(i.minTier ? { minTier: i.minTier } : {}),
    ...(i.saleFrom ? { saleFrom: i.saleFrom.toISOString() } : {}),
    ...(i.saleTo ? { saleTo: i.saleTo.toISOString() } : {}),
    ...(template
      ? {
          coupon: {
            kind: template.kind,
            valueCents: present(template.valueCents),
            thresholdCents: present(template.thresholdCents),
            discountPercent: present(template.discountPercent),
            capCents: present(template.capCents),
          },
        }
      : {}),
  };
}

export function presentRedemption(r: RedemptionRow, coupons: MemberCouponRow[], now: Date): Redemption {
  return {
    id: r.id,
    itemId: r.itemId,
    kind: r.kind,
    title: r.title,
    quantity: r.quantity,
    pointsSpent: r.pointsSpent,
    status: r.status,
    pickupCode: r.pickupCode,
    coupons: coupons.map((c) => presentCoupon(c, now)),
    createdAt: r.createdAt.toISOString(),
    fulfilledAt: r.fulfilledAt?.toISOString() ?? null,
    cancelledAt: r.cancelledAt?.toISOString() ?? null,
  };
}

/** A template without `validityDays` is valid between two dates (the body schema requires one or the other). */
function fixedValidity(t: CouponTemplateRow): { from: string; to: string } {
  if (!t.validFrom || !t.validTo) throw new Error(`coupon template ${t.code} has neither validity days nor dates`);
  return { from: t.validFrom.toISOString(), to: t.validTo.toISOString() };
}

export function presentTemplate(t: CouponTemplateRow): CouponTemplate {
  return {
    id: t.id,
    code: t.code,
    kind: t.kind,
    title: t.title,
    valueCents: t.valueCents,
    thresholdCents: t.thresholdCents,
    discountPercent: t.discountPercent,
    capCents: t.capCents,
    validity: t.validityDays !== null ? { days: t.validityDays } : fixedValidity(t),
    totalStock: t.totalStock,
    issuedCount: t.issuedCount,
    perMemberLimit: t.perMemberLimit,
    minTier: t.minTier,
    source: t.source,
  };
}

export function presentAdminItem(i: MallItemRow): AdminMallItem {
  return {
    id: i.id,
    kind: i.kind,
    title: i.title,
    description: i.description,
    imageUrl: i.imageUrl,
    pointsCost: i.pointsCost,
    stock: i.stock,
    perMemberLimit: i.perMemberLimit,
    saleFrom: i.saleFrom?.toISOString() ?? null,
    saleTo: i.saleTo?.toISOString() ?? null,
    minTier: i.minTier,
    couponTemplateCode: i.couponTemplateCode,
    active: i.active === 1,
  };
}

export function presentAuth(
  m: MemberRow,
  loyalty: LoyaltyConfig,
  session: { token: string; expiresAt: Date; codeSecret: string; phone: string | null },
): AuthResponse {
  const active = m.status === 'active';
  return {
    token: session.token,
    expiresAt: session.expiresAt.toISOString(),
    registered: active,
    member: active ? presentMember(m, loyalty, session.phone) : null,
    codeSecret: session.codeSecret,
    codeRef: m.codeRef,
    codePeriodSeconds: loyalty.dynamicCode.periodSeconds,
  };
}

export function presentMemberOrder(o: OrderRow & { storeName: string; review: ReviewRow | null }, loyalty: LoyaltyConfig, now: Date): MemberOrder {
  const { storeId: _storeId, ...rest } = presentOrder(o);
  return {
    ...rest,
    storeName: o.storeName,
    pointsReversed: o.pointsReversed,
    review: o.review ? presentReview(o.review) : null,
    reviewable: reviewable(o, o.review !== null, now, loyalty.review.windowDays),
  };
}

export function presentMemberOrderDetail(
  o: OrderRow & { storeName: string; review: ReviewRow | null; couponTitle: string | null },
  refunds: RefundRow[],
  loyalty: LoyaltyConfig,
  now: Date,
): MemberOrderDetail {
  return {
    ...presentMemberOrder(o, loyalty, now),
    tierName: presentTier(loyalty, o.tierCode).name,
    coupon: o.couponId ? { title: o.couponTitle ?? '' } : null,
    multiplier: o.multiplierPct / 100,
    refunds: refunds.map((r) => ({
      id: r.id,
      amountCents: r.amountCents,
      pointsReversed: r.pointsReversed,
      growthReversed: r.growthReversed,
      pointsReturned: r.pointsReturned,
      couponRestored: r.couponRestored === 1,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

export function presentReview(r: ReviewRow): Review {
  return {
    id: r.id,
    orderId: r.orderId,
    stars: r.stars,
    answers: reviewTags(r),
    comment: r.comment,
    points: r.points,
    growth: r.growth,
    createdAt: r.createdAt.toISOString(),
  };
}

export function presentCheckin(c: CheckinRow, capped: boolean): CheckinResult {
  return { day: c.day, streak: c.streak, points: c.points, growth: c.growth, bonus: c.bonus, capped };
}

export function presentExport(x: PersonalData, loyalty: LoyaltyConfig): PersonalDataExport {
  return {
    exportedAt: x.exportedAt.toISOString(),
    member: { ...presentMember(x.member, loyalty, x.phone), phone: x.phone },
    pointsLedger: x.pointsLedger.map((e) => presentPointsEntry(e)),
    growthLedger: x.growthLedger.map(presentGrowthEntry),
    tierHistory: x.tierHistory.map(presentTierChange),
    coupons: x.coupons.map((c) => presentCoupon(c, x.exportedAt)),
    orders: x.orders.map(presentOrder),
    refunds: x.refunds.map((r) => ({
      id: r.id,
      orderId: r.orderId,
      refundNo: r.refundNo,
      amountCents: r.amountCents,
      pointsReversed: r.pointsReversed,
      growthReversed: r.growthReversed,
      pointsReturned: r.pointsReturned,
      couponRestored: r.couponRestored > 0,
      createdAt: r.createdAt.toISOString(),
    })),
    redemptions: x.redemptions.map((r) => {
      const { coupons: _coupons, ...rest } = presentRedemption(r, [], x.exportedAt);
      return { ...rest, couponIds: r.couponIds ? r.couponIds.split(',') : [] };
    }),
    consent: { version: x.member.consentVersion ?? '', consentedAt: x.member.consentedAt?.toISOString() ?? null },
    notifications: x.notifications.map((n) => ({
      kind: n.kind,
      fields: JSON.parse(n.payload) as Record<string, string>,
      status: n.status,
      createdAt: n.createdAt.toISOString(),
      sentAt: n.sentAt?.toISOString() ?? null,
    })),
    subscriptions: x.subscriptions.map((c) => ({ kind: c.kind, credits: c.credits })),
    checkins: x.checkins.map((c) => {
      const { capped: _capped, ...rest } = presentCheckin(c, false);
      return { ...rest, createdAt: c.createdAt.toISOString() };
    }),
    reviews: x.reviews.map(presentReview),
    shares: x.shares.map((sh) => ({ token: sh.token, page: sh.page, targetId: sh.targetId, createdAt: sh.createdAt.toISOString() })),
    shareVisits: x.shareVisits.map((v) => ({ shareId: v.shareId, visitedAt: v.visitedAt.toISOString() })),
    shareRewards: x.shareRewards.map((r) => ({
      action: r.action,
      day: r.day,
      status: r.status,
      points: r.points,
      growth: r.growth,
      createdAt: r.createdAt.toISOString(),
      paidAt: r.paidAt?.toISOString() ?? null,
    })),
    invitations: x.referrals.map((r) => {
      const asInviter = r.inviterId === x.member.id;
      return {
        role: asInviter ? ('inviter' as const) : ('invitee' as const),
        status: r.status,
        points: asInviter ? r.inviterPoints : r.inviteePoints,
        growth: asInviter ? r.inviterGrowth : 0,
        registeredAt: r.registeredAt.toISOString(),
        orderedAt: r.orderedAt?.toISOString() ?? null,
        rewardedAt: r.rewardedAt?.toISOString() ?? null,
        reversedAt: r.reversedAt?.toISOString() ?? null,
      };
    }),
  };
}

export function presentLookup(
  member: MemberRow,
  coupons: MemberCouponRow[],
  pointsAllowed: boolean,
  codeUsed: boolean,
  loyalty: LoyaltyConfig,
  now: Date,
): CounterLookup {
  const tier = presentTier(loyalty, member.tier);
  return {
    member: {
      id: member.id,
      nickname: member.nickname ?? '',
      tier: tier.code,
      tierName: tier.name,
      discountPercent: tier.discountPercent,
      pointsBalance: member.pointsBalance,
      growth: member.growth,
    },
    coupons: coupons.map((c) => presentCoupon(c, now)),
    pointsAllowed,
    codeUsed,
  };
}

export function presentOrderResult(r: OrderResult, loyalty: LoyaltyConfig): CounterOrder {
  return {
    ...presentOrder(r.order),
    member: {
      id: r.member.id,
      nickname: r.member.nickname ?? '',
      pointsBalance: r.member.pointsBalance,
      growth: r.member.growth,
      tier: presentTier(loyalty, r.member.tier),
    },
    upgradedTo: r.upgradedTo ? presentTier(loyalty, r.upgradedTo) : null,
  };
}

export function presentRefund(r: RefundResult): Refund {
  const f: RefundRow = r.refund;
  return {
    id: f.id,
    orderId: f.orderId,
    refundNo: f.refundNo,
    amountCents: f.amountCents,
    pointsReversed: f.pointsReversed,
    growthReversed: f.growthReversed,
    pointsReturned: f.pointsReturned,
    couponRestored: f.couponRestored === 1,
    couponOutcome: r.couponOutcome,
    approvedBy: f.approvedBy,
    order: presentOrder(r.order),
    member: { pointsBalance: r.member.pointsBalance, growth: r.member.growth },
    createdAt: f.createdAt.toISOString(),
  };
}

export function presentPickup(p: PickupView): Pickup {
  const r = p.redemption;
  return {
    redemptionId: r.id,
    title: r.title,
    quantity: r.quantity,
    status: r.status,
    memberNickname: p.memberNickname,
    fulfilledAt: r.fulfilledAt?.toISOString() ?? null,
  };
}

export function presentRedemptionResult(r: RedemptionRow, coupons: MemberCouponRow[], pointsBalance: number, now: Date): RedemptionResult {
  return { ...presentRedemption(r, coupons, now), pointsBalance };
}

export function presentAudit(a: AuditRow): AuditEntry {
  return {
    id: a.id,
    actorId: a.actorId,
    action: a.action,
    targetType: a.targetType,
    targetId: a.targetId,
    details: JSON.parse(a.details) as Record<string, unknown>,
    createdAt: a.createdAt.toISOString(),
  };
}

export function presentStaffSession(staff: StaffRow, storeName: string, session: { token: string; expiresAt: Date }): StaffSession {
  return {
    token: session.token,
    expiresAt: session.expiresAt.toISOString(),
    staff: { id: staff.id, storeId: staff.storeId, storeName, username: staff.username, role: staff.role },
  };
}

/** The member's invitation; an invitee's reward shows once it was paid (what the inviter received). */
export function presentInvitation(v: InvitationView): Invitation {
  return {
    code: v.member.inviteCode ?? '',
    path: v.path,
    invitees: v.invitees.map((i) => ({
      nickname: i.nickname,
      status: i.status,
      registeredAt: i.registeredAt.toISOString(),
      ...(i.rewardedAt && (i.status === 'rewarded' || i.status === 'reversed') ? { rewardedAt: i.rewardedAt.toISOString() } : {}),
      reward: i.status === 'rewarded' ? { points: i.inviterPoints, growth: i.inviterGrowth } : null,
    })),
    rewardedCount: v.rewardedCount,
    rewardedThisMonth: v.rewardedThisMonth,
  };
}

/** A member as operators see them: the phone masked (the caller decrypts it, or passes null). */
export function presentAdminMember(m: MemberRow, loyalty: LoyaltyConfig, phone: string | null): AdminMember {
  return {
    id: m.id,
    ref: m.codeRef,
    nickname: m.nickname ?? '',
    status: m.status,
    tier: presentTier(loyalty, m.tier),
    growth: m.growth,
    pointsBalance: m.pointsBalance,
    phoneMasked: phone ? maskPhone(phone) : null,
    registeredAt: m.registeredAt ? m.registeredAt.toISOString() : null,
  };
}

export function presentAdminLedgerEntry(e: PointsLedgerRow): AdminLedgerEntry {
  return {
    id: e.id,
    delta: e.delta,
    balanceAfter: e.balanceAfter,
    reason: e.reason,
    createdAt: e.createdAt.toISOString(),
    expiresAt: e.delta > 0 && e.expiresAt ? e.expiresAt.toISOString() : null,
  };
}

/** One member for an operator: the lookup row plus birthday, next expiry and the recent ledger. */
export function presentAdminMemberDetail(
  v: { member: MemberRow; phone: string | null; recentLedger: PointsLedgerRow[] },
  loyalty: LoyaltyConfig,
): AdminMemberDetail {
  return {
    ...presentAdminMember(v.member, loyalty, v.phone),
    birthday: v.member.birthday,
    nextExpiryAt: v.member.nextExpiryAt ? v.member.nextExpiryAt.toISOString() : null,
    recentLedger: v.recentLedger.map(presentAdminLedgerEntry),
  };
}

/** A manual adjustment as recorded: its ledger entry and the operator's reason. */
export function presentPointsAdjustment(e: PointsLedgerRow, reason: string): PointsAdjustment {
  const { id, delta, balanceAfter, createdAt, expiresAt } = presentAdminLedgerEntry(e);
  return { entryId: id, memberId: e.memberId, points: delta, balanceAfter, reason, createdAt, expiresAt };
}

export function presentStore(s: StoreRow): AdminStore {
  return { id: s.id, name: s.name, createdAt: s.createdAt.toISOString() };
}

/** A staff account without its password hash. */
export function presentStaff(s: StaffRow): AdminStaff {
  return {
    id: s.id,
    storeId: s.storeId,
    username: s.username,
    role: s.role,
    active: s.disabledAt === null,
    disabledAt: s.disabledAt ? s.disabledAt.toISOString() : null,
    createdAt: s.createdAt.toISOString(),
  };
}

export function presentCampaign(c: CampaignRow): AdminCampaign {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    dayOfMonth: c.dayOfMonth,
    multiplier: c.multiplierPct / 100,
    tiers: c.tiers === null ? null : (JSON.parse(c.tiers) as string[]),
    from: c.startsOn,
    to: c.endsOn,
    active: c.active === 1,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

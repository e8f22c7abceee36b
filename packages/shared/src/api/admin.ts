import { z } from 'zod';
import { CouponKind, MallItemKind, MemberStatus, PointsReason, StaffRole, TemplateSource } from '../vocabulary';
import { BusinessDay, Id, ImageUrl, IsoDateTime, PageQuery, StoredDateTime } from './common';
import { TierSummary } from './member';
import { cleanText } from '../text/text';

/**
 * Text an operator writes: invisible and control characters removed (NUL, bidi overrides,
 * zero-width), trimmed, then 1–`max` characters. With `shown`, it is shown to members (titles,
 * store and campaign names) and may not hold `<` or `>`, like a nickname.
 */
function operatorText(max: number, shown: boolean) {
  const text = z
    .string()
    .max(max)
    .transform(cleanText)
    .refine((s) => s.length > 0, 'must not be empty once invisible characters are removed');
  return shown ? text.refine((s) => !/[<>]/.test(s), 'must not contain < or >') : text;
}

const int = z.number().int();
const templateCode = z.string().regex(/^[a-z0-9-]{2,64}$/, 'kebab-case, 2–64 characters');
const tierCode = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/);
/** Most a stock figure may hold (an item's stock, a template's total): far below the INT column's limit. */
export const MAX_STOCK = 100_000_000;
const Validity = z.union([
  z.object({ days: int.positive().max(3650) }).strict(),
  z
    .object({ from: StoredDateTime, to: StoredDateTime })
    .strict()
    .refine((v) => Date.parse(v.from) < Date.parse(v.to), { message: 'validity must end after it starts', path: ['to'] }),
]);

const templateTerms = {
  title: operatorText(40, true),
  valueCents: int.positive().max(100_000_00).optional(),
  thresholdCents: int.positive().max(100_000_00).optional(),
  discountPercent: int.min(1).max(99).optional(),
  capCents: int.positive().max(100_000_00).optional(),
  validity: Validity,
  totalStock: int.min(0).max(MAX_STOCK).nullable().optional(),
  perMemberLimit: int.positive().max(1000).nullable().optional(),
  minTier: tierCode.nullable().optional(),
};

function checkTerms(t: { kind?: string; valueCents?: number; thresholdCents?: number; discountPercent?: number }, ctx: z.RefinementCtx) {
  const need = (field: 'valueCents' | 'thresholdCents' | 'discountPercent') => {
    if (t[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `a ${String(t.kind)} coupon needs ${field}` });
  };
  if (t.kind === 'cash') need('valueCents');
  if (t.kind === 'threshold') {
    need('valueCents');
    need('thresholdCents');
    if (t.valueCents !== undefined && t.thresholdCents !== undefined && t.valueCents > t.thresholdCents) {
      ctx.addIssue({ code: 'custom', path: ['valueCents'], message: 'value must not exceed the threshold' });
    }
  }
  if (t.kind === 'discount') need('discountPercent');
}

export const CouponTemplateBody = z
  .object({ code: templateCode, kind: CouponKind, ...templateTerms })
  .strict()
  .superRefine(checkTerms);
export type CouponTemplateBody = z.infer<typeof CouponTemplateBody>;

/** Terms can change for future issues (issued coupons keep theirs); code and kind cannot. */
export const CouponTemplatePatch = z
  .object({
    title: templateTerms.title.optional(),
    validity: Validity.optional(),
    totalStock: templateTerms.totalStock,
    perMemberLimit: templateTerms.perMemberLimit,
    minTier: templateTerms.minTier,
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type CouponTemplatePatch = z.infer<typeof CouponTemplatePatch>;

export const CouponTemplate = z.object({
  id: Id,
  code: z.string(),
  kind: CouponKind,
  title: z.string(),
  valueCents: int.nullable(),
  thresholdCents: int.nullable(),
  discountPercent: int.nullable(),
  capCents: int.nullable(),
  validity: z.union([z.object({ days: int }), z.object({ from: IsoDateTime, to: IsoDateTime })]),
  totalStock: int.nullable(),
  issuedCount: int,
  perMemberLimit: int.nullable(),
  minTier: z.string().nullable(),
  source: TemplateSource,
});
export type CouponTemplate = z.infer<typeof CouponTemplate>;

const itemFields = {
  title: operatorText(40, true),
  description: z.string().trim().max(500).default(''),
  imageUrl: ImageUrl.nullable().optional(),
  pointsCost: int.positive().max(100_000_000),
  perMemberLimit: int.positive().max(1000).nullable().optional(),
  saleFrom: StoredDateTime.nullable().optional(),
  saleTo: StoredDateTime.nullable().optional(),
  minTier: tierCode.nullable().optional(),
  active: z.boolean().optional(),
};

export const MallItemBody = z
  .object({ kind: MallItemKind, stock: int.min(0).max(MAX_STOCK), couponTemplateCode: templateCode.optional(), ...itemFields })
  .strict()
  .superRefine((b, ctx) => {
    if (b.kind === 'coupon' && !b.couponTemplateCode)
      ctx.addIssue({ code: 'custom', path: ['couponTemplateCode'], message: 'a coupon item needs a coupon template' });
    if (b.kind !== 'coupon' && b.couponTemplateCode)
      ctx.addIssue({ code: 'custom', path: ['couponTemplateCode'], message: 'only coupon items have a template' });
    if (b.saleFrom && b.saleTo && b.saleFrom >= b.saleTo) ctx.addIssue({ code: 'custom', path: ['saleTo'], message: 'sale must end after it starts' });
  });
export type MallItemBody = z.infer<typeof MallItemBody>;

/** Stock moves by a delta (never set outright), so an edit cannot undo concurrent redemptions. */
export const MallItemPatch = z
  .object({
    title: itemFields.title.optional(),
    description: z.string().trim().max(500).optional(),
    imageUrl: itemFields.imageUrl,
    pointsCost: itemFields.pointsCost.optional(),
    perMemberLimit: itemFields.perMemberLimit,
    saleFrom: itemFields.saleFrom,
    saleTo: itemFields.saleTo,
    minTier: itemFields.minTier,
    active: itemFields.active,
    /** The stock after the move must stay within 0…MAX_STOCK (checked where the stock is). */
    stockDelta: int.min(-MAX_STOCK).max(MAX_STOCK).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type MallItemPatch = z.infer<typeof MallItemPatch>;

export const AdminMallItem = z.object({
  id: Id,
  kind: MallItemKind,
  title: z.string(),
  description: z.string(),
  imageUrl: z.string().nullable(),
  pointsCost: int,
  stock: int,
  perMemberLimit: int.nullable(),
  saleFrom: IsoDateTime.nullable(),
  saleTo: IsoDateTime.nullable(),
  minTier: z.string().nullable(),
  couponTemplateCode: z.string().nullable(),
  active: z.boolean(),
});
export type AdminMallItem = z.infer<typeof AdminMallItem>;

export const AdminIdParams = z.object({ id: Id });

export const AuditEntry = z.object({
  id: Id,
  actorId: Id,
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  details: z.record(z.string(), z.unknown()),
  createdAt: IsoDateTime,
});

export type AuditEntry = z.infer<typeof AuditEntry>;

export const CouponGrantBody = z.object({ templateCode: templateCode, reason: operatorText(200, false) }).strict();
export type CouponGrantBody = z.infer<typeof CouponGrantBody>;

// ── Members: manual points adjustments and lookup ──────────────────────────────────────────────

/** Most points one manual adjustment may move either way. */
export const MAX_ADJUSTMENT_POINTS = 1_000_000;
const Reason = operatorText(200, false);

/** A manual points adjustment: positive credits a new lot, negative spends lots (never below zero). */
export const PointsAdjustmentBody = z
  .object({
    points: int
      .min(-MAX_ADJUSTMENT_POINTS)
      .max(MAX_ADJUSTMENT_POINTS)
      .refine((p) => p !== 0, 'points must not be zero'),
    reason: Reason,
  })
  .strict();
export type PointsAdjustmentBody = z.infer<typeof PointsAdjustmentBody>;

export const PointsAdjustment = z.object({
  /** The ledger entry the adjustment wrote. */
  entryId: Id,
  memberId: Id,
  points: int,
  balanceAfter: int,
  reason: z.string(),
  createdAt: IsoDateTime,
  /** When the credited lot expires (credits only). */
  expiresAt: IsoDateTime.nullable(),
});
export type PointsAdjustment = z.infer<typeof PointsAdjustment>;

/**
 * A member search: a 10-digit member reference, a full mainland mobile number (matched by its
 * keyed hash, never stored or echoed) or the start of a nickname.
 */
export const AdminMemberQuery = PageQuery.extend({ query: z.string().trim().min(1).max(40) });
export type AdminMemberQuery = z.infer<typeof AdminMemberQuery>;

export const AdminMember = z.object({
  id: Id,
  /** The member reference inside the dynamic code (10 digits). */
  ref: z.string(),
  nickname: z.string(),
  status: MemberStatus,
  tier: TierSummary,
  growth: int,
  pointsBalance: int,
  phoneMasked: z.string().nullable(),
  registeredAt: IsoDateTime.nullable(),
});
export type AdminMember = z.infer<typeof AdminMember>;

export const AdminLedgerEntry = z.object({
  id: Id,
  delta: int,
  balanceAfter: int,
  reason: PointsReason,
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime.nullable(),
});
export type AdminLedgerEntry = z.infer<typeof AdminLedgerEntry>;

export const AdminMemberDetail = AdminMember.extend({
  birthday: z.string().nullable(),
  /** No live lot expires before this. */
  nextExpiryAt: IsoDateTime.nullable(),
  recentLedger: z.array(AdminLedgerEntry),
});
export type AdminMemberDetail = z.infer<typeof AdminMemberDetail>;

// ── Audit log ──────────────────────────────────────────────────────────────────────────────────

export const AuditQuery = PageQuery.extend({
  action: z.string().trim().min(1).max(64).optional(),
  actorId: Id.optional(),
  targetType: z.string().trim().min(1).max(32).optional(),
  targetId: z.string().trim().min(1).max(64).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

// ── Stores and staff ───────────────────────────────────────────────────────────────────────────

const StoreName = operatorText(64, true);
export const StoreBody = z.object({ name: StoreName }).strict();
export type StoreBody = z.infer<typeof StoreBody>;
export const StorePatch = z.object({ name: StoreName }).strict();
export type StorePatch = z.infer<typeof StorePatch>;
export const AdminStore = z.object({ id: Id, name: z.string(), createdAt: IsoDateTime });
export type AdminStore = z.infer<typeof AdminStore>;

const Username = z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, '3–64 characters of A-Z, a-z, 0-9, _, . and -');
const Password = z.string().min(8, 'at least 8 characters').max(128);
export const StaffBody = z.object({ storeId: Id, username: Username, password: Password, role: StaffRole }).strict();
export type StaffBody = z.infer<typeof StaffBody>;
/** A store or role change, a new password, or (de)activation; a deactivated account's tokens stop working. */
export const StaffPatch = z
  .object({ storeId: Id.optional(), role: StaffRole.optional(), password: Password.optional(), active: z.boolean().optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type StaffPatch = z.infer<typeof StaffPatch>;
export const StaffListQuery = PageQuery.extend({ storeId: Id.optional() });
export type StaffListQuery = z.infer<typeof StaffListQuery>;
export const AdminStaff = z.object({
  id: Id,
  storeId: Id,
  username: z.string(),
  role: StaffRole,
  active: z.boolean(),
  disabledAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type AdminStaff = z.infer<typeof AdminStaff>;

// ── Campaigns ──────────────────────────────────────────────────────────────────────────────────

/** Most a campaign may multiply points by. */
export const MAX_CAMPAIGN_MULTIPLIER = 10;
/** Most tiers one campaign may name (kept JSON-joined in a 255-character column). */
export const MAX_CAMPAIGN_TIERS = 6;
const campaignFields = {
  name: operatorText(40, true),
  /** The day of the month (business time zone) it runs on; null runs every day of its window. */
  dayOfMonth: int.min(1).max(31).nullable().optional(),
  /** Points multiplier, in hundredths at most (1.5 = ×1.5); the highest applicable one wins. */
  multiplier: z
    .number()
    .min(1)
    .max(MAX_CAMPAIGN_MULTIPLIER)
    .refine((m) => Math.abs(m * 100 - Math.round(m * 100)) < 1e-9, 'at most two decimals'),
  tiers: z.array(tierCode).min(1).max(MAX_CAMPAIGN_TIERS).nullable().optional(),
  /** First and last business day (inclusive) it runs; null is open-ended. */
  from: BusinessDay.nullable().optional(),
  to: BusinessDay.nullable().optional(),
  active: z.boolean().optional(),
};
type CampaignShape = { dayOfMonth?: number | null; from?: string | null; to?: string | null };
const checkWindow = (c: CampaignShape, ctx: z.RefinementCtx) => {
  if (c.from && c.to && c.from > c.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the window must end on or after its first day' });
};
export const CampaignBody = z
  .object({ code: templateCode, ...campaignFields })
  .strict()
  .superRefine((c, ctx) => {
    checkWindow(c, ctx);
    if (!c.dayOfMonth && !(c.from && c.to))
      ctx.addIssue({ code: 'custom', path: ['dayOfMonth'], message: 'a campaign needs a day of the month or a window with both ends' });
  });
export type CampaignBody = z.infer<typeof CampaignBody>;
export const CampaignPatch = z
  .object({
    name: campaignFields.name.optional(),
    dayOfMonth: campaignFields.dayOfMonth,
    multiplier: campaignFields.multiplier.optional(),
    tiers: campaignFields.tiers,
    from: campaignFields.from,
    to: campaignFields.to,
    active: campaignFields.active,
  })
  .strict()
  .superRefine(checkWindow)
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type CampaignPatch = z.infer<typeof CampaignPatch>;
export const AdminCampaign = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  dayOfMonth: int.nullable(),
  multiplier: z.number(),
  tiers: z.array(z.string()).nullable(),
  from: BusinessDay.nullable(),
  to: BusinessDay.nullable(),
  active: z.boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type AdminCampaign = z.infer<typeof AdminCampaign>;

// ── Reports ────────────────────────────────────────────────────────────────────────────────────

/** Most business days one summary may cover. */
export const MAX_REPORT_DAYS = 366;
/** A summary over business days `from`…`to`, both included. */
export const ReportQuery = z
  .object({ from: BusinessDay, to: BusinessDay })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
    else if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1 > MAX_REPORT_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_REPORT_DAYS} days` });
  });
export type ReportQuery = z.infer<typeof ReportQuery>;

const rate = z.number().min(0).nullable();
export const ReportSummary = z.object({
  from: BusinessDay,
  to: BusinessDay,
  members: z.object({ total: int, new: int, active30d: int }),
  tiers: z.array(z.object({ code: z.string(), name: z.string(), members: int })),
  points: z.object({ issued: int, spent: int, expired: int }),
  coupons: z.object({ issued: int, used: int, useRate: rate }),
  checkins: z.object({ checkins: int, members: int, participationRate: rate }),
  referrals: z.object({ invited: int, converted: int, conversionRate: rate }),
  mall: z.object({ redemptions: int, cancelled: int, pointsSpent: int }),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

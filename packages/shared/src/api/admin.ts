import { z } from 'zod';
import { CouponKind, MallItemKind, TemplateSource } from '../vocabulary';
import { Id, ImageUrl, IsoDateTime, StoredDateTime } from './common';

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
  title: z.string().trim().min(1).max(40),
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
  title: z.string().trim().min(1).max(40),
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

export const CouponGrantBody = z.object({ templateCode: templateCode, reason: z.string().trim().min(1).max(200) }).strict();
export type CouponGrantBody = z.infer<typeof CouponGrantBody>;

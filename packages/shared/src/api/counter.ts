import { z } from 'zod';
import { CouponKind, CouponOccasion, CouponView, RefundCouponOutcome, StaffRole } from '../vocabulary';
import { Id, IsoDateTime } from './common';
import { TierSummary } from './member';
import { Review } from './engagement';

/** The 18 digits as scanned or typed (spaces allowed, removed). */
export const MemberCodeInput = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{18}$/, 'a member code is 18 digits'));

/** Integer cents: positive, and below an absurd bound (the configured counter maximum is checked too). */
const AmountCents = z.number().int('amount must be whole cents').positive('amount must be positive').max(1_000_000_000);
const Username = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/);
const ReceiptNo = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

export const StaffSessionBody = z.object({ username: Username, password: z.string().min(1).max(200) }).strict();
export type StaffSessionBody = z.infer<typeof StaffSessionBody>;

export const StaffSession = z.object({
  token: z.string(),
  expiresAt: IsoDateTime,
  staff: z.object({ id: Id, storeId: Id, storeName: z.string(), username: z.string(), role: StaffRole }),
});
export type StaffSession = z.infer<typeof StaffSession>;

export const Coupon = z.object({
  id: Id,
  templateId: Id,
  kind: CouponKind,
  title: z.string(),
  valueCents: z.number().int().optional(),
  thresholdCents: z.number().int().optional(),
  discountPercent: z.number().int().optional(),
  capCents: z.number().int().optional(),
  minTier: z.string().optional(),
  validFrom: IsoDateTime,
  validTo: IsoDateTime,
  status: CouponView,
  /** Why the member holds it (null when issued some other way): the card finds the birthday gift by it. */
  occasion: CouponOccasion.nullable(),
});
export type Coupon = z.infer<typeof Coupon>;

export const CouponsQuery = z.object({ status: CouponView.default('available') });

export const CounterLookupBody = z.object({ code: MemberCodeInput }).strict();

export const CounterMember = z.object({
  id: Id,
  nickname: z.string(),
  tier: z.string(),
  tierName: z.string(),
  discountPercent: z.number().int(),
  pointsBalance: z.number().int(),
  growth: z.number().int(),
});

export const CounterLookup = z.object({
  member: CounterMember,
  coupons: z.array(Coupon),
  /** The member allowed points on this purchase: the flag inside their code (the code's MAC covers it). */
  pointsAllowed: z.boolean(),
  /**
   * This very code already paid for an order (one order per code window): an order with it would be
   * refused with 409 CODE_ALREADY_USED, so the till says so at once and asks for the member's next code.
   */
  codeUsed: z.boolean(),
});
export type CounterLookup = z.infer<typeof CounterLookup>;

export const CounterQuoteBody = z
  .object({
    code: MemberCodeInput,
    amountCents: AmountCents,
    couponId: Id.optional(),
    pointsToUse: z.number().int().min(0).max(1_000_000_000).optional(),
  })
  .strict();
export type CounterQuoteBody = z.infer<typeof CounterQuoteBody>;

export const CounterQuote = z.object({
  grossCents: z.number().int(),
  tierDiscountCents: z.number().int(),
  couponDiscountCents: z.number().int(),
  pointsUsed: z.number().int(),
  pointsDiscountCents: z.number().int(),
  dueCents: z.number().int(),
  pointsToEarn: z.number().int(),
  growthToEarn: z.number().int(),
  maxPointsUsable: z.number().int(),
  multiplier: z.number(),
});
export type CounterQuote = z.infer<typeof CounterQuote>;

export const CounterOrderBody = CounterQuoteBody.extend({ receiptNo: ReceiptNo }).strict();
export type CounterOrderBody = z.infer<typeof CounterOrderBody>;

export const Order = z.object({
  id: Id,
  storeId: Id,
  receiptNo: z.string(),
  grossCents: z.number().int(),
  tierDiscountCents: z.number().int(),
  couponId: Id.nullable(),
  couponDiscountCents: z.number().int(),
  pointsUsed: z.number().int(),
  pointsDiscountCents: z.number().int(),
  dueCents: z.number().int(),
  pointsEarned: z.number().int(),
  growthEarned: z.number().int(),
  refundedCents: z.number().int(),
  createdAt: IsoDateTime,
});
export type Order = z.infer<typeof Order>;

export const CounterOrder = Order.extend({
  member: z.object({ id: Id, nickname: z.string(), pointsBalance: z.number().int(), growth: z.number().int(), tier: TierSummary }),
  upgradedTo: TierSummary.nullable(),
});
export type CounterOrder = z.infer<typeof CounterOrder>;

/**
 * An order as the till sees it before a refund: with what earlier refunds already moved and the
 * coupon it used (its validity decides whether a full refund gives it back), so the confirmation
 * sheet can show what a refund will do with the same rule the BFF applies.
 */
export const CounterOrderDetail = Order.extend({
  /** Whose order it is, so the cashier can check it with the customer at the till (nickname '' when none). */
  member: z.object({ id: Id, nickname: z.string() }),
  pointsReversed: z.number().int(),
  growthReversed: z.number().int(),
  pointsReturned: z.number().int(),
  coupon: z.object({ title: z.string(), validTo: IsoDateTime }).nullable(),
});
export type CounterOrderDetail = z.infer<typeof CounterOrderDetail>;

export const OrderIdParams = z.object({ id: Id });
export const OrdersQuery = z.object({ receiptNo: ReceiptNo });

/**
 * A manager approving a refund on the till: their username and password (checked like a sign-in),
 * or a staff token of theirs. Either way a manager (or admin) of the till's own store.
 */
export const RefundApproval = z.union([StaffSessionBody, z.object({ token: z.string().min(1).max(2000) }).strict()]);
export type RefundApproval = z.infer<typeof RefundApproval>;

export const RefundBody = z
  .object({
    refundNo: ReceiptNo,
    /** 0 only for an order whose amount due was 0 (paid entirely by coupon and points). */
    amountCents: z.number().int('amount must be whole cents').min(0).max(1_000_000_000),
    /** Needed above `refunds.managerApprovalAboveCents` and for a full refund, unless the caller is a manager. */
    approval: RefundApproval.optional(),
  })
  .strict();
export type RefundBody = z.infer<typeof RefundBody>;

export const Refund = z.object({
  id: Id,
  orderId: Id,
  refundNo: z.string(),
  amountCents: z.number().int(),
  pointsReversed: z.number().int(),
  growthReversed: z.number().int(),
  pointsReturned: z.number().int(),
  couponRestored: z.boolean(),
  /** What this refund did with the order's coupon, and why it was or was not given back. */
  couponOutcome: RefundCouponOutcome,
  /** The manager who approved it (the caller, when a manager refunded); null when no approval was needed. */
  approvedBy: Id.nullable(),
  order: Order,
  member: z.object({ pointsBalance: z.number().int(), growth: z.number().int() }),
  createdAt: IsoDateTime,
});
export type Refund = z.infer<typeof Refund>;

export const MemberOrder = Order.omit({ storeId: true }).extend({
  storeName: z.string(),
  /** Points of `pointsEarned` taken back by refunds so far (what the order still gives is the difference). */
  pointsReversed: z.number().int(),
  /** The member's review of this visit, or null. */
  review: Review.nullable(),
  /** Whether it can be reviewed now (not yet reviewed, within `review.windowDays`, not refunded in full). */
  reviewable: z.boolean(),
});
export type MemberOrder = z.infer<typeof MemberOrder>;

/**
 * One order as its e-receipt shows it: the order with the tier it was priced at, the coupon's title,
 * the points multiplier of that day, and every refund of it (oldest first).
 */
export const MemberOrderDetail = MemberOrder.extend({
  tierName: z.string(),
  coupon: z.object({ title: z.string() }).nullable(),
  multiplier: z.number(),
  refunds: z.array(
    z.object({
      id: Id,
      amountCents: z.number().int(),
      pointsReversed: z.number().int(),
      growthReversed: z.number().int(),
      pointsReturned: z.number().int(),
      couponRestored: z.boolean(),
      createdAt: IsoDateTime,
    }),
  ),
});
export type MemberOrderDetail = z.infer<typeof MemberOrderDetail>;

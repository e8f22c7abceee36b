import { z } from 'zod';
import { CouponKind, MallItemKind, RedemptionStatus } from '../vocabulary';
import { Id, IsoDateTime } from './common';
import { Coupon } from './counter';

export const MallItem = z.object({
  id: Id,
  kind: MallItemKind,
  title: z.string(),
  description: z.string(),
  imageUrl: z.string().nullable(),
  pointsCost: z.number().int(),
  stockLeft: z.number().int(),
  perMemberLimit: z.number().int().nullable(),
  minTier: z.string().optional(),
  saleFrom: IsoDateTime.optional(),
  saleTo: IsoDateTime.optional(),
  /** For coupon items: what the coupon gives. */
  coupon: z
    .object({
      kind: CouponKind,
      valueCents: z.number().int().optional(),
      thresholdCents: z.number().int().optional(),
      discountPercent: z.number().int().optional(),
      capCents: z.number().int().optional(),
    })
    .optional(),
});
export type MallItem = z.infer<typeof MallItem>;

export const MallItemParams = z.object({ id: Id });

export const RedemptionBody = z.object({ itemId: Id, quantity: z.number().int().min(1).max(100).default(1) }).strict();
export type RedemptionBody = z.infer<typeof RedemptionBody>;

export const Redemption = z.object({
  id: Id,
  itemId: Id,
  kind: MallItemKind,
  title: z.string(),
  quantity: z.number().int(),
  pointsSpent: z.number().int(),
  status: RedemptionStatus,
  /** For physical and service items: shown as a QR code, confirmed by a store manager. */
  pickupCode: z.string().nullable(),
  coupons: z.array(Coupon),
  createdAt: IsoDateTime,
  fulfilledAt: IsoDateTime.nullable(),
  cancelledAt: IsoDateTime.nullable(),
});
export type Redemption = z.infer<typeof Redemption>;

export const RedemptionResult = Redemption.extend({ pointsBalance: z.number().int() });
export type RedemptionResult = z.infer<typeof RedemptionResult>;

export const RedemptionParams = z.object({ id: Id });
export const PickupParams = z.object({ pickupCode: z.string().regex(/^\d{10}$/, 'a pickup code is 10 digits') });

export const Pickup = z.object({
  redemptionId: Id,
  title: z.string(),
  quantity: z.number().int(),
  status: RedemptionStatus,
  memberNickname: z.string(),
  fulfilledAt: IsoDateTime.nullable(),
});
export type Pickup = z.infer<typeof Pickup>;

import { z } from 'zod';
import { Id, IsoDateTime } from './common';
import { Coupon, Order } from './counter';
import { Redemption } from './mall';
import { CheckinResult, Review } from './engagement';
import { GrowthLedgerEntry, Member, PointsLedgerEntry, TierHistoryEntry } from './member';

/** A refund of one of the member's orders: what it gave back and what it took back. */
export const ExportedRefund = z.object({
  id: Id,
  orderId: Id,
  refundNo: z.string(),
  amountCents: z.number().int(),
  pointsReversed: z.number().int(),
  growthReversed: z.number().int(),
  pointsReturned: z.number().int(),
  couponRestored: z.boolean(),
  createdAt: IsoDateTime,
});
export type ExportedRefund = z.infer<typeof ExportedRefund>;

/** A mall redemption with its pickup code; the coupons it gave are listed under `coupons`. */
export const ExportedRedemption = Redemption.omit({ coupons: true }).extend({ couponIds: z.array(Id) });
export type ExportedRedemption = z.infer<typeof ExportedRedemption>;

/** Everything the member center holds about a member (GET /api/v1/me/export, PIPL). */
export const PersonalDataExport = z.object({
  exportedAt: IsoDateTime,
  member: Member.extend({ phone: z.string().nullable() }),
  pointsLedger: z.array(PointsLedgerEntry),
  growthLedger: z.array(GrowthLedgerEntry),
  tierHistory: z.array(TierHistoryEntry),
  coupons: z.array(Coupon),
  orders: z.array(Order),
  refunds: z.array(ExportedRefund),
  redemptions: z.array(ExportedRedemption),
  checkins: z.array(CheckinResult.omit({ capped: true }).extend({ createdAt: IsoDateTime })),
  reviews: z.array(Review),
  /** The privacy notice the member agreed to, and when. */
  consent: z.object({ version: z.string(), consentedAt: IsoDateTime.nullable() }),
});
export type PersonalDataExport = z.infer<typeof PersonalDataExport>;

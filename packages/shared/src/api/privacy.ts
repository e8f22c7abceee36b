import { z } from 'zod';
import { IsoDateTime } from './common';
import { Coupon, Order } from './counter';
import { GrowthLedgerEntry, Member, PointsLedgerEntry, TierHistoryEntry } from './member';

/** Everything the member center holds about a member (GET /api/v1/me/export, PIPL). */
export const PersonalDataExport = z.object({
  exportedAt: IsoDateTime,
  member: Member.extend({ phone: z.string().nullable() }),
  pointsLedger: z.array(PointsLedgerEntry),
  growthLedger: z.array(GrowthLedgerEntry),
  tierHistory: z.array(TierHistoryEntry),
  coupons: z.array(Coupon),
  orders: z.array(Order),
});
export type PersonalDataExport = z.infer<typeof PersonalDataExport>;

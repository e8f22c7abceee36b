import { z } from 'zod';
import { GrowthReason, PointsReason, TierChangeReason } from '../vocabulary';
import { BusinessDay, Id, IsoDateTime } from './common';

const Nickname = z
  .string()
  .trim()
  .min(1, 'nickname is required')
  .max(20, 'nickname is at most 20 characters')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a nickname must not hold
  .refine((s) => !/[\u0000-\u001f<>]/.test(s), 'nickname has forbidden characters');
/** Mainland mobile number, 11 digits. */
export const Phone = z.string().regex(/^1[3-9]\d{9}$/, 'not a mainland mobile number');
const Birthday = BusinessDay.refine((d) => d >= '1900-01-01', 'birthday too early');

export const AuthWechatBody = z.object({ code: z.string().min(1).max(128) }).strict();
export type AuthWechatBody = z.infer<typeof AuthWechatBody>;

export const AuthDevBody = z.object({ openid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict();
export type AuthDevBody = z.infer<typeof AuthDevBody>;

export const TierSummary = z.object({ code: z.string(), name: z.string(), discountPercent: z.number().int() });
export type TierSummary = z.infer<typeof TierSummary>;

export const Member = z.object({
  id: Id,
  nickname: z.string(),
  birthday: BusinessDay.nullable(),
  phoneMasked: z.string().nullable(),
  tier: TierSummary,
  growth: z.number().int(),
  pointsBalance: z.number().int(),
  inviteCode: z.string(),
  consentVersion: z.string(),
  registeredAt: IsoDateTime,
});
export type Member = z.infer<typeof Member>;

export const AuthResponse = z.object({
  token: z.string(),
  expiresAt: IsoDateTime,
  registered: z.boolean(),
  member: Member.nullable(),
  /** Hex secret from which the device derives its dynamic code offline; rotated by every login. */
  codeSecret: z.string(),
  /** 10-digit opaque reference that prefixes the dynamic code. */
  codeRef: z.string(),
  codePeriodSeconds: z.number().int(),
});
export type AuthResponse = z.infer<typeof AuthResponse>;

export const RegisterBody = z
  .object({
    nickname: Nickname,
    birthday: Birthday.optional(),
    phone: Phone.optional(),
    phoneCode: z.string().min(1).max(128).optional(),
    inviteCode: z
      .string()
      .regex(/^[A-Z0-9]{6,12}$/)
      .optional(),
    shareToken: z.string().min(1).max(64).optional(),
    consentVersion: z.string().min(1).max(32),
  })
  .strict()
  .refine((b) => !(b.phone && b.phoneCode), { message: 'give phone or phoneCode, not both', path: ['phoneCode'] });
export type RegisterBody = z.infer<typeof RegisterBody>;

export const PatchMeBody = z
  .object({ nickname: Nickname.optional(), birthday: Birthday.optional() })
  .strict()
  .refine((b) => b.nickname !== undefined || b.birthday !== undefined, 'nothing to change');
export type PatchMeBody = z.infer<typeof PatchMeBody>;

export const GrowthView = z.object({
  value: z.number().int(),
  currentTierMin: z.number().int(),
  nextTier: z.object({ code: z.string(), name: z.string() }).nullable(),
  nextTierMin: z.number().int().nullable(),
  toNext: z.number().int(),
  percent: z.number().int(),
  yuanToNext: z.number().int().nullable(),
});

export const MemberCard = z.object({
  id: Id,
  nickname: z.string(),
  tier: TierSummary,
  growth: GrowthView,
  points: z.object({
    balance: z.number().int(),
    expiring: z.object({ amount: z.number().int(), on: BusinessDay }).nullable(),
  }),
  coupons: z.object({ available: z.number().int() }),
  checkin: z.object({ today: z.boolean(), streak: z.number().int() }),
  projection: z.object({ pointsPerYear: z.number().int(), worthCents: z.number().int() }),
});
export type MemberCard = z.infer<typeof MemberCard>;

export const MemberCodeResponse = z.object({
  code: z.string().regex(/^\d{18}$/),
  expiresAt: IsoDateTime,
  periodSeconds: z.number().int(),
});
export type MemberCodeResponse = z.infer<typeof MemberCodeResponse>;

export const PointsLedgerEntry = z.object({
  id: Id,
  delta: z.number().int(),
  balanceAfter: z.number().int(),
  reason: PointsReason,
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime.optional(),
});
export type PointsLedgerEntry = z.infer<typeof PointsLedgerEntry>;

export const GrowthLedgerEntry = z.object({
  id: Id,
  delta: z.number().int(),
  valueAfter: z.number().int(),
  reason: GrowthReason,
  createdAt: IsoDateTime,
});
export type GrowthLedgerEntry = z.infer<typeof GrowthLedgerEntry>;

export const TierHistoryEntry = z.object({
  id: Id,
  from: z.string().nullable(),
  to: z.string(),
  reason: TierChangeReason,
  createdAt: IsoDateTime,
});
export type TierHistoryEntry = z.infer<typeof TierHistoryEntry>;

export const PublicRules = z.object({
  businessTimeZone: z.string(),
  tiers: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      growthMin: z.number().int(),
      discountPercent: z.number().int(),
      colors: z.object({ from: z.string(), to: z.string(), text: z.string() }),
      perks: z.array(z.string()),
    }),
  ),
  growth: z.object({ perYuanPaid: z.number(), interaction: z.record(z.string(), z.number()) }),
  points: z.object({ perYuanPaid: z.number(), lotLifetimeDays: z.number(), expiryWarningDays: z.number() }),
  spend: z.object({ pointsPerYuan: z.number(), maxPercentOfDue: z.number() }),
  campaigns: z.array(z.object({ code: z.string(), name: z.string(), dayOfMonth: z.number(), multiplier: z.number(), tiers: z.array(z.string()).optional() })),
  checkin: z.object({ points: z.number(), growth: z.number(), cycleDays: z.number(), bonusPoints: z.number() }),
  share: z.object({ points: z.number(), growth: z.number(), windowHours: z.number(), maxRewardsPerDay: z.number() }),
  referral: z.object({
    inviterPoints: z.number(),
    inviterGrowth: z.number(),
    inviteePoints: z.number(),
    maxRewardsPerMonth: z.number(),
    milestoneEvery: z.number(),
  }),
  review: z.object({ points: z.number(), growth: z.number(), windowDays: z.number() }),
  dynamicCode: z.object({ periodSeconds: z.number() }),
  wallet: z.object({ expiringSoonDays: z.number() }),
  mall: z.object({ maxQuantityPerRedemption: z.number() }),
  refunds: z.object({ managerApprovalAboveCents: z.number() }),
  privacy: z.object({ consentVersion: z.string() }),
});
export type PublicRules = z.infer<typeof PublicRules>;

import { z } from 'zod';
import { CouponKind, GrowthReason, PointsReason, TierChangeReason } from '../vocabulary';
import { NICKNAME_MAX_CHARS, cleanText, nicknameProblem, type NicknameProblem } from '../text/text';
import { BusinessDay, Id, IsoDateTime, PageQuery } from './common';
import { ShareToken } from './share';

const NICKNAME_MESSAGES: Record<NicknameProblem, string> = {
  empty: 'nickname is required',
  'too-long': `nickname is at most ${NICKNAME_MAX_CHARS} characters`,
  'forbidden-characters': 'nickname has forbidden characters',
};
/**
 * A nickname as shown to others: invisible and control characters removed (bidi overrides,
 * zero-width), trimmed, then 1–20 characters counted as code points, the same rule the
 * mini-program applies as the member types (`@member/shared/text/text`).
 */
const Nickname = z
  .string()
  .max(200, 'nickname is too long')
  .describe(`1–${NICKNAME_MAX_CHARS} characters (code points) once invisible and control characters are removed and the ends trimmed`)
  .transform(cleanText)
  .superRefine((s, ctx) => {
    const problem = nicknameProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: NICKNAME_MESSAGES[problem] });
  });
/** Mainland mobile number, 11 digits. */
export const Phone = z.string().regex(/^1[3-9]\d{9}$/, 'not a mainland mobile number');
/**
 * A birthday: not before 1900 and not in the future. "Today" is taken where the calendar is
 * furthest ahead (UTC+14), so a member born today anywhere is never refused.
 */
const Birthday = BusinessDay.refine((d) => d >= '1900-01-01', 'birthday too early').refine(
  (d) => d <= new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10),
  'birthday is in the future',
);

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
    /** Codes are upper case; one typed in lower case (or with spaces around it) is the same code. */
    inviteCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{6,12}$/)
      .optional(),
    shareToken: ShareToken.optional(),
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
  /** Lifetime growth (shown; tiers follow `qualifying`). */
  value: z.number().int(),
  /** Qualifying growth: earned in the trailing `tierReview.trailingDays`, what decides the tier (never below 0). */
  qualifying: z.number().int(),
  /**
   * 保级: what keeps the current tier at the next quarterly review, `needed` growth still to earn by
   * then (0: already kept); null for the lowest tier, which has nothing to keep.
   */
  keep: z
    .object({
      tierCode: z.string(),
      tierName: z.string(),
      needed: z.number().int(),
      reviewAt: IsoDateTime,
      /** The business day of the review. */
      reviewOn: BusinessDay,
    })
    .nullable(),
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
  /** The business day (business time zone) the card was made on: the member day and birthday month are decided from it, never from the phone's clock. */
  today: BusinessDay,
  /** What the member may see and edit of their profile (the Me page). */
  profile: z.object({
    birthday: BusinessDay.nullable(),
    phoneMasked: z.string().nullable(),
    /** When the birthday may be changed again (`profile.birthdayChangeDays` after the last change); null when it may be changed now. */
    birthdayChangeableFrom: IsoDateTime.nullable(),
  }),
});
export type MemberCard = z.infer<typeof MemberCard>;

/** `?usePoints=true` asks for the code carrying the member's consent to spend points (digit 11). */
export const MemberCodeQuery = z.object({ usePoints: z.enum(['true', 'false']).default('false') });
export type MemberCodeQuery = z.infer<typeof MemberCodeQuery>;

export const MemberCodeResponse = z.object({
  code: z.string().regex(/^\d{18}$/),
  expiresAt: IsoDateTime,
  periodSeconds: z.number().int(),
  /** Whether this code carries the points flag (as asked with `usePoints`). */
  pointsAllowed: z.boolean(),
  /**
   * Fingerprint of the member's current code secret (`codeSecretFingerprint`): a device whose own
   * secret has another fingerprint was signed out by a newer login elsewhere, and its codes are dead.
   */
  secretFingerprint: z.string().regex(/^[0-9a-f]{16}$/),
});
export type MemberCodeResponse = z.infer<typeof MemberCodeResponse>;

/** What a points ledger entry was about: the counter order (named by its store) or the mall redemption (by its item). */
export const PointsLedgerSubject = z.object({
  kind: z.enum(['order', 'redemption']),
  id: Id,
  title: z.string(),
});
export type PointsLedgerSubject = z.infer<typeof PointsLedgerSubject>;

export const PointsLedgerEntry = z.object({
  id: Id,
  delta: z.number().int(),
  balanceAfter: z.number().int(),
  reason: PointsReason,
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime.optional(),
  /**
   * Entries with the same `event` are one thing that happened, to be shown as one line: an order's
   * points spent and earned, a refund's take-back and give-back, a cancelled redemption's give-back
   * (one entry per lot), the lots that expired together. Opaque; unique otherwise.
   */
  event: z.string(),
  /** The order or mall item the entry came from, where there is one (absent in the data export). */
  subject: PointsLedgerSubject.optional(),
});
export type PointsLedgerEntry = z.infer<typeof PointsLedgerEntry>;

/** Points history filter: 获得 (positive entries), 使用 (negative ones other than expiry), 过期. */
export const PointsLedgerType = z.enum(['earned', 'spent', 'expired']);
export type PointsLedgerType = z.infer<typeof PointsLedgerType>;
export const PointsLedgerQuery = PageQuery.extend({ type: PointsLedgerType.optional() });
export type PointsLedgerQuery = z.infer<typeof PointsLedgerQuery>;

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
  /** The campaigns running or still to come: the configured ones and those operators created (`from`/`to`: business days, inclusive). */
  campaigns: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      dayOfMonth: z.number().optional(),
      multiplier: z.number(),
      tiers: z.array(z.string()).optional(),
      from: z.string().optional(),
      to: z.string().optional(),
    }),
  ),
  /** The quarterly tier review: qualifying growth is what was earned in the trailing `trailingDays`; a member drops at most `maxDropPerReview` tiers per review. */
  tierReview: z.object({ trailingDays: z.number(), maxDropPerReview: z.number() }),
  /** The birthday month's coupon (its template's terms), or null when none is configured. */
  birthdayGift: z
    .object({
      title: z.string(),
      kind: CouponKind,
      valueCents: z.number().optional(),
      thresholdCents: z.number().optional(),
      discountPercent: z.number().optional(),
      capCents: z.number().optional(),
    })
    .nullable(),
  profile: z.object({ birthdayChangeDays: z.number() }),
  checkin: z.object({ points: z.number(), growth: z.number(), cycleDays: z.number(), bonusPoints: z.number() }),
  share: z.object({ points: z.number(), growth: z.number(), windowHours: z.number(), maxRewardsPerDay: z.number() }),
  referral: z.object({
    inviterPoints: z.number(),
    inviterGrowth: z.number(),
    inviteePoints: z.number(),
    minFirstOrderPaidCents: z.number(),
    maxRewardsPerMonth: z.number(),
    milestoneEvery: z.number(),
    /** The coupon every `milestoneEvery`-th rewarded invitation adds (its template's title). */
    milestoneTitle: z.string(),
  }),
  review: z.object({ points: z.number(), growth: z.number(), windowDays: z.number() }),
  interactionCaps: z.object({
    perDay: z.object({ points: z.number(), growth: z.number() }),
    perMonth: z.object({ points: z.number(), growth: z.number() }),
  }),
  dynamicCode: z.object({ periodSeconds: z.number() }),
  wallet: z.object({ expiringSoonDays: z.number() }),
  mall: z.object({ maxQuantityPerRedemption: z.number() }),
  refunds: z.object({ managerApprovalAboveCents: z.number() }),
  /** The largest amount one counter order may have: the till's keypad refuses a digit beyond it. */
  counter: z.object({ maxAmountCents: z.number() }),
  privacy: z.object({ consentVersion: z.string() }),
});
export type PublicRules = z.infer<typeof PublicRules>;

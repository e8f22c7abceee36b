import { z } from 'zod';
import { CouponKind } from '../vocabulary';

const int = z.number().int();
const nonNeg = int.nonnegative();
const positive = int.positive();
const templateCode = z.string().regex(/^[a-z0-9-]{2,64}$/, 'template codes are kebab-case');

export const TierCode = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/);

export const TierConfig = z.object({
  code: TierCode,
  name: z.string().min(1).max(20),
  growthMin: nonNeg,
  /** Share of the price the member pays, in percent: 95 means 9.5折, 100 means no discount. */
  discountPercent: int.min(1).max(100),
  colors: z.object({
    from: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    to: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    text: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  }),
  upgradeGiftTemplate: templateCode.optional(),
  perks: z.array(z.string().min(1)).default([]),
});
export type TierConfig = z.infer<typeof TierConfig>;

export const CampaignConfig = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  /** Day of the month (business time zone) on which the campaign runs. */
  dayOfMonth: int.min(1).max(31),
  /** Points multiplier; multipliers never stack: the highest applicable one wins. */
  multiplier: z.number().min(1).max(10),
  /** Tiers the campaign applies to; absent means every tier. */
  tiers: z.array(TierCode).optional(),
});
export type CampaignConfig = z.infer<typeof CampaignConfig>;

export const CouponTemplateConfig = z
  .object({
    code: templateCode,
    kind: CouponKind,
    title: z.string().min(1).max(40),
    valueCents: positive.optional(),
    thresholdCents: positive.optional(),
    discountPercent: int.min(1).max(99).optional(),
    capCents: positive.optional(),
    validity: z.union([z.object({ days: positive }), z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })]),
  })
  .superRefine((t, ctx) => {
    const need = (field: keyof typeof t, when: string) => {
      if (t[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `${when} needs ${field}` });
    };
    if (t.kind === 'cash') need('valueCents', 'a cash coupon');
    if (t.kind === 'threshold') {
      need('valueCents', 'a threshold coupon');
      need('thresholdCents', 'a threshold coupon');
      if (t.valueCents !== undefined && t.thresholdCents !== undefined && t.valueCents > t.thresholdCents) {
        ctx.addIssue({ code: 'custom', path: ['valueCents'], message: 'value must not exceed the threshold' });
      }
    }
    if (t.kind === 'discount') need('discountPercent', 'a discount coupon');
  });
export type CouponTemplateConfig = z.infer<typeof CouponTemplateConfig>;

export const LoyaltyConfig = z
  .object({
    $comment: z.string().optional(),
    /** IANA zone that decides business days (check-in, member day, birthdays). */
    businessTimeZone: z.string().refine(isValidTimeZone, 'unknown IANA time zone'),
    tiers: z.array(TierConfig).min(1),
    growth: z.object({
      perYuanPaid: nonNeg,
      interaction: z.object({ checkin: nonNeg, review: nonNeg, share: nonNeg, referral: nonNeg }),
    }),
    points: z.object({
      perYuanPaid: nonNeg,
      lotLifetimeDays: positive,
      expiryWarningDays: positive,
      projectionWindowDays: positive,
    }),
    spend: z.object({
      pointsPerYuan: positive,
      maxPercentOfDue: int.min(0).max(100),
    }),
    campaigns: z.array(CampaignConfig).default([]),
    checkin: z.object({ points: nonNeg, growth: nonNeg, cycleDays: positive, bonusPoints: nonNeg }),
    share: z.object({ points: nonNeg, growth: nonNeg, windowHours: positive, maxRewardsPerDay: nonNeg }),
    referral: z.object({
      inviterPoints: nonNeg,
      inviterGrowth: nonNeg,
      inviteePoints: nonNeg,
      /** What the invitee's first order must leave paid (cents, ≥ 1 counts): less, or a refund to below it, earns nothing. */
      minFirstOrderPaidCents: nonNeg,
      maxRewardsPerMonth: nonNeg,
      milestoneEvery: positive,
      milestoneTemplate: templateCode,
    }),
    review: z.object({ points: nonNeg, growth: nonNeg, windowDays: positive }),
    /**
     * Earning caps on interactions (check-in, review, share, referral): what a member may earn from
     * them per business day and per business month (days and months in `businessTimeZone`),
     * counted from the ledgers and enforced in the crediting transaction. What is over is clipped.
     */
    interactionCaps: z.object({
      perDay: z.object({ points: nonNeg, growth: nonNeg }),
      perMonth: z.object({ points: nonNeg, growth: nonNeg }),
    }),
    tierReview: z.object({ trailingDays: positive, maxDropPerReview: positive }),
    dynamicCode: z.object({
      periodSeconds: int.min(10).max(300),
      acceptPreviousWindows: int.min(0).max(4),
      /** How far back an old code is still recognised as "expired" rather than "invalid". */
      expiredLookbackWindows: int.min(1).max(10_000),
    }),
    couponEvents: z.object({
      registration: templateCode.optional(),
      firstOrder: templateCode.optional(),
      birthday: templateCode.optional(),
      dormant: templateCode.optional(),
      dormantAfterDays: positive,
    }),
    couponTemplates: z.array(CouponTemplateConfig),
    counter: z.object({
      /** Largest single counter amount accepted; anything above is a typing mistake. */
      maxAmountCents: positive,
      /** How long a coupon chosen in a quote stays reserved for that store. */
      couponLockSeconds: positive,
    }),
    refunds: z.object({
      /**
       * A refund needs a manager's approval on the till when the order's refunded total, counting
       * it, goes above this many cents; the refund that completes an order always does.
       */
      managerApprovalAboveCents: nonNeg,
    }),
    /** The wallet marks coupons ending within this many days as expiring soon. */
    wallet: z.object({ expiringSoonDays: positive }),
    mall: z.object({ maxQuantityPerRedemption: positive }),
    /** Birthday coupons make the birthday worth money: it may be set again only after this many days. */
    profile: z.object({ birthdayChangeDays: positive }),
    privacy: z.object({ consentVersion: z.string().min(1).max(32) }),
  })
  .superRefine((c, ctx) => {
    const tiers = c.tiers;
    if (tiers[0].growthMin !== 0) ctx.addIssue({ code: 'custom', path: ['tiers', 0, 'growthMin'], message: 'the first tier must start at 0 growth' });
    const codes = new Set<string>();
    tiers.forEach((t, i) => {
      if (codes.has(t.code)) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'code'], message: `duplicate tier ${t.code}` });
      codes.add(t.code);
      if (i > 0 && t.growthMin <= tiers[i - 1].growthMin) {
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'growthMin'], message: 'tiers must be in strictly ascending growth order' });
      }
    });
    const templates = new Set(c.couponTemplates.map((t) => t.code));
    if (templates.size !== c.couponTemplates.length) ctx.addIssue({ code: 'custom', path: ['couponTemplates'], message: 'duplicate template code' });
    const refs: Array<[string | undefined, (string | number)[]]> = [
      ...tiers.map((t, i) => [t.upgradeGiftTemplate, ['tiers', i, 'upgradeGiftTemplate']] as [string | undefined, (string | number)[]]),
      [c.referral.milestoneTemplate, ['referral', 'milestoneTemplate']],
      ...(['registration', 'firstOrder', 'birthday', 'dormant'] as const).map(
        (k) => [c.couponEvents[k], ['couponEvents', k]] as [string | undefined, (string | number)[]],
      ),
    ];
    for (const [ref, path] of refs) {
      if (ref !== undefined && !templates.has(ref)) ctx.addIssue({ code: 'custom', path, message: `unknown coupon template ${ref}` });
    }
    // The caps must never break a promise the rules make: any single interaction reward fits a
    // fresh day in full, and a month holds every referral reward the referral rules allow.
    const caps = c.interactionCaps;
    for (const k of ['points', 'growth'] as const) {
      if (caps.perDay[k] > caps.perMonth[k]) {
        ctx.addIssue({ code: 'custom', path: ['interactionCaps', 'perDay', k], message: 'a day cannot allow more than a month' });
      }
    }
    const biggest = {
      points: Math.max(c.checkin.points + c.checkin.bonusPoints, c.review.points, c.share.points, c.referral.inviterPoints, c.referral.inviteePoints),
      growth: Math.max(c.checkin.growth, c.review.growth, c.share.growth, c.referral.inviterGrowth),
    };
    for (const k of ['points', 'growth'] as const) {
      if (caps.perDay[k] < biggest[k]) {
        ctx.addIssue({ code: 'custom', path: ['interactionCaps', 'perDay', k], message: `must allow the largest single interaction reward (${biggest[k]})` });
      }
    }
    const referralMonth = {
      points: c.referral.maxRewardsPerMonth * c.referral.inviterPoints,
      growth: c.referral.maxRewardsPerMonth * c.referral.inviterGrowth,
    };
    for (const k of ['points', 'growth'] as const) {
      if (caps.perMonth[k] < referralMonth[k]) {
        ctx.addIssue({
          code: 'custom',
          path: ['interactionCaps', 'perMonth', k],
          message: `must allow a month of referral rewards (${c.referral.maxRewardsPerMonth} × ${k === 'points' ? c.referral.inviterPoints : c.referral.inviterGrowth})`,
        });
      }
    }
    c.campaigns.forEach((camp, i) =>
      camp.tiers?.forEach((t) => {
        if (!codes.has(t)) ctx.addIssue({ code: 'custom', path: ['campaigns', i, 'tiers'], message: `unknown tier ${t}` });
      }),
    );
  });
export type LoyaltyConfig = z.infer<typeof LoyaltyConfig>;

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses raw loyalty configuration and throws one readable error listing every problem, so a
 * mistyped setting stops the BFF at start-up instead of mis-pricing at the counter.
 */
export function parseLoyaltyConfig(raw: unknown, source = 'config/loyalty.json'): LoyaltyConfig {
  const result = LoyaltyConfig.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid loyalty configuration in ${source}:\n${lines.join('\n')}`);
  }
  return result.data;
}

import { z } from 'zod';
import { ReferralStatus, SharePage } from '../vocabulary';
import { Id, IsoDateTime } from './common';

/** A share token as it travels in a path: URL-safe, 16–32 characters. */
export const ShareToken = z.string().regex(/^[A-Za-z0-9_-]{16,32}$/, 'malformed share token');

/** `POST /shares`: the page to share; an item needs its id (the invite page carries the sharer's own code). */
export const CreateShareBody = z
  .object({
    page: SharePage,
    params: z
      .object({ id: Id.max(26).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => b.page !== 'item' || b.params?.id !== undefined, { message: 'an item share needs params.id', path: ['params', 'id'] });
export type CreateShareBody = z.infer<typeof CreateShareBody>;

export const ShareLink = z.object({
  token: ShareToken,
  /** The mini-program path a friend opens (with the token, and for the invite page the invite code). */
  path: z.string(),
});
export type ShareLink = z.infer<typeof ShareLink>;

export const ShareTokenParams = z.object({ token: ShareToken });

/** `POST /shares/{token}/visits`: whether the visit was recorded (a sharer opening their own link is not). */
export const ShareVisit = z.object({ recorded: z.boolean() });
export type ShareVisit = z.infer<typeof ShareVisit>;

export const Invitee = z.object({
  /** Null once the invitee erased their data. */
  nickname: z.string().nullable(),
  status: ReferralStatus,
  registeredAt: IsoDateTime,
  rewardedAt: IsoDateTime.optional(),
  /** What the inviter received for this invitation (once rewarded). */
  reward: z.object({ points: z.number().int(), growth: z.number().int() }).nullable(),
});
export type Invitee = z.infer<typeof Invitee>;

/** `GET /me/invitation`. */
export const Invitation = z.object({
  code: z.string(),
  path: z.string(),
  invitees: z.array(Invitee),
  /** Invitations rewarded (and not reversed), ever. */
  rewardedCount: z.number().int(),
  /** Invitations rewarded or held this business month, against `referral.maxRewardsPerMonth`. */
  rewardedThisMonth: z.number().int(),
});
export type Invitation = z.infer<typeof Invitation>;

/** A share or referral reward held for review (WeChat rated the friend risky, or could not rate them). */
export const HeldReward = z.object({
  id: Id,
  kind: z.enum(['share', 'referral']),
  /** Who would be paid: the sharer, or the inviter (with their invitee). */
  memberId: Id,
  friendId: Id,
  riskRank: z.number().int().nullable(),
  status: z.enum(['held', 'released']),
  createdAt: IsoDateTime,
});
export type HeldReward = z.infer<typeof HeldReward>;

export const HeldRewardParams = z.object({ id: Id });

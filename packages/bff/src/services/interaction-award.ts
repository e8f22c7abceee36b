import type { LockedMember } from '../db/repositories/member.repository';

/** An interaction reward to credit (check-in, review, share or referral), once per source key. */
export interface InteractionReward {
  kind: 'checkin' | 'review' | 'share' | 'referral';
  points: number;
  growth: number;
  sourceKey: string;
  note?: string;
}

/** What was actually credited (the interaction caps may clip it). */
export interface Awarded {
  points: number;
  growth: number;
  capped: boolean;
}

/** Credits an interaction reward to a locked member, inside the caller's transaction. */
export type AwardInteraction = (locked: LockedMember, r: InteractionReward) => Promise<Awarded>;

import { businessPeriodStarts, type LoyaltyConfig } from '@member/shared';
import type { Db } from '../db/db';
import type { LockedMember } from '../db/repositories/member.repository';
import type { PointsRepository } from '../db/repositories/points.repository';
import type { Clock } from '../lib/clock';
import type { PointsService } from './points.service';

/** The interactions whose rewards count against `interactionCaps` (also their ledger reasons). */
export const INTERACTION_KINDS = ['checkin', 'review', 'share', 'referral'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export interface InteractionAward {
  kind: InteractionKind;
  points: number;
  growth: number;
  /** Names the event: the ledgers' unique keys make it apply at most once per member. */
  sourceKey: string;
  note?: string;
}

export interface Awarded {
  /** What was actually credited (the asked amounts, clipped to what the caps leave). */
  points: number;
  growth: number;
  /** True when the caps took anything off. */
  capped: boolean;
}

/**
 * Rewards for interactions (check-in, review, share, referral), under the earning caps
 * `interactionCaps`: per business day and per business month (in `businessTimeZone`), points and
 * growth apart. What a member already earned is read from the ledgers themselves (positive
 * entries with an interaction reason since the day and the month began), so nothing else has to
 * be kept in step; an award is clipped to what is left under both caps and posted with
 * `PointsService.post`.
 *
 * `award` must run inside the transaction that holds the member's row lock (`PointsService.lock`):
 * the lock serialises the member's awards, so the read-then-credit cannot be raced past the caps.
 * A repeated `sourceKey` fails on the ledgers' unique keys (a duplicate-key error that aborts the
 * caller's transaction), unless the caps left nothing to post. Taking a reward back (a refunded
 * referral) is the caller's business; a take-back never frees room under the caps.
 */
export class InteractionRewards {
  constructor(
    private readonly db: Db,
    private readonly points: PointsService,
    private readonly ledger: PointsRepository,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
  ) {}

  /** What the caps still allow this member now (reads the ledgers; call under the member lock). */
  async left(locked: LockedMember): Promise<{ points: number; growth: number }> {
    const starts = businessPeriodStarts(this.clock.now(), this.loyalty.businessTimeZone);
    const earned = await this.ledger.earnedSince(locked.member.id, INTERACTION_KINDS, starts.day, starts.month);
    const caps = this.loyalty.interactionCaps;
    const room = (k: 'points' | 'growth') => Math.max(0, Math.min(caps.perDay[k] - earned[k].day, caps.perMonth[k] - earned[k].month));
    return { points: room('points'), growth: room('growth') };
  }

  async award(locked: LockedMember, r: InteractionAward): Promise<Awarded> {
    if (!this.db.inTransaction) throw new Error('InteractionRewards.award runs inside the transaction holding the member lock');
    for (const v of [r.points, r.growth]) {
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`interaction rewards are non-negative integers, not ${v}`);
    }
    const room = await this.left(locked);
    const points = Math.min(r.points, room.points);
    const growth = Math.min(r.growth, room.growth);
    if (points > 0 || growth > 0) {
      await this.points.post(locked, {
        credits: points > 0 ? [{ amount: points, reason: r.kind, sourceKey: r.sourceKey, note: r.note }] : [],
        ...(growth > 0 ? { growth: { delta: growth, reason: r.kind, sourceKey: r.sourceKey } } : {}),
      });
    }
    return { points, growth, capped: points < r.points || growth < r.growth };
  }
}

import { DomainError, tierAfterGrowth, type LoyaltyConfig } from '@member/shared';
import { affectedRows, type Db } from '../db/db';
import { GrowthLedgerEntity, MemberEntity, TierHistoryEntity, type GrowthLedgerRow } from '../db/entities';
import type { Clock } from './clock';
import { newId } from './crypto';
import { lockMember } from './member-lock';

export type GrowthReason = 'order' | 'checkin' | 'review' | 'share' | 'referral' | 'refund' | 'adjust' | 'seed';

export interface GrowthMove {
  memberId: string;
  /** Positive to earn, negative to take back (refunds). */
  delta: number;
  reason: GrowthReason;
  sourceKey: string;
  /** The key was minted in this transaction and cannot have been applied (see PointsMove.fresh). */
  fresh?: boolean;
}

export interface GrowthResult {
  entry: GrowthLedgerRow;
  replayed: boolean;
  /** Set when this growth lifted the member's tier (immediately, as PRODUCT.md §1 says). */
  upgrade: { from: string; to: string } | null;
}

/** Called inside the same transaction when a member moves up a tier (upgrade gifts hook in here). */
export type TierUpgradeListener = (memberId: string, from: string, to: string) => Promise<void>;

/**
 * Growth value (成长值): a ledger separate from points. Growth only ever raises a tier here,
 * immediately; drops happen only at the quarterly review.
 */
export class GrowthService {
  private readonly listeners: TierUpgradeListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
  ) {}

  onTierUpgrade(listener: TierUpgradeListener): void {
    this.listeners.push(listener);
  }

  async add(move: GrowthMove): Promise<GrowthResult> {
    if (!Number.isSafeInteger(move.delta) || move.delta === 0) {
      throw new DomainError('VALIDATION_FAILED', 'growth delta must be a non-zero integer');
    }
    return this.db.transaction(async (em) => {
      const member = await lockMember(this.db, em, move.memberId);
      const prior = move.fresh ? null : await em.findOneBy(GrowthLedgerEntity, { memberId: move.memberId, sourceKey: move.sourceKey });
      if (prior) {
        if (prior.delta !== move.delta) throw new DomainError('IDEMPOTENCY_MISMATCH', 'this event was already applied with another amount');
        return { entry: prior, replayed: true, upgrade: null };
      }
      const now = this.clock.now();
      const after = member.growth + move.delta;
      const changed = affectedRows(
        await em
          .createQueryBuilder()
          .update(MemberEntity)
          .set({ growth: () => 'growth + :delta', updatedAt: now })
          .where('id = :id', { id: move.memberId, delta: move.delta })
          .execute(),
      );
      if (changed !== 1) throw new DomainError('NOT_FOUND', 'member not found');
      const entry: GrowthLedgerRow = {
        id: newId(),
        memberId: move.memberId,
        delta: move.delta,
        valueAfter: after,
        reason: move.reason,
        sourceKey: move.sourceKey,
        createdAt: now,
      };
      await em.insert(GrowthLedgerEntity, entry);

      const target = tierAfterGrowth(this.loyalty.tiers, member.tier, after);
      if (target.code === member.tier) return { entry, replayed: false, upgrade: null };
      const moved = affectedRows(
        await em
          .createQueryBuilder()
          .update(MemberEntity)
          .set({ tier: target.code })
          .where('id = :id AND tier = :from', { id: move.memberId, from: member.tier })
          .execute(),
      );
      if (moved !== 1) throw new Error('tier changed under a held member lock');
      await em.insert(TierHistoryEntity, {
        id: newId(),
        memberId: move.memberId,
        fromTier: member.tier,
        toTier: target.code,
        reason: 'upgrade',
        createdAt: now,
      });
      for (const l of this.listeners) await l(move.memberId, member.tier, target.code);
      return { entry, replayed: false, upgrade: { from: member.tier, to: target.code } };
    });
  }
}

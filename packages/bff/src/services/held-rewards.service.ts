import { DomainError, type HeldReward } from '@member/shared';
import type { Db } from '../db/db';
import type { Repositories } from '../db/repositories';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import type { ReferralService } from './referral.service';
import type { ShareService } from './share.service';

const LISTED = 200;

/**
 * Share and referral rewards held for review (WeChat rated the friend risky, or could not rate
 * them): operators list them and release one, which pays it once (through the interaction caps)
 * and is written to the audit log. A held reward nobody releases is simply never paid.
 */
export class HeldRewardsService {
  constructor(
    private readonly db: Db,
    private readonly repos: Pick<Repositories, 'shareReferral' | 'audit'>,
    private readonly shares: ShareService,
    private readonly referrals: ReferralService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<HeldReward[]> {
    const [shares, referrals] = await Promise.all([this.repos.shareReferral.heldShareRewards(LISTED), this.repos.shareReferral.heldReferrals(LISTED)]);
    return [
      ...shares.map((r) => ({
        id: r.id,
        kind: 'share' as const,
        memberId: r.sharerId,
        friendId: r.visitorId,
        riskRank: r.riskRank,
        status: 'held' as const,
        createdAt: r.createdAt.toISOString(),
      })),
      ...referrals.map((r) => ({
        id: r.id,
        kind: 'referral' as const,
        memberId: r.inviterId,
        friendId: r.inviteeId,
        riskRank: r.riskRank,
        status: 'held' as const,
        createdAt: (r.orderedAt ?? r.registeredAt).toISOString(),
      })),
    ].sort((a, b) => a.id.localeCompare(b.id));
  }

  async release(actorId: string, id: string): Promise<HeldReward> {
    return this.db.transaction(async () => {
      let released: HeldReward;
      if (await this.repos.shareReferral.shareRewardById(id)) {
        const r = await this.shares.release(id);
        released = {
          id,
          kind: 'share',
          memberId: r.sharerId,
          friendId: r.visitorId,
          riskRank: r.riskRank,
          status: 'released',
          createdAt: r.createdAt.toISOString(),
        };
      } else if (await this.repos.shareReferral.referralById(id)) {
        const r = await this.referrals.release(id);
        released = {
          id,
          kind: 'referral',
          memberId: r.inviterId,
          friendId: r.inviteeId,
          riskRank: r.riskRank,
          status: 'released',
          createdAt: (r.orderedAt ?? r.registeredAt).toISOString(),
        };
      } else {
        throw new DomainError('NOT_FOUND', 'no such reward');
      }
      await this.repos.audit.insert({
        id: newId(),
        actorId,
        action: 'held-reward.release',
        targetType: released.kind === 'share' ? 'share-reward' : 'referral',
        targetId: id,
        details: JSON.stringify({ memberId: released.memberId, friendId: released.friendId, riskRank: released.riskRank }),
        createdAt: this.clock.now(),
      });
      return released;
    });
  }
}

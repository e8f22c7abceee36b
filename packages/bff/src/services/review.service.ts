import { DomainError, addDays, type LoyaltyConfig, type ReviewBody } from '@member/shared';
import { isDuplicateKey, type Db } from '../db/db';
import type { OrderRow, ReviewRow } from '../db/entities';
import type { EngagementRepository } from '../db/repositories/engagement.repository';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import type { InteractionRewards } from './interaction-rewards';
import type { PointsService } from './points.service';

/**
 * Whether an order can still be reviewed at `now`: not reviewed yet, not refunded in full, and
 * within `review.windowDays` (24-hour days) of the order.
 */
export function reviewable(o: Pick<OrderRow, 'createdAt' | 'refundedCents' | 'dueCents'>, reviewed: boolean, now: Date, windowDays: number): boolean {
  return !reviewed && !fullyRefunded(o) && now <= addDays(o.createdAt, windowDays);
}

function fullyRefunded(o: Pick<OrderRow, 'refundedCents' | 'dueCents'>): boolean {
  return o.dueCents > 0 && o.refundedCents >= o.dueCents;
}

/**
 * Reviews of counter visits: one per order (`UNIQUE(order_id)` decides, not a read), within
 * `review.windowDays` of the order, by the member who paid it. The reward (`review.points` and
 * `review.growth`) goes through `InteractionRewards`, under the interaction earning caps.
 */
export class ReviewService {
  constructor(
    private readonly db: Db,
    private readonly engagement: EngagementRepository,
    private readonly points: PointsService,
    private readonly rewards: InteractionRewards,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
  ) {}

  async review(memberId: string, orderId: string, body: ReviewBody): Promise<ReviewRow> {
    try {
      return await this.db.transaction(async () => {
        const locked = await this.points.lock(memberId, { withLots: false });
        if (locked.member.status === 'erased') throw new DomainError('UNAUTHENTICATED', 'account no longer exists');
        const order = await this.engagement.orderForReview(memberId, orderId);
        // Another member's order does not exist for this one.
        if (!order || locked.member.status !== 'active') throw new DomainError('NOT_FOUND', 'no such order');
        if (order.reviewed) throw new DomainError('ALREADY_REVIEWED', 'this order was already reviewed');
        const now = this.clock.now();
        const windowDays = this.loyalty.review.windowDays;
        if (fullyRefunded(order)) throw new DomainError('NOT_ELIGIBLE', 'a refunded order cannot be reviewed', { reason: 'refunded' });
        if (!reviewable(order, false, now, windowDays)) {
          throw new DomainError('NOT_ELIGIBLE', `orders can be reviewed within ${windowDays} days`, {
            reason: 'window_closed',
            closedAt: addDays(order.createdAt, windowDays).toISOString(),
          });
        }
        const row: ReviewRow = {
          id: newId(),
          orderId,
          memberId,
          stars: body.stars,
          answers: (body.answers ?? []).join(','),
          comment: body.comment ? body.comment : null,
          points: this.loyalty.review.points,
          growth: this.loyalty.review.growth,
          createdAt: now,
        };
        // The unique key (order_id) refuses a second review of the order before anything is credited.
        await this.engagement.insertReview(row);
        const awarded = await this.rewards.award(locked, { kind: 'review', points: row.points, growth: row.growth, sourceKey: `review:${orderId}` });
        if (awarded.capped) {
          await this.engagement.setReviewReward(row.id, awarded.points, awarded.growth);
          row.points = awarded.points;
          row.growth = awarded.growth;
        }
        return row;
      });
    } catch (e) {
      if (isDuplicateKey(e)) throw new DomainError('ALREADY_REVIEWED', 'this order was already reviewed');
      throw e;
    }
  }
}

import { addDays, businessDate, type LoyaltyConfig } from '@member/shared';
import type { Db } from '../db/db';
import type { MemberRow } from '../db/entities';
import type { OccasionRepository } from '../db/repositories/occasion.repository';
import type { PointsService } from './points.service';

/** Issues a gift coupon once per event key; true when this call issued it (false: issued before, or the template refused). */
export type Gift = (member: MemberRow, templateCode: string, sourceKey: string) => Promise<boolean>;

/** What one batch did: how far it read (the next batch starts after `lastId`) and what it issued. */
export interface OccasionBatch {
  read: number;
  issued: number;
  lastId: string | null;
}

/**
 * Coupons for occasions (PRODUCT §4): the birthday coupon in the member's birthday month, once per
 * member per year (event `birthday:<year>`); the wake-up coupon after `dormantAfterDays` without
 * a counter order, once per dormancy (event `dormant:<last order id>`, or `dormant:joined` for a
 * member who never ordered: a new order starts a new dormancy). Each member is handled in a
 * transaction on their locked row and the coupon's source key is unique per member, so concurrent
 * or repeated runs issue once.
 */
export class OccasionCouponService {
  constructor(
    private readonly db: Db,
    private readonly occasions: OccasionRepository,
    private readonly points: PointsService,
    private readonly gift: Gift,
    private readonly loyalty: LoyaltyConfig,
  ) {}

  /** One batch of birthday coupons for the business month of `now`, members after `afterId`. */
  async birthdayBatch(now: Date, afterId: string, limit: number): Promise<OccasionBatch> {
    const template = this.loyalty.couponEvents.birthday;
    if (!template) return { read: 0, issued: 0, lastId: null };
    const today = businessDate(now, this.loyalty.businessTimeZone);
    const month = today.slice(5, 7);
    const sourceKey = `birthday:${today.slice(0, 4)}`;
    const ids = await this.occasions.birthdayMembers(month, sourceKey, afterId, limit);
    let issued = 0;
    for (const id of ids) {
      const done = await this.db.transaction(async () => {
        const { member } = await this.points.lock(id, { withLots: false });
        // Read again under the lock: the birthday may have changed since the batch was read.
        if (member.status !== 'active' || member.birthday?.slice(5, 7) !== month) return false;
        return this.gift(member, template, sourceKey);
      });
      if (done) issued++;
    }
    return { read: ids.length, issued, lastId: ids.at(-1) ?? null };
  }

  /** One batch of wake-up coupons: members after `afterId` with no order in `dormantAfterDays` before `now`. */
  async dormantBatch(now: Date, afterId: string, limit: number): Promise<OccasionBatch> {
    const template = this.loyalty.couponEvents.dormant;
    if (!template) return { read: 0, issued: 0, lastId: null };
    const cutoff = addDays(now, -this.loyalty.couponEvents.dormantAfterDays);
    const ids = await this.occasions.dormantMembers(cutoff, afterId, limit);
    let issued = 0;
    for (const id of ids) {
      const done = await this.db.transaction(async () => {
        const { member } = await this.points.lock(id, { withLots: false });
        // Under the member lock no order of theirs can commit meanwhile: the last one is final here.
        const last = await this.occasions.lastOrder(id);
        const since = last?.createdAt ?? member.registeredAt;
        if (member.status !== 'active' || !since || since > cutoff) return false;
        return this.gift(member, template, `dormant:${last?.id ?? 'joined'}`);
      });
      if (done) issued++;
    }
    return { read: ids.length, issued, lastId: ids.at(-1) ?? null };
  }
}

import { DomainError, tierAtLeast, type LoyaltyConfig } from '@member/shared';
import { affectedRows, isDuplicateKey, type Db } from '../db/db';
import {
  MallItemEntity,
  MemberCouponEntity,
  MemberEntity,
  RedemptionEntity,
  type CouponTemplateRow,
  type MallItemRow,
  type MemberCouponRow,
  type RedemptionRow,
  type StaffRow,
} from '../db/entities';
import type { Clock } from './clock';
import type { CouponService } from './coupon.service';
import { newId, randomDigits } from './crypto';
import { lockMember } from './member-lock';
import type { PointsService } from './points.service';

export interface RedemptionView {
  redemption: RedemptionRow;
  coupons: MemberCouponRow[];
}

/**
 * The points mall: a redemption debits points (FIFO lots), takes stock and issues the coupon or a
 * pickup code in one transaction, never overselling and never past a per-member limit; an
 * unfulfilled pickup can be cancelled, which gives points (with their original expiry) and stock back.
 */
export class MallService {
  constructor(
    private readonly db: Db,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly points: PointsService,
    private readonly coupons: CouponService,
  ) {}

  /** Items a member can browse now: active and not past their sale window. */
  async listItems(): Promise<{ items: MallItemRow[]; templates: Map<string, CouponTemplateRow> }> {
    const now = this.clock.now();
    const items = (await this.db.manager.find(MallItemEntity, { where: { active: 1 }, order: { pointsCost: 'ASC', id: 'ASC' } })).filter(
      (i) => !i.saleTo || i.saleTo > now,
    );
    return { items, templates: await this.templatesFor(items) };
  }

  async item(id: string): Promise<{ item: MallItemRow; template: CouponTemplateRow | null }> {
    const item = await this.db.manager.findOneBy(MallItemEntity, { id, active: 1 });
    if (!item) throw new DomainError('NOT_FOUND', 'no such item');
    return { item, template: (await this.templatesFor([item])).get(item.couponTemplateCode ?? '') ?? null };
  }

  private async templatesFor(items: MallItemRow[]): Promise<Map<string, CouponTemplateRow>> {
    const codes = [...new Set(items.map((i) => i.couponTemplateCode).filter((c): c is string => Boolean(c)))];
    const found = await this.db.transaction(async (em) => Promise.all(codes.map((c) => this.coupons.template(em, c).catch(() => null))));
    return new Map(found.filter((t): t is CouponTemplateRow => t !== null).map((t) => [t.code, t]));
  }

  async redeem(memberId: string, itemId: string, quantity: number): Promise<RedemptionView> {
    if (quantity > this.loyalty.mall.maxQuantityPerRedemption) {
      throw new DomainError('VALIDATION_FAILED', `at most ${this.loyalty.mall.maxQuantityPerRedemption} per redemption`, {
        issues: [{ in: 'body', path: ['quantity'], message: `at most ${this.loyalty.mall.maxQuantityPerRedemption}` }],
      });
    }
    return this.db.transaction(async (em) => {
      const member = await lockMember(this.db, em, memberId);
      const item = await em.findOneBy(MallItemEntity, { id: itemId, active: 1 });
      if (!item) throw new DomainError('NOT_FOUND', 'no such item');
      const now = this.clock.now();
      if ((item.saleFrom && now < item.saleFrom) || (item.saleTo && now >= item.saleTo)) throw new DomainError('NOT_ELIGIBLE', 'this item is not on sale now');
      if (item.minTier && !tierAtLeast(this.loyalty.tiers, member.tier, item.minTier)) {
        throw new DomainError('TIER_REQUIRED', `needs tier ${item.minTier}`, { minTier: item.minTier });
      }
      if (item.perMemberLimit !== null) {
        const held = await em
          .createQueryBuilder(RedemptionEntity, 'r')
          .select('COALESCE(SUM(r.quantity), 0)', 'n')
          .where("r.memberId = :memberId AND r.itemId = :itemId AND r.status <> 'cancelled'", { memberId, itemId })
          .getRawOne<{ n: number | string }>();
        if (Number(held?.n ?? 0) + quantity > item.perMemberLimit) {
          throw new DomainError('LIMIT_REACHED', `at most ${item.perMemberLimit} per member`, { perMemberLimit: item.perMemberLimit });
        }
      }
      const id = newId();
      const cost = item.pointsCost * quantity;
      await this.points.debit({ memberId, amount: cost, reason: 'redeem', sourceKey: `redemption:${id}` });
      const taken = affectedRows(
        await em
          .createQueryBuilder()
          .update(MallItemEntity)
          .set({ stock: () => 'stock - :quantity' })
          .where('id = :id AND stock >= :quantity', { id: itemId, quantity })
          .execute(),
      );
      if (taken !== 1) throw new DomainError('OUT_OF_STOCK', 'sold out');
      const redemption: RedemptionRow = {
        id,
        memberId,
        itemId,
        kind: item.kind,
        title: item.title,
        quantity,
        pointsSpent: cost,
        status: item.kind === 'coupon' ? 'issued' : 'awaiting_pickup',
        pickupCode: null,
        couponIds: null,
        fulfilledStoreId: null,
        fulfilledBy: null,
        fulfilledAt: null,
        cancelledAt: null,
        createdAt: now,
      };
      const coupons: MemberCouponRow[] = [];
      if (item.kind === 'coupon') {
        for (let n = 0; n < quantity; n++) {
          coupons.push((await this.coupons.issue(memberId, item.couponTemplateCode!, `redemption:${id}:${n}`)).coupon);
        }
        redemption.couponIds = coupons.map((c) => c.id).join(',');
        await em.insert(RedemptionEntity, redemption);
      } else {
        await this.insertWithPickupCode(redemption);
      }
      return { redemption, coupons };
    });
  }

  private async insertWithPickupCode(redemption: RedemptionRow): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      redemption.pickupCode = randomDigits(10);
      try {
        await this.db.manager.insert(RedemptionEntity, redemption);
        return;
      } catch (e) {
        if (!isDuplicateKey(e) || attempt >= 4) throw e;
      }
    }
  }

  async ofMember(memberId: string): Promise<RedemptionView[]> {
    const rows = await this.db.manager.find(RedemptionEntity, { where: { memberId }, order: { id: 'DESC' }, take: 100 });
    return Promise.all(rows.map((r) => this.view(r)));
  }

  /** A member's own redemption; another member's does not exist for them. */
  async mine(memberId: string, id: string): Promise<RedemptionRow> {
    const r = await this.db.manager.findOneBy(RedemptionEntity, { id, memberId });
    if (!r) throw new DomainError('NOT_FOUND', 'no such redemption');
    return r;
  }

  async view(r: RedemptionRow): Promise<RedemptionView> {
    const ids = r.couponIds ? r.couponIds.split(',') : [];
    const coupons = ids.length ? await this.db.manager.findBy(MemberCouponEntity, ids.map((id) => ({ id }))) : [];
    return { redemption: r, coupons };
  }

  /** Cancels an unfulfilled pickup: status, stock and points go back, exactly once. */
  async cancel(redemption: RedemptionRow): Promise<RedemptionRow> {
    return this.db.transaction(async (em) => {
      await lockMember(this.db, em, redemption.memberId);
      const now = this.clock.now();
      const changed = affectedRows(
        await em
          .createQueryBuilder()
          .update(RedemptionEntity)
          .set({ status: 'cancelled', cancelledAt: now })
          .where("id = :id AND status = 'awaiting_pickup'", { id: redemption.id })
          .execute(),
      );
      const current = await em.findOneByOrFail(RedemptionEntity, { id: redemption.id });
      if (changed !== 1) {
        if (current.status === 'cancelled') return current;
        throw new DomainError('NOT_ELIGIBLE', current.status === 'fulfilled' ? 'already picked up' : 'only unfulfilled pickups can be cancelled');
      }
      await em
        .createQueryBuilder()
        .update(MallItemEntity)
        .set({ stock: () => 'stock + :quantity' })
        .where('id = :id', { id: current.itemId, quantity: current.quantity })
        .execute();
      await this.points.returnSpent(current.memberId, `redemption:${current.id}`, 0, current.pointsSpent, `redemption:${current.id}:cancel`, 'redeem_cancel');
      return current;
    });
  }

  async byPickupCode(pickupCode: string): Promise<RedemptionRow> {
    const r = await this.db.manager.findOneBy(RedemptionEntity, { pickupCode });
    if (!r) throw new DomainError('NOT_FOUND', 'no such pickup code');
    return r;
  }

  /** A manager hands the goods over: awaiting_pickup → fulfilled, recorded with store and staff; a repeat changes nothing. */
  async fulfil(staff: StaffRow, pickupCode: string): Promise<RedemptionRow> {
    const r = await this.byPickupCode(pickupCode);
    const changed = affectedRows(
      await this.db.manager
        .createQueryBuilder()
        .update(RedemptionEntity)
        .set({ status: 'fulfilled', fulfilledAt: this.clock.now(), fulfilledStoreId: staff.storeId, fulfilledBy: staff.id })
        .where("id = :id AND status = 'awaiting_pickup'", { id: r.id })
        .execute(),
    );
    const current = await this.db.manager.findOneByOrFail(RedemptionEntity, { id: r.id });
    if (changed !== 1 && current.status !== 'fulfilled') throw new DomainError('NOT_ELIGIBLE', `this pickup is ${current.status}`);
    return current;
  }

  async memberNickname(memberId: string): Promise<string> {
    return (await this.db.manager.findOneBy(MemberEntity, { id: memberId }))?.nickname ?? '';
  }

}

import { businessDate, DomainError, tierAtLeast, type LoyaltyConfig } from '@member/shared';
import { isDuplicateKey, type Db } from '../db/db';
import type { CouponTemplateRow, MallItemRow, MemberCouponRow, RedemptionRow, MemberRow } from '../db/entities';
import type { Repositories } from '../db/repositories';
import type { Clock } from '../lib/clock';
import { newId, randomDigits } from '../lib/ids';
import type { CouponService } from './coupon.service';
import type { PointsService } from './points.service';

export interface RedemptionView {
  redemption: RedemptionRow;
  coupons: MemberCouponRow[];
}

export interface Pickup {
  redemption: RedemptionRow;
  memberNickname: string;
}

/**
 * The points mall: a redemption debits points (FIFO lots), takes stock and issues the coupon or a
 * pickup code in one transaction, never overselling and never past a per-member limit; an
 * unfulfilled pickup can be cancelled, which gives points (with their original expiry) and stock back.
 */
/** Told of every new redemption inside its transaction (share-to-earn counts a friend's redemption). */
export type RedemptionListener = (member: MemberRow, redemptionId: string) => Promise<void>;

export class MallService {
  private readonly redemptionListeners: RedemptionListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly repos: Pick<Repositories, 'mall' | 'members' | 'reportCounters'>,
    private readonly points: PointsService,
    private readonly coupons: CouponService,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
  ) {}

  onRedeemed(listener: RedemptionListener): void {
    this.redemptionListeners.push(listener);
  }

  /** Items a member can browse now (active, not past their sale window), with their coupon templates. */
  async listItems(): Promise<{ items: MallItemRow[]; templates: Map<string, CouponTemplateRow> }> {
    const now = this.clock.now();
    const items = (await this.repos.mall.activeItems()).filter((i) => !i.saleTo || i.saleTo > now);
    return { items, templates: await this.coupons.templatesByCodes(items.flatMap((i) => (i.couponTemplateCode ? [i.couponTemplateCode] : []))) };
  }

  async item(id: string): Promise<{ item: MallItemRow; template: CouponTemplateRow | null }> {
    const item = await this.repos.mall.activeItem(id);
    if (!item) throw new DomainError('NOT_FOUND', 'no such item');
    const templates = await this.coupons.templatesByCodes(item.couponTemplateCode ? [item.couponTemplateCode] : []);
    return { item, template: templates.get(item.couponTemplateCode ?? '') ?? null };
  }

  async redeem(memberId: string, itemId: string, quantity: number): Promise<RedemptionView & { pointsBalance: number }> {
    if (quantity > this.loyalty.mall.maxQuantityPerRedemption) {
      throw new DomainError('VALIDATION_FAILED', `at most ${this.loyalty.mall.maxQuantityPerRedemption} per redemption`, {
        issues: [{ in: 'body', path: ['quantity'], message: `at most ${this.loyalty.mall.maxQuantityPerRedemption}` }],
      });
    }
    return this.db.transaction(async () => {
      const locked = await this.points.lock(memberId, { withLots: true });
      const member = locked.member;
      if (member.status !== 'active') throw new DomainError(member.status === 'erased' ? 'UNAUTHENTICATED' : 'NOT_FOUND', 'not a registered member');
      const item = await this.repos.mall.itemForRedemption(itemId, memberId);
      if (!item) throw new DomainError('NOT_FOUND', 'no such item');
      const now = this.clock.now();
      if ((item.saleFrom && now < item.saleFrom) || (item.saleTo && now >= item.saleTo)) throw new DomainError('NOT_ELIGIBLE', 'this item is not on sale now');
      if (item.minTier && !tierAtLeast(this.loyalty.tiers, member.tier, item.minTier)) {
        throw new DomainError('TIER_REQUIRED', `needs tier ${item.minTier}`, { minTier: item.minTier });
      }
      if (item.perMemberLimit !== null && item.heldByMember + quantity > item.perMemberLimit) {
        throw new DomainError('LIMIT_REACHED', `at most ${item.perMemberLimit} per member`, { perMemberLimit: item.perMemberLimit });
      }
      const cost = item.pointsCost * quantity;
      if (member.pointsBalance < cost) throw new DomainError('POINTS_INSUFFICIENT', 'not enough points', { balance: member.pointsBalance, required: cost });
      if (!(await this.repos.mall.takeStock(itemId, quantity))) throw new DomainError('OUT_OF_STOCK', 'sold out');
      const id = newId();
      await this.points.post(locked, { debits: [{ amount: cost, reason: 'redeem', sourceKey: `redemption:${id}` }] });
      const coupons =
        item.kind === 'coupon' && item.couponTemplateCode
          ? (
              await this.coupons.issue(
                member,
                item.couponTemplateCode,
                Array.from({ length: quantity }, (_, n) => `redemption:${id}:${n}`),
              )
            ).coupons
          : [];
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
        couponIds: coupons.length ? coupons.map((c) => c.id).join(',') : null,
        fulfilledStoreId: null,
        fulfilledBy: null,
        fulfilledAt: null,
        cancelledAt: null,
        createdAt: now,
      };
      if (item.kind === 'coupon') await this.repos.mall.insertRedemption(redemption);
      else await this.insertWithPickupCode(redemption);
      for (const l of this.redemptionListeners) await l(member, id);
      return { redemption, coupons, pointsBalance: member.pointsBalance };
    });
  }

  /** A new 10-digit pickup code; on the rare collision (a unique key) another is drawn. */
  private async insertWithPickupCode(redemption: RedemptionRow): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      redemption.pickupCode = randomDigits(10);
      try {
        await this.repos.mall.insertRedemption(redemption);
        return;
      } catch (e) {
        if (!isDuplicateKey(e) || attempt >= 4) throw e;
      }
    }
  }

  /** A member's redemptions, newest first, with the coupons they issued. */
  async ofMember(memberId: string): Promise<RedemptionView[]> {
    const rows = await this.repos.mall.ofMember(memberId, 100);
    const ids = rows.flatMap((r) => (r.couponIds ? r.couponIds.split(',') : []));
    const byId = new Map((await this.coupons.byIds(ids)).map((c) => [c.id, c]));
    return rows.map((r) => ({ redemption: r, coupons: (r.couponIds ? r.couponIds.split(',') : []).flatMap((id) => byId.get(id) ?? []) }));
  }

  /** A member cancels their own unfulfilled pickup; another member's does not exist for them. */
  async cancelMine(memberId: string, id: string): Promise<RedemptionRow> {
    const mine = await this.repos.mall.redemptionOfMember(memberId, id);
    if (!mine) throw new DomainError('NOT_FOUND', 'no such redemption');
    if (mine.kind === 'coupon') throw new DomainError('NOT_ELIGIBLE', 'coupon redemptions cannot be cancelled');
    return this.cancel(mine);
  }

  /** A manager cancels a pickup at the counter. */
  async cancelPickup(pickupCode: string): Promise<Pickup> {
    const r = await this.cancel(await this.byPickupCode(pickupCode));
    return { redemption: r, memberNickname: await this.repos.members.nicknameOf(r.memberId) };
  }

  /** Cancels an unfulfilled pickup: status, stock and points go back, exactly once. */
  private cancel(redemption: RedemptionRow): Promise<RedemptionRow> {
    return this.db.transaction(async () => {
      const locked = await this.points.lock(redemption.memberId, { withLots: false });
      const now = this.clock.now();
      if (!(await this.repos.mall.markCancelled(redemption.id, now))) {
        const current = (await this.repos.mall.redemptionById(redemption.id)) ?? redemption;
        if (current.status === 'cancelled') return current;
        throw new DomainError('NOT_ELIGIBLE', current.status === 'fulfilled' ? 'already picked up' : 'only unfulfilled pickups can be cancelled');
      }
      await this.repos.mall.moveStock(redemption.itemId, redemption.quantity);
      const day = businessDate(redemption.createdAt, this.loyalty.businessTimeZone);
      this.repos.reportCounters.add([
        { metric: 'redemptions_cancelled', day, n: 1 },
        { metric: 'redemption_cancelled_points', day, n: redemption.pointsSpent },
      ]);
      const credits = await this.points.giveBackCredits(
        redemption.memberId,
        `redemption:${redemption.id}`,
        0,
        redemption.pointsSpent,
        `redemption:${redemption.id}:cancel`,
        'redeem_cancel',
      );
      if (credits.length) await this.points.post(locked, { credits });
      return { ...redemption, status: 'cancelled', cancelledAt: now };
    });
  }

  private async byPickupCode(pickupCode: string): Promise<RedemptionRow> {
    const r = await this.repos.mall.byPickupCode(pickupCode);
    if (!r) throw new DomainError('NOT_FOUND', 'no such pickup code');
    return r;
  }

  /** A pickup as a manager sees it at the counter. */
  async pickup(pickupCode: string): Promise<Pickup> {
    const r = await this.byPickupCode(pickupCode);
    return { redemption: r, memberNickname: await this.repos.members.nicknameOf(r.memberId) };
  }

  /** A manager hands the goods over: awaiting_pickup → fulfilled, recorded with store and staff; a repeat changes nothing. */
  async fulfil(till: { storeId: string; staffId: string }, pickupCode: string): Promise<Pickup> {
    const r = await this.byPickupCode(pickupCode);
    await this.repos.mall.markFulfilled(r.id, till.storeId, till.staffId, this.clock.now());
    const current = (await this.repos.mall.redemptionById(r.id)) ?? r;
    if (current.status !== 'fulfilled') throw new DomainError('NOT_ELIGIBLE', `this pickup is ${current.status}`);
    return { redemption: current, memberNickname: await this.repos.members.nicknameOf(r.memberId) };
  }
}

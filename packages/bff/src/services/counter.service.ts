import {
  DomainError,
  parseMemberCode,
  pointsMultiplier,
  priceOrder,
  refundShare,
  tierByCode,
  verifyOtp,
  type CounterOrderBody,
  type CounterQuoteBody,
  type LoyaltyConfig,
  type Quote,
  type RefundBody,
} from '@member/shared';
import type { EntityManager } from 'typeorm';
import { affectedRows, isDuplicateKey, type Db } from '../db/db';
import { MemberEntity, OrderEntity, RefundEntity, UsedCodeEntity, type MemberRow, type OrderRow, type RefundRow, type StaffRow } from '../db/entities';
import type { Clock } from './clock';
import { CouponService, termsOf } from './coupon.service';
import { newId } from './crypto';
import type { GrowthService } from './growth.service';
import { lockMember } from './member-lock';
import type { MemberService } from './member.service';
import type { PointsService } from './points.service';

export interface OrderResult {
  order: OrderRow;
  member: MemberRow;
  upgradedTo: string | null;
  replayed: boolean;
}

export interface RefundResult {
  refund: RefundRow;
  order: OrderRow;
  member: MemberRow;
  replayed: boolean;
}

const lockRefOf = (staff: StaffRow) => `store:${staff.storeId}`;

/**
 * The shop counter: identify a member by the dynamic code (server clock), price with the shared
 * rule, record the order and everything it moves in one transaction, and refund.
 */
export class CounterService {
  constructor(
    private readonly db: Db,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly members: MemberService,
    private readonly points: PointsService,
    private readonly growth: GrowthService,
    private readonly coupons: CouponService,
  ) {}

  /** The member behind a code, if the code is right for the current or previous window. */
  async identify(code: string): Promise<{ member: MemberRow; step: number }> {
    const parsed = parseMemberCode(code);
    if (!parsed) throw new DomainError('CODE_INVALID', 'not a member code');
    const member = await this.db.manager.findOneBy(MemberEntity, { codeRef: parsed.ref, status: 'active' });
    if (!member) throw new DomainError('CODE_INVALID', 'not a member code');
    const check = verifyOtp(this.members.codeSecretOf(member), parsed.otp, this.clock.now().getTime(), this.loyalty.dynamicCode);
    if (check.status === 'expired') throw new DomainError('CODE_EXPIRED', 'this code has expired: ask the member to refresh it');
    if (check.status === 'invalid') throw new DomainError('CODE_INVALID', 'not a member code');
    return { member, step: check.step };
  }

  async lookup(staff: StaffRow, code: string) {
    const { member } = await this.identify(code);
    await this.points.expireMember(member.id);
    const fresh = await this.db.manager.findOneByOrFail(MemberEntity, { id: member.id });
    return { member: fresh, coupons: await this.coupons.usableAtCounter(member.id, fresh.tier, lockRefOf(staff)) };
  }

  private checkAmount(amountCents: number): void {
    if (amountCents > this.loyalty.counter.maxAmountCents) {
      throw new DomainError('VALIDATION_FAILED', 'amount is larger than a counter accepts', {
        issues: [{ in: 'body', path: ['amountCents'], message: `at most ${this.loyalty.counter.maxAmountCents} cents` }],
      });
    }
  }

  private async price(em: EntityManager, member: MemberRow, body: CounterQuoteBody): Promise<Quote> {
    const now = this.clock.now();
    const tier = tierByCode(this.loyalty.tiers, member.tier);
    const coupon = body.couponId ? await this.coupons.ofMember(em, member.id, body.couponId) : null;
    if (coupon && coupon.status !== 'available' && coupon.status !== 'locked') {
      throw new DomainError('COUPON_NOT_APPLICABLE', `coupon is ${coupon.status}`, { reason: coupon.status });
    }
    return priceOrder(
      {
        grossCents: body.amountCents,
        tierDiscountPercent: tier.discountPercent,
        tierCode: tier.code,
        coupon: coupon ? termsOf(coupon) : null,
        pointsToUse: body.pointsToUse ?? 0,
        pointsBalance: member.pointsBalance,
        multiplier: pointsMultiplier(this.loyalty.campaigns, tier.code, now, this.loyalty.businessTimeZone),
        now,
      },
      this.loyalty,
    );
  }

  /** Prices without recording; a chosen coupon is reserved for this store while the quote is open. */
  async quote(staff: StaffRow, body: CounterQuoteBody): Promise<Quote> {
    this.checkAmount(body.amountCents);
    const { member } = await this.identify(body.code);
    await this.points.expireMember(member.id);
    const fresh = await this.db.manager.findOneByOrFail(MemberEntity, { id: member.id });
    const quote = await this.price(this.db.manager, fresh, body);
    if (body.couponId) await this.coupons.lock(member.id, body.couponId, lockRefOf(staff));
    return quote;
  }

  private async replay(staff: StaffRow, body: CounterOrderBody): Promise<OrderResult | null> {
    const prior = await this.db.manager.findOneBy(OrderEntity, { storeId: staff.storeId, receiptNo: body.receiptNo });
    if (!prior) return null;
    const same = prior.grossCents === body.amountCents && prior.couponId === (body.couponId ?? null) && prior.pointsUsed === (body.pointsToUse ?? 0);
    if (!same) throw new DomainError('IDEMPOTENCY_MISMATCH', 'this receipt number was already used for a different order');
    const member = await this.db.manager.findOneByOrFail(MemberEntity, { id: prior.memberId });
    return { order: prior, member, upgradedTo: null, replayed: true };
  }

  /**
   * Records a counter order. Re-prices on the server, then in one transaction: records the order
   * (unique per store + receipt number), burns the code window (unique per member + window), uses
   * the coupon, spends points (FIFO), credits points and growth on the cash paid, upgrades the tier.
   * The same receipt number in the same store replays the first result.
   */
  async order(staff: StaffRow, body: CounterOrderBody): Promise<OrderResult> {
    this.checkAmount(body.amountCents);
    const earlier = await this.replay(staff, body);
    if (earlier) return earlier;
    const { member: identified, step } = await this.identify(body.code);
    await this.points.expireMember(identified.id);
    try {
      return await this.db.transaction(async (em) => {
        const member = await lockMember(this.db, em, identified.id);
        // Checked before pricing: a retry racing the first submission must replay it, not be refused
        // because the first one already used the coupon or the points. The unique keys on orders and
        // used_codes stay the last word (see the catch below).
        const racing = await em.findOneBy(OrderEntity, { storeId: staff.storeId, receiptNo: body.receiptNo });
        if (racing) return (await this.replay(staff, body))!;
        if (await em.findOneBy(UsedCodeEntity, { memberId: member.id, step })) {
          throw new DomainError('CODE_ALREADY_USED', 'this code already paid for an order: ask the member to refresh it');
        }
        const q = await this.price(em, member, body);
        const now = this.clock.now();
        const order: OrderRow = {
          id: newId(),
          storeId: staff.storeId,
          staffId: staff.id,
          memberId: member.id,
          receiptNo: body.receiptNo,
          tierCode: member.tier,
          grossCents: q.grossCents,
          tierDiscountCents: q.tierDiscountCents,
          couponId: body.couponId ?? null,
          couponDiscountCents: q.couponDiscountCents,
          pointsUsed: q.pointsUsed,
          pointsDiscountCents: q.pointsDiscountCents,
          dueCents: q.dueCents,
          pointsEarned: q.pointsToEarn,
          growthEarned: q.growthToEarn,
          multiplierPct: Math.round(q.multiplier * 100),
          codeStep: step,
          refundedCents: 0,
          pointsReversed: 0,
          growthReversed: 0,
          pointsReturned: 0,
          createdAt: now,
        };
        await em.insert(OrderEntity, order);
        await em.insert(UsedCodeEntity, { id: newId(), memberId: member.id, step, orderId: order.id, createdAt: now });
        if (order.couponId) await this.coupons.use(em, member.id, order.couponId, order.id, lockRefOf(staff));
        const after = { ...member };
        if (q.pointsUsed > 0) {
          const spent = await this.points.debit({ memberId: member.id, amount: q.pointsUsed, reason: 'spend', sourceKey: `order:${order.id}:spend`, fresh: true });
          after.pointsBalance = spent.entry.balanceAfter;
        }
        if (q.pointsToEarn > 0) {
          const earned = await this.points.credit({ memberId: member.id, amount: q.pointsToEarn, reason: 'order', sourceKey: `order:${order.id}`, fresh: true });
          after.pointsBalance = earned.entry.balanceAfter;
        }
        let upgradedTo: string | null = null;
        if (q.growthToEarn > 0) {
          const g = await this.growth.add({ memberId: member.id, delta: q.growthToEarn, reason: 'order', sourceKey: `order:${order.id}`, fresh: true });
          after.growth = g.entry.valueAfter;
          upgradedTo = g.upgrade?.to ?? null;
          if (upgradedTo) after.tier = upgradedTo;
        }
        return { order, member: after, upgradedTo, replayed: false };
      });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const replayed = await this.replay(staff, body);
      if (replayed) return replayed;
      throw new DomainError('CODE_ALREADY_USED', 'this code already paid for an order: ask the member to refresh it');
    }
  }

  /** An order of the staff member's own store; another store's order does not exist for them. */
  async orderOfStore(staff: StaffRow, orderId: string): Promise<OrderRow> {
    const order = await this.db.manager.findOneBy(OrderEntity, { id: orderId, storeId: staff.storeId });
    if (!order) throw new DomainError('NOT_FOUND', 'no such order in this store');
    return order;
  }

  async orderByReceipt(staff: StaffRow, receiptNo: string): Promise<OrderRow> {
    const order = await this.db.manager.findOneBy(OrderEntity, { storeId: staff.storeId, receiptNo });
    if (!order) throw new DomainError('NOT_FOUND', 'no such order in this store');
    return order;
  }

  /**
   * Refunds all or part of an order, once per refund number in the store. Earned points and growth
   * are taken back and spent points given back in proportion (cumulatively, so partial refunds add
   * up to exactly a full one); the coupon comes back on a full refund if it is still valid. The
   * balance may go negative. The tier is left alone until the next review.
   */
  async refund(staff: StaffRow, orderId: string, body: RefundBody): Promise<RefundResult> {
    const order0 = await this.orderOfStore(staff, orderId);
    const replay = async (): Promise<RefundResult | null> => {
      const prior = await this.db.manager.findOneBy(RefundEntity, { storeId: staff.storeId, refundNo: body.refundNo });
      if (!prior) return null;
      if (prior.orderId !== orderId || prior.amountCents !== body.amountCents) {
        throw new DomainError('IDEMPOTENCY_MISMATCH', 'this refund number was already used for a different refund');
      }
      const order = await this.db.manager.findOneByOrFail(OrderEntity, { id: orderId });
      return { refund: prior, order, member: await this.db.manager.findOneByOrFail(MemberEntity, { id: order.memberId }), replayed: true };
    };
    const earlier = await replay();
    if (earlier) return earlier;
    try {
      return await this.db.transaction(async (em) => {
        await lockMember(this.db, em, order0.memberId);
        if (await em.findOneBy(RefundEntity, { storeId: staff.storeId, refundNo: body.refundNo })) return (await replay())!;
        const order = await em.findOneByOrFail(OrderEntity, { id: orderId });
        const freeOrder = order.dueCents === 0;
        if (freeOrder ? body.amountCents !== 0 || (await em.countBy(RefundEntity, { orderId })) > 0 : body.amountCents <= 0) {
          throw new DomainError(freeOrder ? 'REFUND_EXCEEDS_ORDER' : 'VALIDATION_FAILED', freeOrder ? 'nothing left to refund' : 'refund amount must be positive');
        }
        const grew = affectedRows(
          await em
            .createQueryBuilder()
            .update(OrderEntity)
            .set({ refundedCents: () => 'refunded_cents + :amount' })
            .where('id = :id AND refunded_cents + :amount <= due_cents', { id: orderId, amount: body.amountCents })
            .execute(),
        );
        if (grew !== 1) {
          throw new DomainError('REFUND_EXCEEDS_ORDER', 'refund is more than what is left of the order', { refundableCents: order.dueCents - order.refundedCents });
        }
        const refundedAfter = order.refundedCents + body.amountCents;
        const full = refundedAfter === order.dueCents;
        const reverse = refundShare(order.pointsEarned, refundedAfter, order.dueCents) - order.pointsReversed;
        const ungrow = refundShare(order.growthEarned, refundedAfter, order.dueCents) - order.growthReversed;
        const giveBack = refundShare(order.pointsUsed, refundedAfter, order.dueCents) - order.pointsReturned;
        const refundId = newId();
        if (reverse > 0) await this.points.reverse({ memberId: order.memberId, amount: reverse, reason: 'refund', sourceKey: `refund:${refundId}` });
        if (ungrow > 0) await this.growth.add({ memberId: order.memberId, delta: -ungrow, reason: 'refund', sourceKey: `refund:${refundId}` });
        const returned = await this.points.returnSpent(order.memberId, `order:${order.id}:spend`, order.pointsReturned, giveBack, `refund:${refundId}:return`);
        await em
          .createQueryBuilder()
          .update(OrderEntity)
          .set({
            pointsReversed: () => 'points_reversed + :reverse',
            growthReversed: () => 'growth_reversed + :ungrow',
            pointsReturned: () => 'points_returned + :returned',
          })
          .where('id = :id', { id: orderId, reverse, ungrow, returned })
          .execute();
        const couponRestored = full && order.couponId ? await this.coupons.restore(em, order.couponId, order.id) : false;
        const refund: RefundRow = {
          id: refundId,
          orderId,
          storeId: staff.storeId,
          staffId: staff.id,
          refundNo: body.refundNo,
          amountCents: body.amountCents,
          pointsReversed: reverse,
          growthReversed: ungrow,
          pointsReturned: returned,
          couponRestored: couponRestored ? 1 : 0,
          createdAt: this.clock.now(),
        };
        await em.insert(RefundEntity, refund);
        return {
          refund,
          order: await em.findOneByOrFail(OrderEntity, { id: orderId }),
          member: await em.findOneByOrFail(MemberEntity, { id: order.memberId }),
          replayed: false,
        };
      });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const replayed = await replay();
      if (replayed) return replayed;
      throw e;
    }
  }

  async ordersOfMember(memberId: string): Promise<OrderRow[]> {
    return this.db.manager.find(OrderEntity, { where: { memberId }, order: { id: 'DESC' }, take: 100 });
  }
}

import {
  DomainError,
  parseMemberCode,
  pointsMultiplier,
  priceOrder,
  refundCouponOutcome,
  refundEffect,
  refundNeedsManager,
  tierByCode,
  verifyMemberCode,
  timeStep,
  type CounterOrderBody,
  type CounterQuoteBody,
  type CampaignRule,
  type LoyaltyConfig,
  type ParsedMemberCode,
  type Quote,
  type RefundApproval,
  type RefundBody,
  type RefundCouponOutcome,
  type StaffRole,
} from '@member/shared';
import { isDuplicateKey, type Db } from '../db/db';
import type { MemberCouponRow, MemberRow, OrderRow, RefundRow } from '../db/entities';
import type { Repositories } from '../db/repositories';
import type { LockedMember, MemberAccount } from '../db/repositories/member.repository';
import type { Clock } from '../lib/clock';
import type { FieldCrypto } from '../lib/crypto';
import type { RateLimit } from '../lib/rate-limit';
import { newId } from '../lib/ids';
import { termsOf, type CouponService } from './coupon.service';
import type { PointsService } from './points.service';

/** Who is at the till: the store and staff member from the signed token. */
export interface Till {
  staffId: string;
  storeId: string;
}

export interface OrderResult {
  order: OrderRow;
  /** The account columns of the member as posted (a replay reads the whole row). */
  member: MemberAccount;
  upgradedTo: string | null;
  replayed: boolean;
}

export interface RefundResult {
  refund: RefundRow;
  order: OrderRow;
  member: MemberRow;
  couponOutcome: RefundCouponOutcome;
  replayed: boolean;
}

/** Proves that a manager of the till's store approved a refund: their staff id, or a 403 `{needs: 'manager'}`. */
export interface RefundApprover {
  approve(till: Till, approval: RefundApproval | undefined): Promise<string>;
}

/** Staff who approve refunds themselves by making them. */
const SELF_APPROVING: ReadonlySet<StaffRole> = new Set(['manager', 'admin']);

/** Told of every new counter order inside its transaction, with the member locked (first-order rewards hook in here). */
export type OrderListener = (member: MemberAccount, order: OrderRow) => Promise<void>;

/** Told of every new refund inside its transaction, with the member locked with their lots, the order as refunded and the refund. */
export type RefundListener = (locked: LockedMember, order: OrderRow, completes: boolean, refund: RefundRow) => Promise<void>;

const lockRefOf = (till: Till) => `store:${till.storeId}`;

/**
 * The refusal of a refund that needs a manager's approval and has none, the same whatever was
 * wrong (no approval, a wrong password, an unknown user, a cashier, a manager of another store).
 */
export const needsManager = (): DomainError => new DomainError('FORBIDDEN', 'a manager of this store must approve this refund', { needs: 'manager' });

/**
 * The shop counter: identify a member by the dynamic code (server clock), price with the shared
 * rule, record the order and everything it moves in one transaction, and refund.
 *
 * Replays are found by unique keys, not probes: an order is inserted and a repeated receipt number
 * fails on `UNIQUE(store_id, receipt_no)`; only then (or when a retry is refused because the first
 * submission already spent the coupon or the points) is the earlier order looked up and compared.
 */
export class CounterService {
  private readonly orderListeners: OrderListener[] = [];
  private readonly refundListeners: RefundListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly repos: Pick<Repositories, 'members' | 'orders' | 'audit'>,
    private readonly points: PointsService,
    private readonly coupons: CouponService,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly crypto: FieldCrypto,
    private readonly codeGuards: { perStaff: RateLimit; perStore: RateLimit },
    /** The points campaigns earning applies (cached in process: no statement per order). */
    private readonly campaigns: { rules(): Promise<readonly CampaignRule[]> },
  ) {}

  onOrder(listener: OrderListener): void {
    this.orderListeners.push(listener);
  }

  onRefund(listener: RefundListener): void {
    this.refundListeners.push(listener);
  }

  /**
   * Runs a use case that takes a member code, throttling guesses: wrong codes are counted per staff
   * member and per store, and once either has used up its allowance every code from that till is
   * refused (429) for a while, right ones included, so the answers stop telling codes apart.
   */
  private async guarded<T>(till: Till, run: () => Promise<T>): Promise<T> {
    const keys = [
      [this.codeGuards.perStaff, `staff:${till.staffId}`],
      [this.codeGuards.perStore, `store:${till.storeId}`],
    ] as const;
    for (const [limit, key] of keys) await limit.refuseWhileExhausted(key);
    try {
      return await run();
    } catch (e) {
      if (isWrongCode(e)) for (const [limit, key] of keys) await limit.consume(key);
      throw e;
    }
  }

  /**
   * Checks the code's digits, points flag included, against the member's secret. `onGenuine` is
   * told the member when the code really was theirs (current window, or an older one that has
   * expired): only then may an order retry be replayed to this caller. A guessed code (the right
   * reference, wrong digits) or a genuine one whose flag digit was changed proves nothing, and must
   * not reveal anything.
   */
  private checkCode(
    member: Pick<MemberRow, 'id' | 'codeSecretEnc'>,
    code: ParsedMemberCode,
    onGenuine: (memberId: string) => void = () => undefined,
  ): { step: number } {
    const check = verifyMemberCode(this.crypto.decrypt(member.codeSecretEnc), code, this.clock.now().getTime(), this.loyalty.dynamicCode);
    if (check.status === 'invalid') throw new DomainError('CODE_INVALID', 'not a member code');
    onGenuine(member.id);
    if (check.status === 'expired') throw new DomainError('CODE_EXPIRED', 'this code has expired: ask the member to refresh it');
    return { step: check.step };
  }

  private parse(code: string): ParsedMemberCode {
    const parsed = parseMemberCode(code);
    if (!parsed) throw new DomainError('CODE_INVALID', 'not a member code');
    return parsed;
  }

  /**
   * The member behind a code (current or previous window), read without locking; lapsed points
   * settled. `pointsAllowed` is the member's choice carried in the code, trusted once the MAC checks.
   */
  private async identify(code: string): Promise<{ member: MemberRow; pointsAllowed: boolean; codeUsed: boolean }> {
    const parsed = this.parse(code);
    // The code steps a valid code can have (this window and the accepted earlier ones) come with the member.
    const fromStep = timeStep(this.clock.now().getTime(), this.loyalty.dynamicCode.periodSeconds) - this.loyalty.dynamicCode.acceptPreviousWindows;
    const found = await this.repos.members.activeByCodeRefWithUsedSteps(parsed.ref, fromStep);
    if (!found) throw new DomainError('CODE_INVALID', 'not a member code');
    const { member } = found;
    const { step } = this.checkCode(member, parsed);
    const codeUsed = found.usedSteps.includes(step);
    if (member.nextExpiryAt && member.nextExpiryAt <= this.clock.now()) {
      await this.points.expireMember(member.id);
      return { member: (await this.repos.members.activeByCodeRef(parsed.ref)) ?? member, pointsAllowed: parsed.pointsAllowed, codeUsed };
    }
    return { member, pointsAllowed: parsed.pointsAllowed, codeUsed };
  }

  /**
   * The member, the coupons they can use here now, and whether this code already paid for an order
   * (`UNIQUE(orders.member_id, code_step)` would refuse another one), so the till says so before
   * the amount is keyed.
   */
  async lookup(till: Till, code: string): Promise<{ member: MemberRow; coupons: MemberCouponRow[]; pointsAllowed: boolean; codeUsed: boolean }> {
    const { member, pointsAllowed, codeUsed } = await this.guarded(till, () => this.identify(code));
    return { member, coupons: await this.coupons.usableAtCounter(member, lockRefOf(till)), pointsAllowed, codeUsed };
  }

  private checkAmount(amountCents: number): void {
    if (amountCents > this.loyalty.counter.maxAmountCents) {
      throw new DomainError('VALIDATION_FAILED', 'amount is larger than a counter accepts', {
        issues: [{ in: 'body', path: ['amountCents'], message: `at most ${this.loyalty.counter.maxAmountCents} cents` }],
      });
    }
  }

  private price(
    member: Pick<MemberRow, 'tier' | 'pointsBalance'>,
    pointsAllowed: boolean,
    coupon: MemberCouponRow | null,
    body: CounterQuoteBody,
    campaigns: readonly CampaignRule[],
  ): Quote {
    const now = this.clock.now();
    const tier = tierByCode(this.loyalty.tiers, member.tier);
    return priceOrder(
      {
        grossCents: body.amountCents,
        tierDiscountPercent: tier.discountPercent,
        tierCode: tier.code,
        coupon: coupon ? termsOf(coupon) : null,
        pointsToUse: body.pointsToUse ?? 0,
        pointsAllowed,
        pointsBalance: member.pointsBalance,
        multiplier: pointsMultiplier(campaigns, tier.code, now, this.loyalty.businessTimeZone),
        now,
      },
      this.loyalty,
    );
  }

  /** Prices without recording; a chosen coupon is reserved for this store while the quote is open. */
  async quote(till: Till, body: CounterQuoteBody): Promise<Quote> {
    this.checkAmount(body.amountCents);
    const { member, pointsAllowed } = await this.guarded(till, () => this.identify(body.code));
    const coupon = body.couponId ? await this.coupons.forPricing(member.id, body.couponId) : null;
    const quote = this.price(member, pointsAllowed, coupon, body, await this.campaigns.rules());
    if (body.couponId) await this.coupons.lock(member.id, body.couponId, lockRefOf(till));
    return quote;
  }

  /**
   * Records a counter order. In one transaction: locks the member found by the code, re-prices on
   * the server, records the order (unique per store + receipt number, and per member + code
   * window: a code pays once), uses the coupon, and posts the spend, the earned points and the
   * growth to the account in one go (upgrading the tier at once). Points are spent only when the
   * member's code carries the points flag; otherwise asking for any is NOT_ELIGIBLE.
   */
  order(till: Till, body: CounterOrderBody): Promise<OrderResult> {
    this.checkAmount(body.amountCents);
    return this.guarded(till, () => this.record(till, body));
  }

  private async record(till: Till, body: CounterOrderBody): Promise<OrderResult> {
    const code = this.parse(body.code);
    // The lots are read only for a spend, which needs the member's flag in the code (priceOrder refuses one without).
    const spends = code.pointsAllowed && (body.pointsToUse ?? 0) > 0;
    let memberId: string | null = null;
    // Read before the transaction (from the cache, mostly): no lock waits on it.
    const campaigns = await this.campaigns.rules();
    try {
      return await this.db.transaction(async () => {
        const locked = await this.repos.members.lockActiveByCodeRef(code.ref, spends);
        if (!locked) throw new DomainError('CODE_INVALID', 'not a member code');
        const { step } = this.checkCode(locked.member, code, (id) => (memberId = id));
        await this.points.settleExpiry(locked);
        const member = locked.member;
        const coupon = body.couponId ? await this.coupons.forPricing(member.id, body.couponId) : null;
        const q = this.price(member, code.pointsAllowed, coupon, body, campaigns);
        const now = this.clock.now();
        const order: OrderRow = {
          id: newId(),
          storeId: till.storeId,
          staffId: till.staffId,
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
        await this.repos.orders.insert(order);
        if (coupon) await this.coupons.use(member.id, coupon, order.id, lockRefOf(till));
        const posted = await this.points.post(locked, {
          debits: q.pointsUsed > 0 ? [{ amount: q.pointsUsed, reason: 'spend', sourceKey: `order:${order.id}:spend` }] : [],
          credits: q.pointsToEarn > 0 ? [{ amount: q.pointsToEarn, reason: 'order', sourceKey: `order:${order.id}` }] : [],
          growth: q.growthToEarn > 0 ? { delta: q.growthToEarn, reason: 'order', sourceKey: `order:${order.id}` } : undefined,
        });
        for (const l of this.orderListeners) await l(posted.member, order);
        return { order, member: posted.member, upgradedTo: posted.upgrade?.to ?? null, replayed: false };
      });
    } catch (e) {
      if (!isDuplicateKey(e) && !(e instanceof DomainError)) throw e;
      // The receipt number may have been used: by this very request (a retry, replayed) or by another.
      let replayed: OrderResult | null;
      try {
        replayed = await this.replayOrder(till, body, memberId);
      } catch (mismatch) {
        // A wrong code under a used receipt number is answered as a mismatch, and still counted as a guess.
        if (isWrongCode(e) && mismatch instanceof Error) mismatch.cause = e;
        throw mismatch;
      }
      if (replayed) return replayed;
      if (isDuplicateKey(e))
        throw new DomainError(
          'CODE_ALREADY_USED',
          `this code already paid for an order: the member's next code comes within ${this.loyalty.dynamicCode.periodSeconds} seconds`,
        );
      throw e;
    }
  }

  /**
   * The earlier order under this receipt number, if this request is the same (same member, same
   * figures): a retry. Anything else under a used receipt number is IDEMPOTENCY_MISMATCH and
   * reveals nothing of the first order.
   */
  private async replayOrder(till: Till, body: CounterOrderBody, memberId: string | null): Promise<OrderResult | null> {
    const prior = await this.repos.orders.byReceipt(till.storeId, body.receiptNo);
    if (!prior) return null;
    const same =
      prior.memberId === memberId &&
      prior.grossCents === body.amountCents &&
      prior.couponId === (body.couponId ?? null) &&
      prior.pointsUsed === (body.pointsToUse ?? 0);
    if (!same) throw new DomainError('IDEMPOTENCY_MISMATCH', 'this receipt number was already used for a different order');
    const member = await this.repos.members.byId(prior.memberId);
    if (!member) throw new DomainError('NOT_FOUND', 'member not found');
    return { order: prior, member, upgradedTo: null, replayed: true };
  }

  /** An order of the staff member's own store; another store's order does not exist for them. */
  async orderOfStore(till: Till, orderId: string): Promise<OrderRow> {
    const order = await this.repos.orders.ofStore(till.storeId, orderId);
    if (!order) throw new DomainError('NOT_FOUND', 'no such order in this store');
    return order;
  }

  async orderByReceipt(till: Till, receiptNo: string): Promise<OrderRow> {
    const order = await this.repos.orders.byReceipt(till.storeId, receiptNo);
    if (!order) throw new DomainError('NOT_FOUND', 'no such order in this store');
    return order;
  }

  /** An order of the store with its member and the coupon it used, for the till's refund screen. */
  async orderDetail(
    till: Till,
    ref: { id: string } | { receiptNo: string },
  ): Promise<{ order: OrderRow; member: MemberRow | null; coupon: MemberCouponRow | null }> {
    const order = 'id' in ref ? await this.orderOfStore(till, ref.id) : await this.orderByReceipt(till, ref.receiptNo);
    const [member, coupons] = await Promise.all([this.repos.members.byId(order.memberId), order.couponId ? this.coupons.byIds([order.couponId]) : []]);
    return { order, member, coupon: coupons.at(0) ?? null };
  }

  /**
   * Refunds all or part of an order, once per refund number in the store. Earned points and growth
   * are taken back and spent points given back in proportion (cumulatively, so partial refunds add
   * up to exactly a full one: the shared `refundEffect`); the coupon comes back on the refund that
   * completes the order if it is still valid. The balance may go negative. The tier is left alone
   * until the next review.
   *
   * A refund that takes the order's refunded total above `refunds.managerApprovalAboveCents`, and
   * the one that completes the order, needs a manager of the store: the caller, or one approving on
   * the till (`approver` checks `body.approval` outside the transaction: a password check is slow).
   * Who approved is recorded on the refund and in the audit log. Replaying a recorded refund (same
   * number, order and amount) moves nothing and needs no approval.
   */
  async refund(till: Till & { role: StaffRole }, orderId: string, body: RefundBody, approver: RefundApprover): Promise<RefundResult> {
    const first = await this.orderOfStore(till, orderId);
    const aboveCents = this.loyalty.refunds.managerApprovalAboveCents;
    const selfApproved = SELF_APPROVING.has(till.role) ? till.staffId : null;
    try {
      // More than is left is refused (422) under the lock whoever approves; a refund that needs no
      // approval now may need one there, after a concurrent refund: then it is refused below.
      const askApproval = !selfApproved && first.refundedCents + body.amountCents <= first.dueCents && refundNeedsManager(first, body.amountCents, aboveCents);
      const approvedBy = selfApproved ?? (askApproval ? await approver.approve(till, body.approval) : null);
      return await this.db.transaction(async () => {
        const locked = await this.points.lock(first.memberId, { withLots: true });
        // Read again under the member lock: refunds of one order are serialised by it.
        const order = await this.repos.orders.byId(orderId);
        if (!order) throw new DomainError('NOT_FOUND', 'no such order in this store');
        const freeOrder = order.dueCents === 0;
        if (freeOrder ? body.amountCents !== 0 || (await this.repos.orders.countRefunds(orderId)) > 0 : body.amountCents <= 0) {
          throw new DomainError(
            freeOrder ? 'REFUND_EXCEEDS_ORDER' : 'VALIDATION_FAILED',
            freeOrder ? 'nothing left to refund' : 'refund amount must be positive',
          );
        }
        if (!(await this.repos.orders.addRefunded(orderId, body.amountCents))) {
          throw new DomainError('REFUND_EXCEEDS_ORDER', 'refund is more than what is left of the order', {
            refundableCents: order.dueCents - order.refundedCents,
          });
        }
        const needsApproval = refundNeedsManager(order, body.amountCents, aboveCents);
        if (needsApproval && !approvedBy) throw needsManager();
        const effect = refundEffect(order, body.amountCents);
        const refundId = newId();
        const credits = await this.points.giveBackCredits(
          order.memberId,
          `order:${order.id}:spend`,
          order.pointsReturned,
          effect.pointsReturned,
          `refund:${refundId}:return`,
          'refund_return',
        );
        const returned = credits.reduce((s, c) => s + c.amount, 0);
        const reverse = effect.pointsReversed;
        const ungrow = effect.growthReversed;
        // The points taken back come out of the lot this order earned first, not the member's
        // points closest to expiry: a buy-and-refund must not refresh expiring points.
        const earnedLot = reverse > 0 ? await this.points.lotEarnedBy(order.memberId, `order:${order.id}`) : null;
        const posted = await this.points.post(locked, {
          debits:
            reverse > 0
              ? [{ amount: reverse, reason: 'refund', sourceKey: `refund:${refundId}`, mayGoNegative: true, lotsFirst: earnedLot ? [earnedLot] : [] }]
              : [],
          credits,
          growth: ungrow > 0 ? { delta: -ungrow, reason: 'refund', sourceKey: `refund:${refundId}` } : undefined,
        });
        const reversal = { pointsReversed: reverse, growthReversed: ungrow, pointsReturned: returned };
        await this.repos.orders.addReversal(orderId, reversal);
        const couponRestored = effect.returnsCoupon && order.couponId ? await this.coupons.restore(order.couponId, order.id) : false;
        const now = this.clock.now();
        const refund: RefundRow = {
          id: refundId,
          orderId,
          storeId: till.storeId,
          staffId: till.staffId,
          refundNo: body.refundNo,
          amountCents: body.amountCents,
          ...reversal,
          couponRestored: couponRestored ? 1 : 0,
          approvedBy: needsApproval ? approvedBy : null,
          createdAt: now,
        };
        await this.repos.orders.insertRefund(refund);
        if (refund.approvedBy) {
          await this.repos.audit.insert({
            id: newId(),
            actorId: refund.approvedBy,
            action: 'refund.approve',
            targetType: 'order',
            targetId: orderId,
            details: JSON.stringify({
              refundId,
              refundNo: body.refundNo,
              amountCents: body.amountCents,
              completesOrder: effect.completes,
              storeId: till.storeId,
              tillStaffId: till.staffId,
            }),
            createdAt: now,
          });
        }
        const after: OrderRow = {
          ...order,
          refundedCents: effect.refundedAfterCents,
          pointsReversed: order.pointsReversed + reverse,
          growthReversed: order.growthReversed + ungrow,
          pointsReturned: order.pointsReturned + returned,
        };
        for (const l of this.refundListeners) await l(locked, after, effect.completes, refund);
        const couponOutcome = refundCouponOutcome(effect, order, couponRestored);
        return { refund, order: after, member: posted.member, couponOutcome, replayed: false };
      });
    } catch (e) {
      if (!isDuplicateKey(e) && !(e instanceof DomainError)) throw e;
      const replayed = await this.replayRefund(till, orderId, body);
      if (replayed) return replayed;
      throw e;
    }
  }

  private async replayRefund(till: Till, orderId: string, body: RefundBody): Promise<RefundResult | null> {
    const prior = await this.repos.orders.refundByNo(till.storeId, body.refundNo);
    if (!prior) return null;
    if (prior.orderId !== orderId || prior.amountCents !== body.amountCents) {
      throw new DomainError('IDEMPOTENCY_MISMATCH', 'this refund number was already used for a different refund');
    }
    const order = await this.repos.orders.byId(orderId);
    if (!order) throw new DomainError('NOT_FOUND', 'no such order in this store');
    const member = await this.repos.members.byId(order.memberId);
    if (!member) throw new DomainError('NOT_FOUND', 'member not found');
    // Only the refund that completed the order (its latest, once it is refunded in full) handled the coupon.
    const completes = order.refundedCents === order.dueCents && (await this.repos.orders.latestRefundId(orderId)) === prior.id;
    const couponOutcome = refundCouponOutcome({ completes }, order, prior.couponRestored === 1);
    return { refund: prior, order, member, couponOutcome, replayed: true };
  }

  /** A member's counter orders, newest first, with the store's name. */
  ordersOfMember(memberId: string) {
    return this.repos.orders.ofMember(memberId, 100);
  }

  /** One of the member's own orders with its refunds; NOT_FOUND for anyone else's (or none). */
  async orderOfMember(memberId: string, orderId: string) {
    const order = await this.repos.orders.oneOfMember(memberId, orderId);
    if (!order) throw new DomainError('NOT_FOUND', 'no such order');
    return { order, refunds: await this.repos.orders.refundsOfOrder(order.id) };
  }
}

/** A wrong member code, answered as such or (under a used receipt number) as the mismatch it caused: a guess to count. */
function isWrongCode(e: unknown): boolean {
  if (!(e instanceof DomainError)) return false;
  return e.code === 'CODE_INVALID' || (e.cause instanceof DomainError && e.cause.code === 'CODE_INVALID');
}

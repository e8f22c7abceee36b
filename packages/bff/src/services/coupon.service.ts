import { couponRefusal, couponValidity, DomainError, tierAtLeast, type CouponTerms, type LoyaltyConfig } from '@member/shared';
import { Brackets, type EntityManager, type UpdateQueryBuilder } from 'typeorm';
import { affectedRows, isDuplicateKey, type Db } from '../db/db';
import { CouponTemplateEntity, MemberCouponEntity, type CouponTemplateRow, type MemberCouponRow } from '../db/entities';
import type { Clock } from './clock';
import { newId } from './crypto';
import { lockMember } from './member-lock';

export type CouponView = 'available' | 'used' | 'expired';

/** The terms the shared pricing rules read from a member's coupon. */
export function termsOf(c: MemberCouponRow): CouponTerms {
  return {
    kind: c.kind,
    valueCents: c.valueCents,
    thresholdCents: c.thresholdCents,
    discountPercent: c.discountPercent,
    capCents: c.capCents,
    minTier: c.minTier,
    validFrom: c.validFrom,
    validTo: c.validTo,
  };
}

/**
 * Coupons: one issuing path for every source (registration, upgrade gifts, first order, invite
 * rewards, mall, admin grants), atomic on template stock and per-member limits and exactly-once
 * per source event; and the life cycle available → locked (TTL) → used, used → available on refund.
 */
export class CouponService {
  constructor(
    private readonly db: Db,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
  ) {}

  /** The template behind a code; templates named in config/loyalty.json are created on first use. */
  async template(em: EntityManager, code: string): Promise<CouponTemplateRow> {
    const found = await em.findOneBy(CouponTemplateEntity, { code });
    if (found) return found;
    const cfg = this.loyalty.couponTemplates.find((t) => t.code === code);
    if (!cfg) throw new DomainError('NOT_FOUND', `no coupon template ${code}`);
    const now = this.clock.now();
    const row: CouponTemplateRow = {
      id: newId(),
      code: cfg.code,
      kind: cfg.kind,
      title: cfg.title,
      valueCents: cfg.valueCents ?? null,
      thresholdCents: cfg.thresholdCents ?? null,
      discountPercent: cfg.discountPercent ?? null,
      capCents: cfg.capCents ?? null,
      validityDays: 'days' in cfg.validity ? cfg.validity.days : null,
      validFrom: 'from' in cfg.validity ? new Date(cfg.validity.from) : null,
      validTo: 'to' in cfg.validity ? new Date(cfg.validity.to) : null,
      totalStock: null,
      issuedCount: 0,
      perMemberLimit: null,
      minTier: null,
      source: 'config',
      createdAt: now,
      updatedAt: now,
    };
    try {
      // Outside the caller's transaction would be cleaner, but the row is idempotent by its unique code.
      await em.insert(CouponTemplateEntity, row);
      return row;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      return em.findOneByOrFail(CouponTemplateEntity, { code });
    }
  }

  /**
   * Issues one coupon from a template to a member for a source event (`sourceKey`): a second issue
   * for the same event returns the first coupon. Refuses with TIER_REQUIRED, LIMIT_REACHED or
   * OUT_OF_STOCK, changing nothing.
   */
  issue(memberId: string, templateCode: string, sourceKey: string): Promise<{ coupon: MemberCouponRow; replayed: boolean }> {
    return this.db.transaction(async (em) => {
      const member = await lockMember(this.db, em, memberId);
      const prior = await em.findOneBy(MemberCouponEntity, { memberId, sourceKey });
      if (prior) return { coupon: prior, replayed: true };
      const t = await this.template(em, templateCode);
      if (t.minTier && !tierAtLeast(this.loyalty.tiers, member.tier, t.minTier)) throw new DomainError('TIER_REQUIRED', `needs tier ${t.minTier}`);
      if (t.perMemberLimit !== null) {
        const held = await em.countBy(MemberCouponEntity, { memberId, templateId: t.id });
        if (held >= t.perMemberLimit) throw new DomainError('LIMIT_REACHED', 'per-member limit reached for this coupon');
      }
      const taken = affectedRows(
        await em
          .createQueryBuilder()
          .update(CouponTemplateEntity)
          .set({ issuedCount: () => 'issued_count + 1' })
          .where('id = :id AND (total_stock IS NULL OR issued_count < total_stock)', { id: t.id })
          .execute(),
      );
      if (taken !== 1) throw new DomainError('OUT_OF_STOCK', 'this coupon has run out');
      const now = this.clock.now();
      const window =
        t.validityDays !== null ? couponValidity({ days: t.validityDays }, now) : { validFrom: t.validFrom ?? now, validTo: t.validTo ?? now };
      const coupon: MemberCouponRow = {
        id: newId(),
        memberId,
        templateId: t.id,
        kind: t.kind,
        title: t.title,
        valueCents: t.valueCents,
        thresholdCents: t.thresholdCents,
        discountPercent: t.discountPercent,
        capCents: t.capCents,
        minTier: t.minTier,
        ...window,
        status: 'available',
        lockRef: null,
        lockedUntil: null,
        usedOrderId: null,
        usedAt: null,
        sourceKey,
        createdAt: now,
      };
      await em.insert(MemberCouponEntity, coupon);
      return { coupon, replayed: false };
    });
  }

  /** A member's coupons by what the wallet shows; lapsed ones count as expired even before the job marks them. */
  async list(memberId: string, view: CouponView): Promise<MemberCouponRow[]> {
    const now = this.clock.now();
    const qb = this.db.manager.createQueryBuilder(MemberCouponEntity, 'c').where('c.memberId = :memberId', { memberId });
    if (view === 'used') qb.andWhere('c.status = :used', { used: 'used' });
    if (view === 'available') qb.andWhere("c.status IN ('available', 'locked') AND c.validTo > :now", { now });
    if (view === 'expired') qb.andWhere(new Brackets((w) => w.where("c.status = 'expired'").orWhere("c.status IN ('available', 'locked') AND c.validTo <= :now", { now })));
    return qb.orderBy('c.validTo', view === 'available' ? 'ASC' : 'DESC').addOrderBy('c.id', 'ASC').getMany();
  }

  async countAvailable(memberId: string): Promise<number> {
    return this.db.manager
      .createQueryBuilder(MemberCouponEntity, 'c')
      .where("c.memberId = :memberId AND c.status IN ('available', 'locked') AND c.validTo > :now", { memberId, now: this.clock.now() })
      .getCount();
  }

  /** Coupons the member can use at a counter now (not held by another store's open quote). */
  async usableAtCounter(memberId: string, tierCode: string, lockRef: string): Promise<MemberCouponRow[]> {
    const now = this.clock.now();
    return (await this.list(memberId, 'available')).filter(
      (c) =>
        !(c.status === 'locked' && c.lockRef !== lockRef && c.lockedUntil && c.lockedUntil > now) &&
        couponRefusal(termsOf(c), Number.MAX_SAFE_INTEGER, now, tierCode, this.loyalty.tiers) === null,
    );
  }

  /** A coupon of this member, or 404 (another member's coupon does not exist for them). */
  async ofMember(em: EntityManager, memberId: string, couponId: string): Promise<MemberCouponRow> {
    const c = await em.findOneBy(MemberCouponEntity, { id: couponId, memberId });
    if (!c) throw new DomainError('NOT_FOUND', 'no such coupon');
    return c;
  }

  /** Narrows an update to a coupon that is free to take: available, or locked by this counter, or its lock lapsed. */
  private claimable<T extends object>(qb: UpdateQueryBuilder<T>, lockRef: string, now: Date): UpdateQueryBuilder<T> {
    return qb.andWhere(
      new Brackets((w) =>
        w
          .where("status = 'available'")
          .orWhere("status = 'locked' AND (lock_ref = :lockRef OR locked_until <= :now)", { lockRef, now }),
      ),
    );
  }

  /**
   * Reserves a coupon for an open counter quote for `counter.couponLockSeconds`, so it cannot be
   * spent elsewhere meanwhile. Refuses a coupon used, expired or held by another counter.
   */
  async lock(memberId: string, couponId: string, lockRef: string): Promise<void> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.loyalty.counter.couponLockSeconds * 1000);
    const qb = this.db.manager
      .createQueryBuilder()
      .update(MemberCouponEntity)
      .set({ status: 'locked', lockRef, lockedUntil: until })
      .where('id = :id AND member_id = :memberId AND valid_to > :now', { id: couponId, memberId, now });
    if (affectedRows(await this.claimable(qb, lockRef, now).execute()) !== 1) {
      throw new DomainError('COUPON_NOT_APPLICABLE', 'coupon is used, expired or held by another counter', { reason: 'unavailable' });
    }
  }

  /** Marks the coupon used by an order, inside the order's transaction (conditional on it being claimable). */
  async use(em: EntityManager, memberId: string, couponId: string, orderId: string, lockRef: string): Promise<void> {
    const now = this.clock.now();
    const qb = em
      .createQueryBuilder()
      .update(MemberCouponEntity)
      .set({ status: 'used', usedOrderId: orderId, usedAt: now, lockRef: null, lockedUntil: null })
      .where('id = :id AND member_id = :memberId AND valid_to > :now', { id: couponId, memberId, now });
    if (affectedRows(await this.claimable(qb, lockRef, now).execute()) !== 1) {
      throw new DomainError('COUPON_NOT_APPLICABLE', 'coupon is used, expired or held by another counter', { reason: 'unavailable' });
    }
  }

  /** Gives a used coupon back after a full refund: available again if still valid, otherwise expired. */
  async restore(em: EntityManager, couponId: string, orderId: string): Promise<boolean> {
    const now = this.clock.now();
    const back = affectedRows(
      await em
        .createQueryBuilder()
        .update(MemberCouponEntity)
        .set({ status: 'available', usedOrderId: null, usedAt: null })
        .where("id = :id AND status = 'used' AND used_order_id = :orderId AND valid_to > :now", { id: couponId, orderId, now })
        .execute(),
    );
    if (back === 1) return true;
    await em
      .createQueryBuilder()
      .update(MemberCouponEntity)
      .set({ status: 'expired', usedOrderId: null, usedAt: null })
      .where("id = :id AND status = 'used' AND used_order_id = :orderId", { id: couponId, orderId })
      .execute();
    return false;
  }
}

import { businessDate, couponRefusal, couponValidity, DomainError, tierAtLeast, type CouponTerms, type CouponView, type LoyaltyConfig } from '@member/shared';
import { isDuplicateKey } from '../db/db';
import type { CouponTemplateRow, MemberCouponRow, MemberRow } from '../db/entities';
import type { CouponRepository } from '../db/repositories/coupon.repository';
import type { ReportCounterRepository } from '../db/repositories/report-counter.repository';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';

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
 * Issuing runs inside the caller's transaction, on a member row the caller has locked.
 */
export class CouponService {
  constructor(
    private readonly coupons: CouponRepository,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly counters: ReportCounterRepository,
  ) {}

  /** The template behind a code; templates named in config/loyalty.json are created on first use. */
  async template(code: string): Promise<CouponTemplateRow> {
    const found = await this.coupons.templateByCode(code);
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
      await this.coupons.insertTemplate(row);
      return row;
    } catch (e) {
      // Created concurrently: the unique code makes this idempotent.
      if (!isDuplicateKey(e)) throw e;
      const created = await this.coupons.templateByCode(code);
      if (!created) throw e;
      return created;
    }
  }

  /** Templates by code for display (config templates not yet created show as missing). */
  async templatesByCodes(codes: readonly string[]): Promise<Map<string, CouponTemplateRow>> {
    return new Map((await this.coupons.templatesByCodes([...new Set(codes)])).map((t) => [t.code, t]));
  }

  /**
   * Issues one coupon per source key (new events, unique per member) from a template to a
   * locked member. Refuses with TIER_REQUIRED,
   * LIMIT_REACHED or OUT_OF_STOCK before writing anything.
   */
  async issue(member: MemberRow, templateCode: string, keys: readonly string[]): Promise<{ coupons: MemberCouponRow[] }> {
    const count = keys.length;
    const t = await this.template(templateCode);
    if (t.minTier && !tierAtLeast(this.loyalty.tiers, member.tier, t.minTier)) throw new DomainError('TIER_REQUIRED', `needs tier ${t.minTier}`);
    if (t.perMemberLimit !== null && (await this.coupons.countHeld(member.id, t.id)) + count > t.perMemberLimit) {
      throw new DomainError('LIMIT_REACHED', 'per-member limit reached for this coupon');
    }
    if (!(await this.coupons.takeTemplateStock(t.id, count))) throw new DomainError('OUT_OF_STOCK', 'this coupon has run out');
    const now = this.clock.now();
    const window = t.validityDays !== null ? couponValidity({ days: t.validityDays }, now) : { validFrom: t.validFrom ?? now, validTo: t.validTo ?? now };
    const rows: MemberCouponRow[] = keys.map((key) => ({
      id: newId(),
      memberId: member.id,
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
      sourceKey: key,
      createdAt: now,
    }));
    await this.coupons.insertCoupons(rows);
    return { coupons: rows };
  }

  /**
   * Issues once per event, quietly: an event already issued (an upgrade gift for a tier reached a
   * second time, say) returns its coupon. Checks first, because inside a bigger use case a
   * duplicate-key failure after the stock was taken would leave the count wrong.
   */
  async issueOnce(member: MemberRow, templateCode: string, sourceKey: string): Promise<{ coupon: MemberCouponRow; replayed: boolean }> {
    const prior = await this.coupons.bySource(member.id, sourceKey);
    if (prior) return { coupon: prior, replayed: true };
    return { coupon: (await this.issue(member, templateCode, [sourceKey])).coupons[0], replayed: false };
  }

  /** A member's coupons by what the wallet shows. */
  list(memberId: string, view: CouponView): Promise<MemberCouponRow[]> {
    return this.coupons.list(memberId, view, this.clock.now());
  }

  /** Coupons the member can use at a counter now (not held by another store's open quote). */
  async usableAtCounter(member: MemberRow, lockRef: string): Promise<MemberCouponRow[]> {
    const now = this.clock.now();
    return (await this.coupons.list(member.id, 'available', now)).filter(
      (c) =>
        !(c.status === 'locked' && c.lockRef !== lockRef && c.lockedUntil && c.lockedUntil > now) &&
        couponRefusal(termsOf(c), Number.MAX_SAFE_INTEGER, now, member.tier, this.loyalty.tiers) === null,
    );
  }

  /** A coupon of this member that is not spent, or the contract's refusal. */
  async forPricing(memberId: string, couponId: string): Promise<MemberCouponRow> {
    const c = await this.coupons.ofMember(memberId, couponId);
    if (!c) throw new DomainError('NOT_FOUND', 'no such coupon');
    if (c.status !== 'available' && c.status !== 'locked') throw new DomainError('COUPON_NOT_APPLICABLE', `coupon is ${c.status}`, { reason: c.status });
    return c;
  }

  /**
   * Reserves a coupon for an open counter quote for `counter.couponLockSeconds`, so it cannot be
   * spent elsewhere meanwhile. Refuses a coupon used, expired or held by another counter.
   */
  async lock(memberId: string, couponId: string, lockRef: string): Promise<void> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.loyalty.counter.couponLockSeconds * 1000);
    if (!(await this.coupons.lock(memberId, couponId, lockRef, until, now))) throw unavailable();
  }

  /** Marks the coupon used by an order, inside the order's transaction (counted on the day it was issued). */
  async use(memberId: string, coupon: Pick<MemberCouponRow, 'id' | 'createdAt'>, orderId: string, lockRef: string): Promise<void> {
    if (!(await this.coupons.use(memberId, coupon.id, orderId, lockRef, this.clock.now()))) throw unavailable();
    this.counters.add([{ metric: 'coupons_used', day: businessDate(coupon.createdAt, this.loyalty.businessTimeZone), n: 1 }]);
  }

  /**
   * Gives a used coupon back after a full refund, inside the refund's transaction: available again
   * if still valid, otherwise expired (true when available again). No longer counted as used.
   */
  async restore(couponId: string, orderId: string): Promise<boolean> {
    const { changed, available } = await this.coupons.restore(couponId, orderId, this.clock.now());
    if (changed) {
      const coupon = (await this.coupons.byIds([couponId])).at(0);
      if (coupon) this.counters.add([{ metric: 'coupons_used', day: businessDate(coupon.createdAt, this.loyalty.businessTimeZone), n: -1 }]);
    }
    return available;
  }

  byIds(ids: readonly string[]): Promise<MemberCouponRow[]> {
    return this.coupons.byIds(ids);
  }

  /**
   * One batch of the coupon expiry job: coupons past their validity that still say available or
   * locked become expired. Each update re-checks its condition, so a re-run or a concurrent run
   * changes nothing twice. `found` is 0 when nothing is left.
   */
  async expireLapsed(now: Date, batch: number): Promise<{ found: number; changed: number }> {
    const ids = await this.coupons.lapsedIds(now, batch);
    return { found: ids.length, changed: await this.coupons.expire(ids, now) };
  }

  /**
   * One batch of the lock release job: a coupon locked for a counter quote that never became an
   * order keeps status 'locked' after its lock lapsed. Counters already treat such a coupon as free
   * (see CLAIMABLE in the repository); this puts its status back to available so the wallet,
   * exports and reports say what it is. Coupons also past their validity are left to expiry.
   */
  async releaseStaleLocks(now: Date, batch: number): Promise<{ found: number; changed: number }> {
    const ids = await this.coupons.staleLockIds(now, batch);
    return { found: ids.length, changed: await this.coupons.releaseLocks(ids, now) };
  }
}

function unavailable(): DomainError {
  return new DomainError('COUPON_NOT_APPLICABLE', 'coupon is used, expired or held by another counter', { reason: 'unavailable' });
}

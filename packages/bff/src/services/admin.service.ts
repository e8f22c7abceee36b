import {
  DomainError,
  MAX_STOCK,
  type AuditQuery,
  type PointsAdjustmentBody,
  type ReportSummary,
  type StaffBody,
  type StaffPatch,
  type CouponTemplateBody,
  type CouponTemplatePatch,
  type LoyaltyConfig,
  type MallItemBody,
  type MallItemPatch,
} from '@member/shared';
import { isDuplicateKey, type Db } from '../db/db';
import type { AuditRow, CouponTemplateRow, MallItemRow, MemberCouponRow, MemberRow, PointsLedgerRow, StaffRow, StoreRow } from '../db/entities';
import type { Repositories } from '../db/repositories';
import type { RowPage } from '../db/repositories/paging';
import type { Clock } from '../lib/clock';
import type { FieldCrypto } from '../lib/crypto';
import { newId } from '../lib/ids';
import { hashPassword } from '../lib/passwords';
import type { CouponService } from './coupon.service';
import type { PointsService } from './points.service';
import type { StaffService } from './staff.service';
import type { ReportService } from './report.service';

/** A member as an operator sees them: the row and the phone number (decrypted, to be masked when shown). */
export interface MemberView {
  member: MemberRow;
  phone: string | null;
}

/** How many ledger entries the member detail shows. */
const RECENT_LEDGER = 20;
const MEMBER_REF = /^\d{10}$/;
const FULL_PHONE = /^1[3-9]\d{9}$/;

const badInput = (path: string, message: string) => new DomainError('VALIDATION_FAILED', message, { issues: [{ in: 'body', path: [path], message }] });

/**
 * Operators' catalogue: coupon templates and mall items, and coupons granted by hand. Every write
 * is recorded in the audit log with who did it and what changed, in the same transaction.
 */
export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly repos: Pick<Repositories, 'coupons' | 'mall' | 'audit' | 'members' | 'points' | 'staff' | 'reports'>,
    private readonly points: PointsService,
    private readonly coupons: CouponService,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly crypto: FieldCrypto,
    private readonly staff: StaffService,
    private readonly scryptCost: number,
    private readonly reports: ReportService,
  ) {}

  private audit(actorId: string, action: string, targetType: string, targetId: string, details: unknown): Promise<void> {
    return this.repos.audit.insert({ id: newId(), actorId, action, targetType, targetId, details: JSON.stringify(details), createdAt: this.clock.now() });
  }

  private checkTier(code: string | null | undefined): void {
    if (code && !this.loyalty.tiers.some((t) => t.code === code)) {
      throw new DomainError('VALIDATION_FAILED', `unknown tier ${code}`, { issues: [{ in: 'body', path: ['minTier'], message: 'unknown tier' }] });
    }
  }

  listTemplates(): Promise<CouponTemplateRow[]> {
    return this.repos.coupons.allTemplates();
  }

  async template(id: string): Promise<CouponTemplateRow> {
    const t = await this.repos.coupons.templateById(id);
    if (!t) throw new DomainError('NOT_FOUND', 'no such coupon template');
    return t;
  }

  createTemplate(actorId: string, b: CouponTemplateBody): Promise<CouponTemplateRow> {
    this.checkTier(b.minTier);
    return this.db.transaction(async () => {
      const now = this.clock.now();
      const row: CouponTemplateRow = {
        id: newId(),
        code: b.code,
        kind: b.kind,
        title: b.title,
        valueCents: b.valueCents ?? null,
        thresholdCents: b.thresholdCents ?? null,
        discountPercent: b.discountPercent ?? null,
        capCents: b.capCents ?? null,
        validityDays: 'days' in b.validity ? b.validity.days : null,
        validFrom: 'from' in b.validity ? new Date(b.validity.from) : null,
        validTo: 'to' in b.validity ? new Date(b.validity.to) : null,
        totalStock: b.totalStock ?? null,
        issuedCount: 0,
        perMemberLimit: b.perMemberLimit ?? null,
        minTier: b.minTier ?? null,
        source: 'admin',
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.repos.coupons.insertTemplate(row);
      } catch (e) {
        if (isDuplicateKey(e)) throw new DomainError('TEMPLATE_CODE_TAKEN', `template code ${b.code} exists`);
        throw e;
      }
      await this.audit(actorId, 'coupon-template.create', 'coupon-template', row.id, b);
      return row;
    });
  }

  updateTemplate(actorId: string, id: string, p: CouponTemplatePatch): Promise<CouponTemplateRow> {
    this.checkTier(p.minTier);
    return this.db.transaction(async () => {
      const current = await this.template(id);
      const changes: Partial<CouponTemplateRow> = { updatedAt: this.clock.now() };
      if (p.title !== undefined) changes.title = p.title;
      if (p.totalStock !== undefined) changes.totalStock = p.totalStock;
      if (p.perMemberLimit !== undefined) changes.perMemberLimit = p.perMemberLimit;
      if (p.minTier !== undefined) changes.minTier = p.minTier;
      if (p.validity) {
        changes.validityDays = 'days' in p.validity ? p.validity.days : null;
        changes.validFrom = 'from' in p.validity ? new Date(p.validity.from) : null;
        changes.validTo = 'to' in p.validity ? new Date(p.validity.to) : null;
      }
      await this.repos.coupons.updateTemplate(id, changes);
      await this.audit(actorId, 'coupon-template.update', 'coupon-template', id, p);
      return { ...current, ...changes };
    });
  }

  listItems(): Promise<MallItemRow[]> {
    return this.repos.mall.allItems();
  }

  async item(id: string): Promise<MallItemRow> {
    const i = await this.repos.mall.itemById(id);
    if (!i) throw new DomainError('NOT_FOUND', 'no such mall item');
    return i;
  }

  createItem(actorId: string, b: MallItemBody): Promise<MallItemRow> {
    this.checkTier(b.minTier);
    return this.db.transaction(async () => {
      const code = b.couponTemplateCode;
      if (code && !(await this.repos.coupons.templateByCode(code)) && !this.loyalty.couponTemplates.some((t) => t.code === code)) {
        throw new DomainError('VALIDATION_FAILED', `no coupon template ${code}`, {
          issues: [{ in: 'body', path: ['couponTemplateCode'], message: 'unknown template' }],
        });
      }
      const now = this.clock.now();
      const row: MallItemRow = {
        id: newId(),
        kind: b.kind,
        title: b.title,
        description: b.description,
        imageUrl: b.imageUrl ?? null,
        pointsCost: b.pointsCost,
        stock: b.stock,
        perMemberLimit: b.perMemberLimit ?? null,
        saleFrom: b.saleFrom ? new Date(b.saleFrom) : null,
        saleTo: b.saleTo ? new Date(b.saleTo) : null,
        minTier: b.minTier ?? null,
        couponTemplateCode: code ?? null,
        active: b.active === false ? 0 : 1,
        createdAt: now,
        updatedAt: now,
      };
      await this.repos.mall.insertItem(row);
      await this.audit(actorId, 'mall-item.create', 'mall-item', row.id, b);
      return row;
    });
  }

  updateItem(actorId: string, id: string, p: MallItemPatch): Promise<MallItemRow> {
    this.checkTier(p.minTier);
    return this.db.transaction(async () => {
      const current = await this.item(id);
      const { stockDelta, active, saleFrom, saleTo, ...rest } = p;
      const changes: Partial<MallItemRow> = { ...rest, updatedAt: this.clock.now() };
      if (active !== undefined) changes.active = active ? 1 : 0;
      if (saleFrom !== undefined) changes.saleFrom = saleFrom ? new Date(saleFrom) : null;
      if (saleTo !== undefined) changes.saleTo = saleTo ? new Date(saleTo) : null;
      // The window after the edit, one bound changed alone included, must still open before it closes.
      const from = changes.saleFrom === undefined ? current.saleFrom : changes.saleFrom;
      const to = changes.saleTo === undefined ? current.saleTo : changes.saleTo;
      if (from && to && from >= to) {
        throw new DomainError('VALIDATION_FAILED', 'sale must end after it starts', {
          issues: [{ in: 'body', path: [saleTo === undefined ? 'saleFrom' : 'saleTo'], message: 'sale must end after it starts' }],
        });
      }
      await this.repos.mall.updateItem(id, changes);
      if (stockDelta && !(await this.repos.mall.moveStock(id, stockDelta, MAX_STOCK))) {
        if (stockDelta < 0) throw new DomainError('OUT_OF_STOCK', 'stock cannot go below zero');
        throw new DomainError('VALIDATION_FAILED', `stock cannot exceed ${MAX_STOCK}`, {
          issues: [{ in: 'body', path: ['stockDelta'], message: `stock cannot exceed ${MAX_STOCK}` }],
        });
      }
      await this.audit(actorId, 'mall-item.update', 'mall-item', id, p);
      return this.item(id);
    });
  }

  /** Items are withdrawn, not deleted: redemptions keep pointing at them. */
  deactivateItem(actorId: string, id: string): Promise<MallItemRow> {
    return this.updateItem(actorId, id, { active: false });
  }

  /** Grants a coupon to a registered member by hand, through the one issuing service, once per grant key. */
  grantCoupon(actorId: string, memberId: string, templateCode: string, reason: string, grantKey: string): Promise<MemberCouponRow> {
    return this.db.transaction(async () => {
      const member = await this.points
        .lock(memberId, { withLots: false })
        .then((locked) => locked.member)
        .catch((e: unknown) => {
          if (e instanceof DomainError && e.code === 'NOT_FOUND') return null;
          throw e;
        });
      if (member?.status !== 'active') throw new DomainError('NOT_FOUND', 'no such member');
      // The grant key is the operator's Idempotency-Key: scoped to the operator, as the HTTP record is.
      const r = await this.coupons.issueOnce(member, templateCode, `admin-grant:${actorId}:${grantKey}`);
      if (!r.replayed) await this.audit(actorId, 'coupon.grant', 'member', memberId, { templateCode, reason, couponId: r.coupon.id });
      return r.coupon;
    });
  }

  auditLog(q: AuditQuery): Promise<RowPage<AuditRow>> {
    const { cursor, limit, ...filter } = q;
    return this.repos.audit.page(filter, cursor, limit);
  }

  // ── Members ──────────────────────────────────────────────────────────────────────────────

  /**
   * Adjusts a registered member's points by hand, through the points service like every other
   * move: a credit is a new lot with the usual lifetime, a debit spends lots closest to expiry
   * first and never takes the balance below zero (POINTS_INSUFFICIENT). Applied once per
   * operator and Idempotency-Key (the ledger's unique event key, beside the HTTP record) and
   * audit-logged with the reason in the same transaction.
   */
  adjustPoints(actorId: string, memberId: string, b: PointsAdjustmentBody, key: string): Promise<PointsLedgerRow> {
    const sourceKey = `admin-adjust:${actorId}:${key}`;
    return this.db.transaction(async () => {
      const locked = await this.points.lock(memberId, { withLots: b.points < 0 }).catch((e: unknown) => {
        if (e instanceof DomainError && e.code === 'NOT_FOUND') return null;
        throw e;
      });
      if (locked?.member.status !== 'active') throw new DomainError('NOT_FOUND', 'no such member');
      const posting =
        b.points > 0
          ? { credits: [{ amount: b.points, reason: 'adjust' as const, sourceKey }] }
          : { debits: [{ amount: -b.points, reason: 'adjust' as const, sourceKey, mayGoNegative: false }] };
      const prior = await this.repos.points.entryBySource(memberId, sourceKey);
      if (prior) {
        if (prior.delta !== b.points) throw new DomainError('IDEMPOTENCY_MISMATCH', 'this adjustment was already applied with another amount');
        return prior;
      }
      const entry = (await this.points.post(locked, posting)).entries[0];
      await this.audit(actorId, 'points.adjust', 'member', memberId, {
        points: b.points,
        reason: b.reason,
        entryId: entry.id,
        balanceAfter: entry.balanceAfter,
      });
      return entry;
    });
  }

  private view(m: MemberRow): MemberView {
    return { member: m, phone: m.phoneEnc ? this.crypto.decrypt(m.phoneEnc) : null };
  }

  /**
   * Finds registered members by a 10-digit member reference, a full mobile number (by its keyed
   * hash: the number is neither stored nor logged) or the start of a nickname. The search is
   * audit-logged with the kind of query and the members it showed, never the query itself.
   */
  async searchMembers(actorId: string, query: string, cursor: string | undefined, limit: number): Promise<RowPage<MemberView>> {
    let kind: 'ref' | 'phone' | 'nickname';
    let page: RowPage<MemberRow>;
    if (MEMBER_REF.test(query) || FULL_PHONE.test(query)) {
      kind = MEMBER_REF.test(query) ? 'ref' : 'phone';
      const m =
        kind === 'ref'
          ? await this.repos.members.activeBy('codeRef', query)
          : await this.repos.members.activeBy('phoneHash', this.crypto.lookupHash('phone', query));
      page = { rows: m ? [m] : [], nextCursor: null };
    } else {
      kind = 'nickname';
      page = await this.repos.members.activeByNicknamePrefix(query, cursor, limit);
    }
    await this.audit(actorId, 'member.search', 'member', '*', { kind, memberIds: page.rows.map((m) => m.id) });
    return { rows: page.rows.map((m) => this.view(m)), nextCursor: page.nextCursor };
  }

  /** One member (registered or erased) with their recent points ledger; audit-logged. */
  async member(actorId: string, memberId: string): Promise<MemberView & { recentLedger: PointsLedgerRow[] }> {
    const m = await this.repos.members.byId(memberId);
    if (!m || m.status === 'pending') throw new DomainError('NOT_FOUND', 'no such member');
    const ledger = await this.repos.points.page(memberId, undefined, RECENT_LEDGER);
    await this.audit(actorId, 'member.view', 'member', memberId, {});
    return { ...this.view(m), recentLedger: ledger.rows };
  }

  // ── Stores and staff ─────────────────────────────────────────────────────────────────────

  listStores(): Promise<StoreRow[]> {
    return this.repos.staff.allStores();
  }

  createStore(actorId: string, name: string): Promise<StoreRow> {
    return this.db.transaction(async () => {
      const store = await this.staff.createStore(name);
      await this.audit(actorId, 'store.create', 'store', store.id, { name });
      return store;
    });
  }

  renameStore(actorId: string, id: string, name: string): Promise<StoreRow> {
    return this.db.transaction(async () => {
      const store = await this.repos.staff.storeById(id);
      if (!store) throw new DomainError('NOT_FOUND', 'no such store');
      await this.repos.staff.renameStore(id, name);
      await this.audit(actorId, 'store.update', 'store', id, { name, was: store.name });
      return { ...store, name };
    });
  }

  listStaff(storeId: string | undefined, cursor: string | undefined, limit: number): Promise<RowPage<StaffRow>> {
    return this.repos.staff.page(storeId, cursor, limit);
  }

  async staffMember(id: string): Promise<StaffRow> {
    const row = await this.repos.staff.byId(id);
    if (!row) throw new DomainError('NOT_FOUND', 'no such staff account');
    return row;
  }

  private async checkStore(storeId: string): Promise<void> {
    if (!(await this.repos.staff.storeById(storeId))) throw badInput('storeId', 'no such store');
  }

  /** Creates a staff account (the password is stored as a scrypt hash only); audit-logged without it. */
  createStaff(actorId: string, b: StaffBody): Promise<StaffRow> {
    return this.db.transaction(async () => {
      await this.checkStore(b.storeId);
      const row = await this.staff.createStaff(b);
      await this.audit(actorId, 'staff.create', 'staff', row.id, { storeId: b.storeId, username: b.username, role: b.role });
      return row;
    });
  }

  /**
   * Moves an account to another store or role, sets a new password, or (de)activates it. A
   * deactivated, moved or re-roled account's tokens stop working: at once on this instance, within
   * the revocation cache period on others. Operators cannot deactivate or demote themselves.
   */
  async updateStaff(actorId: string, id: string, p: StaffPatch): Promise<StaffRow> {
    if (id === actorId && (p.active === false || (p.role !== undefined && p.role !== 'admin'))) {
      throw badInput(p.active === false ? 'active' : 'role', 'you cannot deactivate or demote your own account');
    }
    const passwordHash = p.password !== undefined ? await hashPassword(p.password, this.scryptCost) : undefined;
    const updated = await this.db.transaction(async () => {
      const current = await this.staffMember(id);
      if (p.storeId !== undefined) await this.checkStore(p.storeId);
      const changes: Partial<Pick<StaffRow, 'storeId' | 'role' | 'passwordHash' | 'disabledAt' | 'sessionsValidFrom'>> = {};
      if (p.storeId !== undefined) changes.storeId = p.storeId;
      if (p.role !== undefined) changes.role = p.role;
      if (passwordHash !== undefined) changes.passwordHash = passwordHash;
      if (p.active !== undefined) changes.disabledAt = p.active ? null : (current.disabledAt ?? this.clock.now());
      // Any change to who the account is (or its password) ends the sessions signed in before it:
      // a token revoked by a deactivation or a demotion stays dead when the change is undone.
      if (Object.keys(changes).length > 0) changes.sessionsValidFrom = new Date();
      await this.repos.staff.update(id, changes);
      const { password, ...rest } = p;
      await this.audit(actorId, 'staff.update', 'staff', id, { ...rest, ...(password !== undefined ? { passwordChanged: true } : {}) });
      return { ...current, ...changes };
    });
    this.staff.forget(id);
    return updated;
  }

  // ── Reports ──────────────────────────────────────────────────────────────────────────────

  /** The KPI summary over business days `from`…`to` (inclusive), in the business time zone. */
  async summary(fromDay: string, toDay: string): Promise<ReportSummary> {
    const f = await this.reports.figures(fromDay, toDay, this.clock.now());
    const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
    const counts = new Map(f.tiers.map((t) => [t.code, t.members]));
    return {
      from: fromDay,
      to: toDay,
      members: f.members,
      tiers: this.loyalty.tiers.map((t) => ({ code: t.code, name: t.name, members: counts.get(t.code) ?? 0 })),
      points: f.points,
      coupons: { ...f.coupons, useRate: ratio(f.coupons.used, f.coupons.issued) },
      checkins: { ...f.checkins, participationRate: ratio(f.checkins.members, f.members.total) },
      referrals: { ...f.referrals, conversionRate: ratio(f.referrals.converted, f.referrals.invited) },
      mall: f.mall,
    };
  }
}

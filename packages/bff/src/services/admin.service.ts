import {
  DomainError,
  MAX_STOCK,
  type CouponTemplateBody,
  type CouponTemplatePatch,
  type LoyaltyConfig,
  type MallItemBody,
  type MallItemPatch,
} from '@member/shared';
import { isDuplicateKey, type Db } from '../db/db';
import type { AuditRow, CouponTemplateRow, MallItemRow, MemberCouponRow } from '../db/entities';
import type { Repositories } from '../db/repositories';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import type { CouponService } from './coupon.service';
import type { PointsService } from './points.service';

/**
 * Operators' catalogue: coupon templates and mall items, and coupons granted by hand. Every write
 * is recorded in the audit log with who did it and what changed, in the same transaction.
 */
export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly repos: Pick<Repositories, 'coupons' | 'mall' | 'audit'>,
    private readonly points: PointsService,
    private readonly coupons: CouponService,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
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

  auditLog(limit = 100): Promise<AuditRow[]> {
    return this.repos.audit.latest(limit);
  }
}

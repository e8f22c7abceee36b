import {
  AdminIdParams,
  AdminMallItem,
  AuditEntry,
  AuditQuery,
  Coupon,
  CouponGrantBody,
  CouponTemplate,
  CouponTemplateBody,
  CouponTemplatePatch,
  MallItemBody,
  MallItemPatch,
  Paths,
  type LoyaltyConfig,
} from '@member/shared';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { Clock } from '../../lib/clock';
import { presentAdminItem, presentAudit, presentCoupon, presentTemplate } from '../../presenters';
import type { AdminService } from '../../services/admin.service';
import type { CampaignService } from '../../services/campaign.service';
import { operationsRoutes } from './operations.routes';

const tag = 'admin';
const admin = { audience: 'admin' } as const;

/** Operator routes: admin tokens only, every write audit-logged. */
export function adminRoutes(d: { admin: AdminService; campaigns: CampaignService; loyalty: LoyaltyConfig; clock: Clock }): AnyRoute[] {
  return [
    ...operationsRoutes(d),
    defineRoute({
      method: 'get',
      path: Paths.adminCouponTemplates,
      tag,
      summary: 'Coupon templates',
      auth: admin,
      response: z.array(CouponTemplate),
      handler: async () => (await d.admin.listTemplates()).map(presentTemplate),
    }),
    defineRoute({
      method: 'post',
      path: Paths.adminCouponTemplates,
      tag,
      summary: 'Create a coupon template',
      auth: admin,
      body: CouponTemplateBody,
      response: CouponTemplate,
      status: 201,
      errors: ['TEMPLATE_CODE_TAKEN'],
      handler: async ({ caller, body }) => presentTemplate(await d.admin.createTemplate(caller.staffId, body)),
    }),
    defineRoute({
      method: 'get',
      path: Paths.adminCouponTemplate,
      tag,
      summary: 'One coupon template',
      auth: admin,
      params: AdminIdParams,
      response: CouponTemplate,
      errors: ['NOT_FOUND'],
      handler: async ({ params }) => presentTemplate(await d.admin.template(params.id)),
    }),
    defineRoute({
      method: 'patch',
      path: Paths.adminCouponTemplate,
      tag,
      summary: 'Change a coupon template (issued coupons keep their terms)',
      auth: admin,
      params: AdminIdParams,
      body: CouponTemplatePatch,
      response: CouponTemplate,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, params, body }) => presentTemplate(await d.admin.updateTemplate(caller.staffId, params.id, body)),
    }),
    defineRoute({
      method: 'get',
      path: Paths.adminMallItems,
      tag,
      summary: 'Mall items, on sale or not',
      auth: admin,
      response: z.array(AdminMallItem),
      handler: async () => (await d.admin.listItems()).map(presentAdminItem),
    }),
    defineRoute({
      method: 'post',
      path: Paths.adminMallItems,
      tag,
      summary: 'Create a mall item',
      auth: admin,
      body: MallItemBody,
      response: AdminMallItem,
      status: 201,
      handler: async ({ caller, body }) => presentAdminItem(await d.admin.createItem(caller.staffId, body)),
    }),
    defineRoute({
      method: 'get',
      path: Paths.adminMallItem,
      tag,
      summary: 'One mall item',
      auth: admin,
      params: AdminIdParams,
      response: AdminMallItem,
      errors: ['NOT_FOUND'],
      handler: async ({ params }) => presentAdminItem(await d.admin.item(params.id)),
    }),
    defineRoute({
      method: 'patch',
      path: Paths.adminMallItem,
      tag,
      summary: 'Change a mall item; stock moves by stockDelta',
      auth: admin,
      params: AdminIdParams,
      body: MallItemPatch,
      response: AdminMallItem,
      errors: ['NOT_FOUND', 'OUT_OF_STOCK'],
      handler: async ({ caller, params, body }) => presentAdminItem(await d.admin.updateItem(caller.staffId, params.id, body)),
    }),
    defineRoute({
      method: 'delete',
      path: Paths.adminMallItem,
      tag,
      summary: 'Withdraw a mall item (kept for its redemptions)',
      auth: admin,
      params: AdminIdParams,
      response: AdminMallItem,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, params }) => presentAdminItem(await d.admin.deactivateItem(caller.staffId, params.id)),
    }),
    defineRoute({
      method: 'post',
      path: Paths.adminMemberCoupons,
      tag,
      summary: 'Grant a coupon to a member (Idempotency-Key required; audit-logged)',
      auth: admin,
      params: AdminIdParams,
      body: CouponGrantBody,
      response: Coupon,
      status: 201,
      idempotent: 'required',
      errors: ['NOT_FOUND', 'OUT_OF_STOCK', 'LIMIT_REACHED', 'TIER_REQUIRED'],
      handler: async ({ caller, params, body, idempotencyKey }) => {
        const coupon = await d.admin.grantCoupon(caller.staffId, params.id, body.templateCode, body.reason, idempotencyKey ?? '');
        return presentCoupon(coupon, d.clock.now());
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.adminAuditLog,
      tag,
      summary: 'Operator actions, newest first, filtered by action, actor or target',
      auth: admin,
      query: AuditQuery,
      response: AuditEntry,
      paged: true,
      handler: async ({ query }) => {
        const page = await d.admin.auditLog(query);
        return { items: page.rows.map(presentAudit), nextCursor: page.nextCursor };
      },
    }),
  ];
}

import {
  AdminIdParams,
  AdminMallItem,
  AuditEntry,
  Coupon,
  CouponGrantBody,
  DomainError,
  CouponTemplate,
  CouponTemplateBody,
  CouponTemplatePatch,
  MallItemBody,
  MallItemPatch,
} from '@member/shared';
import { z } from 'zod';
import { route, type AnyRoute, type Caller } from '../http/route';
import type { Services } from '../services';
import { presentAdminItem, presentCoupon, presentTemplate } from './presenters';

const tag = 'admin';

/** Operator routes: admin tokens only, every write audit-logged. */
export function adminRoutes(s: Services): AnyRoute[] {
  const admin = async (caller: Caller | null) => {
    const staff = await s.staff.active(caller!.sub);
    s.staff.requireRole(staff, ['admin']);
    return staff.id;
  };
  return [
    route({
      method: 'get', path: '/api/v1/admin/coupon-templates', tag, summary: 'Coupon templates', auth: 'admin',
      response: z.array(CouponTemplate),
      handler: async ({ caller }) => (await admin(caller), (await s.admin.listTemplates()).map(presentTemplate)),
    }),
    route({
      method: 'post', path: '/api/v1/admin/coupon-templates', tag, summary: 'Create a coupon template', auth: 'admin',
      body: CouponTemplateBody, response: CouponTemplate, status: 201, errors: ['ALREADY_REGISTERED'],
      handler: async ({ caller, body }) => presentTemplate(await s.admin.createTemplate(await admin(caller), body)),
    }),
    route({
      method: 'get', path: '/api/v1/admin/coupon-templates/:id', tag, summary: 'One coupon template', auth: 'admin',
      params: AdminIdParams, response: CouponTemplate, errors: ['NOT_FOUND'],
      handler: async ({ caller, params }) => (await admin(caller), presentTemplate(await s.admin.template(params.id))),
    }),
    route({
      method: 'patch', path: '/api/v1/admin/coupon-templates/:id', tag, summary: 'Change a coupon template (issued coupons keep their terms)', auth: 'admin',
      params: AdminIdParams, body: CouponTemplatePatch, response: CouponTemplate, errors: ['NOT_FOUND'],
      handler: async ({ caller, params, body }) => presentTemplate(await s.admin.updateTemplate(await admin(caller), params.id, body)),
    }),
    route({
      method: 'get', path: '/api/v1/admin/mall-items', tag, summary: 'Mall items, on sale or not', auth: 'admin',
      response: z.array(AdminMallItem),
      handler: async ({ caller }) => (await admin(caller), (await s.admin.listItems()).map(presentAdminItem)),
    }),
    route({
      method: 'post', path: '/api/v1/admin/mall-items', tag, summary: 'Create a mall item', auth: 'admin',
      body: MallItemBody, response: AdminMallItem, status: 201,
      handler: async ({ caller, body }) => presentAdminItem(await s.admin.createItem(await admin(caller), body)),
    }),
    route({
      method: 'get', path: '/api/v1/admin/mall-items/:id', tag, summary: 'One mall item', auth: 'admin',
      params: AdminIdParams, response: AdminMallItem, errors: ['NOT_FOUND'],
      handler: async ({ caller, params }) => (await admin(caller), presentAdminItem(await s.admin.item(params.id))),
    }),
    route({
      method: 'patch', path: '/api/v1/admin/mall-items/:id', tag, summary: 'Change a mall item; stock moves by stockDelta', auth: 'admin',
      params: AdminIdParams, body: MallItemPatch, response: AdminMallItem, errors: ['NOT_FOUND', 'OUT_OF_STOCK'],
      handler: async ({ caller, params, body }) => presentAdminItem(await s.admin.updateItem(await admin(caller), params.id, body)),
    }),
    route({
      method: 'delete', path: '/api/v1/admin/mall-items/:id', tag, summary: 'Withdraw a mall item (kept for its redemptions)', auth: 'admin',
      params: AdminIdParams, response: AdminMallItem, errors: ['NOT_FOUND'],
      handler: async ({ caller, params }) => presentAdminItem(await s.admin.deactivateItem(await admin(caller), params.id)),
    }),
    route({
      method: 'post', path: '/api/v1/admin/members/:id/coupons', tag, summary: 'Grant a coupon to a member (Idempotency-Key required; audit-logged)', auth: 'admin',
      params: AdminIdParams, body: CouponGrantBody, response: Coupon, status: 201, idempotent: 'required',
      errors: ['NOT_FOUND', 'OUT_OF_STOCK', 'LIMIT_REACHED', 'TIER_REQUIRED'],
      handler: async ({ caller, params, body, ctx }) => {
        const actor = await admin(caller);
        const member = await s.members.byId(params.id).catch(() => null);
        if (!member || member.status !== 'active') throw new DomainError('NOT_FOUND', 'no such member');
        const coupon = await s.admin.grantCoupon(actor, member.id, body.templateCode, body.reason, ctx.get('idempotency-key'));
        return presentCoupon(coupon, s.clock.now());
      },
    }),
    route({
      method: 'get', path: '/api/v1/admin/audit-log', tag, summary: 'Operator actions, newest first', auth: 'admin',
      response: z.array(AuditEntry),
      handler: async ({ caller }) => {
        await admin(caller);
        return (await s.admin.auditLog()).map((a) => ({ ...a, details: JSON.parse(a.details) as Record<string, unknown>, createdAt: a.createdAt.toISOString() }));
      },
    }),
  ];
}

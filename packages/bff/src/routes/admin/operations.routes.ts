import {
  AdminCampaign,
  AdminIdParams,
  AdminMember,
  AdminMemberDetail,
  AdminMemberQuery,
  AdminStaff,
  AdminStore,
  CampaignBody,
  CampaignPatch,
  Paths,
  PointsAdjustment,
  PointsAdjustmentBody,
  ReportQuery,
  ReportSummary,
  StaffBody,
  StaffListQuery,
  StaffPatch,
  StoreBody,
  StorePatch,
  type LoyaltyConfig,
} from '@member/shared';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route';
import { presentAdminLedgerEntry, presentAdminMember, presentCampaign, presentStaff, presentStore } from '../../presenters';
import type { AdminService } from '../../services/admin.service';
import type { CampaignService } from '../../services/campaign.service';

const tag = 'admin';
const admin = { audience: 'admin' } as const;

/** Operators' members, stores and staff, campaigns and KPIs: admin tokens only, every write audit-logged. */
export function operationsRoutes(d: { admin: AdminService; campaigns: CampaignService; loyalty: LoyaltyConfig }): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: Paths.adminMemberAdjustments,
      tag,
      summary: 'Adjust a member’s points by hand (Idempotency-Key required; credits are new lots, debits never go below zero; audit-logged with the reason)',
      auth: admin,
      params: AdminIdParams,
      body: PointsAdjustmentBody,
      response: PointsAdjustment,
      status: 201,
      idempotent: 'required',
      errors: ['NOT_FOUND', 'POINTS_INSUFFICIENT', 'IDEMPOTENCY_MISMATCH'],
      handler: async ({ caller, params, body, idempotencyKey }) => {
        const e = await d.admin.adjustPoints(caller.staffId, params.id, body, idempotencyKey ?? '');
        return {
          entryId: e.id,
          memberId: e.memberId,
          points: e.delta,
          balanceAfter: e.balanceAfter,
          reason: body.reason,
          createdAt: e.createdAt.toISOString(),
          expiresAt: e.delta > 0 && e.expiresAt ? e.expiresAt.toISOString() : null,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.adminMembers,
      tag,
      summary: 'Find members by 10-digit member reference, full mobile number (matched by hash; shown masked) or nickname prefix (audit-logged)',
      auth: admin,
      query: AdminMemberQuery,
      response: AdminMember,
      paged: true,
      handler: async ({ caller, query }) => {
        const page = await d.admin.searchMembers(caller.staffId, query.query, query.cursor, query.limit);
        return { items: page.rows.map((v) => presentAdminMember(v.member, d.loyalty, v.phone)), nextCursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.adminMember,
      tag,
      summary: 'One member: balance, tier, growth and recent points ledger (audit-logged)',
      auth: admin,
      params: AdminIdParams,
      response: AdminMemberDetail,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, params }) => {
        const v = await d.admin.member(caller.staffId, params.id);
        return {
          ...presentAdminMember(v.member, d.loyalty, v.phone),
          birthday: v.member.birthday,
          nextExpiryAt: v.member.nextExpiryAt ? v.member.nextExpiryAt.toISOString() : null,
          recentLedger: v.recentLedger.map(presentAdminLedgerEntry),
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: Paths.adminStores,
      tag,
      summary: 'Stores',
      auth: admin,
      response: z.array(AdminStore),
      handler: async () => (await d.admin.listStores()).map(presentStore),
    }),
    defineRoute({
      method: 'post',
      path: Paths.adminStores,
      tag,
      summary: 'Create a store',
      auth: admin,
      body: StoreBody,
      response: AdminStore,
      status: 201,
      handler: async ({ caller, body }) => presentStore(await d.admin.createStore(caller.staffId, body.name)),
    }),
    defineRoute({
      method: 'patch',
      path: Paths.adminStore,
      tag,
      summary: 'Rename a store',
      auth: admin,
      params: AdminIdParams,
      body: StorePatch,
      response: AdminStore,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, params, body }) => presentStore(await d.admin.renameStore(caller.staffId, params.id, body.name)),
    }),

    defineRoute({
      method: 'get',
      path: Paths.adminStaff,
      tag,
      summary: 'Staff accounts, newest first (never their passwords)',
      auth: admin,
      query: StaffListQuery,
      response: AdminStaff,
      paged: true,
      handler: async ({ query }) => {
        const page = await d.admin.listStaff(query.storeId, query.cursor, query.limit);
        return { items: page.rows.map(presentStaff), nextCursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'post',
      path: Paths.adminStaff,
      tag,
      summary: 'Create a staff account',
      auth: admin,
      body: StaffBody,
      response: AdminStaff,
      status: 201,
      errors: ['USERNAME_TAKEN'],
      handler: async ({ caller, body }) => presentStaff(await d.admin.createStaff(caller.staffId, body)),
    }),
    defineRoute({
      method: 'get',
      path: Paths.adminStaffMember,
      tag,
      summary: 'One staff account',
      auth: admin,
      params: AdminIdParams,
      response: AdminStaff,
      errors: ['NOT_FOUND'],
      handler: async ({ params }) => presentStaff(await d.admin.staffMember(params.id)),
    }),
    defineRoute({
      method: 'patch',
      path: Paths.adminStaffMember,
      tag,
      summary: 'Move, re-role, set a new password or (de)activate a staff account; its tokens stop working when deactivated, moved or re-roled',
      auth: admin,
      params: AdminIdParams,
      body: StaffPatch,
      response: AdminStaff,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, params, body }) => presentStaff(await d.admin.updateStaff(caller.staffId, params.id, body)),
    }),
    defineRoute({
      method: 'delete',
      path: Paths.adminStaffMember,
      tag,
      summary: 'Deactivate a staff account (kept for the orders it took)',
      auth: admin,
      params: AdminIdParams,
      response: AdminStaff,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, params }) => presentStaff(await d.admin.updateStaff(caller.staffId, params.id, { active: false })),
    }),

    defineRoute({
      method: 'get',
      path: Paths.adminCampaigns,
      tag,
      summary: 'Points campaigns created by operators (the configured ones are in /rules)',
      auth: admin,
      response: z.array(AdminCampaign),
      handler: async () => (await d.campaigns.list()).map(presentCampaign),
    }),
    defineRoute({
      method: 'post',
      path: Paths.adminCampaigns,
      tag,
      summary: 'Create a points campaign (a day of the month and/or a window of business days, a multiplier)',
      auth: admin,
      body: CampaignBody,
      response: AdminCampaign,
      status: 201,
      errors: ['CAMPAIGN_CODE_TAKEN'],
      handler: async ({ caller, body }) => presentCampaign(await d.campaigns.create(caller.staffId, body)),
    }),
    defineRoute({
      method: 'get',
      path: Paths.adminCampaign,
      tag,
      summary: 'One points campaign',
      auth: admin,
      params: AdminIdParams,
      response: AdminCampaign,
      errors: ['NOT_FOUND'],
      handler: async ({ params }) => presentCampaign(await d.campaigns.byId(params.id)),
    }),
    defineRoute({
      method: 'patch',
      path: Paths.adminCampaign,
      tag,
      summary: 'Change a points campaign (orders already taken keep their multiplier)',
      auth: admin,
      params: AdminIdParams,
      body: CampaignPatch,
      response: AdminCampaign,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, params, body }) => presentCampaign(await d.campaigns.update(caller.staffId, params.id, body)),
    }),
    defineRoute({
      method: 'delete',
      path: Paths.adminCampaign,
      tag,
      summary: 'End a points campaign (kept, inactive)',
      auth: admin,
      params: AdminIdParams,
      response: AdminCampaign,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, params }) => presentCampaign(await d.campaigns.deactivate(caller.staffId, params.id)),
    }),

    defineRoute({
      method: 'get',
      path: Paths.adminReportSummary,
      tag,
      summary: 'KPIs over business days from…to (inclusive): members, tiers, points, coupons, check-ins, referrals, mall',
      auth: admin,
      query: ReportQuery,
      response: ReportSummary,
      handler: ({ query }) => d.admin.summary(query.from, query.to),
    }),
  ];
}

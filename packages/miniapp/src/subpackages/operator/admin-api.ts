import Taro from '@tarojs/taro';
import type {
  AdminCampaign,
  AdminMallItem,
  AdminStaff,
  AdminStore,
  CampaignBody,
  CampaignPatch,
  StaffBody,
  StaffPatch,
  AdminMember,
  AdminMemberDetail,
  AuditEntry,
  JobRun,
  JobSummary,
  CouponTemplate,
  CouponTemplateBody,
  CouponTemplatePatch,
  MallItemBody,
  MallItemPatch,
  PointsAdjustment,
  PointsAdjustmentBody,
  ReportSummary,
} from '@member/shared/api';

import { pathTo } from '@member/shared/api/paths';
import { ApiError, hasCode } from '../../services/api-error';
import { send, type Method } from '../../services/request';
import { signOut, STAFF_LOGIN_URL, staffSession } from '../../services/staff';

/** The operator area's home (the dashboard): where staff sign-in returns with `next=operator`. */
export const OPERATOR_HOME = '/subpackages/operator/dashboard/index';
/** The staff sign-in page, coming back to the operator area afterwards. */
export const OPERATOR_LOGIN_URL = `${STAFF_LOGIN_URL}?next=operator`;

export interface Paged<T> {
  data: T[];
  nextCursor: string | null;
}

/** One admin call with the staff token; a lapsed session goes back to sign-in (and then here). */
async function adminSend<T>(method: Method, path: string, opts: { body?: unknown; idempotencyKey?: string } = {}): Promise<T> {
  const session = staffSession();
  if (!session) {
    void Taro.redirectTo({ url: OPERATOR_LOGIN_URL });
    throw new ApiError(401, 'UNAUTHENTICATED', 'staff sign-in required');
  }
  try {
    return await send<T>(method, path, opts, session);
  } catch (e) {
    if (hasCode(e, 'UNAUTHENTICATED')) {
      signOut();
      void Taro.redirectTo({ url: OPERATOR_LOGIN_URL });
    }
    throw e;
  }
}

const data = <T>(method: Method, path: string, opts?: { body?: unknown; idempotencyKey?: string }) =>
  adminSend<{ data: T }>(method, path, opts).then((r) => r.data);

export const adminApi = {
  summary: (from: string, to: string) => data<ReportSummary>('GET', pathTo('adminReportSummary', undefined, { from, to })),

  mallItems: () => data<AdminMallItem[]>('GET', pathTo('adminMallItems')),
  createMallItem: (body: MallItemBody) => data<AdminMallItem>('POST', pathTo('adminMallItems'), { body }),
  updateMallItem: (id: string, body: MallItemPatch) => data<AdminMallItem>('PATCH', pathTo('adminMallItem', { id }), { body }),

  templates: () => data<CouponTemplate[]>('GET', pathTo('adminCouponTemplates')),
  createTemplate: (body: CouponTemplateBody) => data<CouponTemplate>('POST', pathTo('adminCouponTemplates'), { body }),
  updateTemplate: (id: string, body: CouponTemplatePatch) => data<CouponTemplate>('PATCH', pathTo('adminCouponTemplate', { id }), { body }),

  searchMembers: (query: string, cursor?: string) =>
    adminSend<Paged<AdminMember>>('GET', pathTo('adminMembers', undefined, cursor ? { query, cursor } : { query })),
  member: (id: string) => data<AdminMemberDetail>('GET', pathTo('adminMember', { id })),
  /** One adjustment per key: a retried or double-tapped submit with the same key applies once. */
  adjustPoints: (id: string, body: PointsAdjustmentBody, idempotencyKey: string) =>
    data<PointsAdjustment>('POST', pathTo('adminMemberAdjustments', { id }), { body, idempotencyKey }),
  auditLog: (filter: { cursor?: string; targetType?: string; targetId?: string }) => {
    const query = Object.fromEntries(Object.entries(filter).filter(([, v]) => v)) as Record<string, string>;
    return adminSend<Paged<AuditEntry>>('GET', pathTo('adminAuditLog', undefined, query));
  },

  campaigns: () => data<AdminCampaign[]>('GET', pathTo('adminCampaigns')),
  createCampaign: (body: CampaignBody) => data<AdminCampaign>('POST', pathTo('adminCampaigns'), { body }),
  updateCampaign: (id: string, body: CampaignPatch) => data<AdminCampaign>('PATCH', pathTo('adminCampaign', { id }), { body }),

  stores: () => data<AdminStore[]>('GET', pathTo('adminStores')),
  createStore: (name: string) => data<AdminStore>('POST', pathTo('adminStores'), { body: { name } }),
  renameStore: (id: string, name: string) => data<AdminStore>('PATCH', pathTo('adminStore', { id }), { body: { name } }),
  staff: (cursor?: string) => adminSend<Paged<AdminStaff>>('GET', pathTo('adminStaff', undefined, { cursor, limit: 100 })),
  createStaff: (body: StaffBody) => data<AdminStaff>('POST', pathTo('adminStaff'), { body }),
  updateStaff: (id: string, body: StaffPatch) => data<AdminStaff>('PATCH', pathTo('adminStaffMember', { id }), { body }),

  jobs: () => data<JobSummary[]>('GET', pathTo('adminJobs')),
  runJob: (name: string) => data<JobRun>('POST', pathTo('adminJobRun', { name }), { body: {} }),
};

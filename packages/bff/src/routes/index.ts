import type { AppConfig } from '../config/config';
import type { AnyRoute } from '../http/route';
import type { TokenService } from '../http/tokens';
import type { WechatClient } from '../integrations/wechat';
import type { Services } from '../services';
import { ManagerApproval } from '../services/refund-approval';
import type { JobsService } from '../services/jobs.service';
import { adminRoutes } from './admin/admin.routes';
import { adminJobsRoutes } from './admin/jobs.routes';
import { authRoutes } from './auth/auth.routes';
import { counterRoutes } from './counter/counter.routes';
import { engagementRoutes } from './engagement/engagement.routes';
import { mallRoutes } from './mall/mall.routes';
import { meRoutes } from './me/me.routes';
import { membersRoutes } from './members/members.routes';
import { staffRoutes } from './staff/staff.routes';
import { systemRoutes } from './system/system.routes';

/**
 * The contract's routes, grouped as the contract groups them (docs/api.md). Each group receives only the services it
 * calls.
 */
export function allRoutes(s: Services, x: { tokens: TokenService; wechat: WechatClient; config: Pick<AppConfig, 'devLogin'>; jobs: JobsService }): AnyRoute[] {
  const { loyalty, runtime, clock } = s;
  return [
    ...systemRoutes({ loyalty, campaigns: s.campaigns }),
    ...authRoutes({ members: s.members, wechat: x.wechat, tokens: x.tokens, limits: s.limits, loyalty, runtime, devLogin: x.config.devLogin }),
    ...membersRoutes({ members: s.members, loyalty }),
    ...meRoutes({
      members: s.members,
      coupons: s.coupons,
      counter: s.counter,
      mall: s.mall,
      checkins: s.checkins,
      reviews: s.reviews,
      notifications: s.notifications,
      loyalty,
      clock,
    }),
    ...mallRoutes({ mall: s.mall, clock }),
    ...engagementRoutes({ shares: s.shares, referrals: s.referrals, inviteQrcode: s.inviteQrcode, heldRewards: s.heldRewards }),
    ...staffRoutes({ staff: s.staff, tokens: x.tokens, staffLogin: s.limits.staffLogin, runtime }),
    ...counterRoutes({ counter: s.counter, mall: s.mall, loyalty, clock, approvals: new ManagerApproval(s.staff, x.tokens) }),
    ...adminRoutes({ admin: s.admin, campaigns: s.campaigns, loyalty, clock }),
    ...adminJobsRoutes({ jobs: x.jobs }),
  ];
}

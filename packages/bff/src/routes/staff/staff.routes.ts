import { Paths, StaffSession, StaffSessionBody } from '@member/shared';
import type { RuntimeConfig } from '../../config/config';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { RateLimit } from '../../lib/rate-limit';
import type { TokenService } from '../../http/tokens';
import { presentStaffSession } from '../../presenters';
import type { StaffService } from '../../services/staff.service';

/** Staff sign-in: cashiers and managers get a staff token, admins an admin token. */
export function staffRoutes(d: { staff: StaffService; tokens: TokenService; staffLogin: RateLimit; runtime: RuntimeConfig }): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: Paths.staffSessions,
      tag: 'staff',
      summary: 'Staff sign-in (wrong passwords lock the username at that address, with back-off); admins get an admin token',
      auth: 'public',
      body: StaffSessionBody,
      response: StaffSession,
      rateLimit: { limit: d.staffLogin, by: 'ip' },
      cacheControl: 'no-store',
      errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
      handler: async ({ body, clientAddress }) => {
        const staff = await d.staff.signIn(body.username, body.password, clientAddress);
        const aud = staff.role === 'admin' ? 'admin' : 'staff';
        const { token, expiresAt } = d.tokens.issue({ aud, sub: staff.id, store: staff.storeId, role: staff.role }, d.runtime.auth.staffTokenTtlSeconds);
        return presentStaffSession(staff, await d.staff.storeName(staff.storeId), { token, expiresAt });
      },
    }),
  ];
}

import { DomainError, type StaffRole } from '@member/shared';
import type { Middleware } from 'koa';
import type { AuthSpec, Caller } from '../route';
import type { TokenService } from '../tokens';
import { routeState } from './state';

export interface AuthDeps {
  tokens: TokenService;
  /** Refuses a staff token whose account was disabled or changed since it was issued. */
  staffAccess: { assertStillValid(claims: { staffId: string; storeId: string; role: StaffRole; issuedAt: number }): Promise<void> };
}

const BEARER = /^bearer ([A-Za-z0-9._-]+)$/i; // the scheme is case-insensitive (RFC 9110)

/**
 * Resolves the caller a route declares: no token on public routes; otherwise a valid token of the
 * route's audience (401 without or with a bad one, 403 for another audience or a role the route
 * does not allow). The handler receives the caller typed and never null.
 */
export function authenticate(auth: AuthSpec, deps: AuthDeps): Middleware {
  return async (ctx, next) => {
    const state = routeState(ctx);
    state.caller = auth === 'public' ? null : await callerOf(ctx.get('authorization'), auth, deps);
    await next();
  };
}

async function callerOf(header: string, auth: Exclude<AuthSpec, 'public'>, deps: AuthDeps): Promise<Caller> {
  const m = BEARER.exec(header);
  if (!m) throw new DomainError('UNAUTHENTICATED', 'missing bearer token');
  const claims = deps.tokens.verify(m[1]);
  if (claims.aud !== auth.audience) throw new DomainError('FORBIDDEN', `this route needs ${auth.audience === 'admin' ? 'an' : 'a'} ${auth.audience} token`);
  if (claims.aud === 'member') return { audience: 'member', memberId: claims.sub };
  const caller = { audience: claims.aud, staffId: claims.sub, storeId: claims.store, role: claims.role } as const;
  await deps.staffAccess.assertStillValid({ ...caller, issuedAt: claims.issuedAt });
  if (auth.audience === 'staff' && auth.roles && !auth.roles.includes(caller.role)) {
    throw new DomainError('FORBIDDEN', `needs role ${auth.roles.join(' or ')}`);
  }
  return caller;
}

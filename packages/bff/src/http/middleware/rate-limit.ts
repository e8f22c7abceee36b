import type { Middleware } from 'koa';
import type { AnyRoute } from '../route';

/** Applies a route's rate limit (per client IP, shared by the routes that share the limit) before anything else. */
export function rateLimited(route: AnyRoute): Middleware {
  return async (ctx, next) => {
    if (route.rateLimit) await route.rateLimit.limit.consume(`ip:${ctx.ip}`);
    await next();
  };
}

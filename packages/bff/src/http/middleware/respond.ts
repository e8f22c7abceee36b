import type { Middleware } from 'koa';
import type { AnyRoute, Page } from '../route';
import { routeState } from './state';

/**
 * Calls the handler with the typed caller and validated input, and wraps what it returns in the
 * contract's envelope: `{data}`, or `{data: [...], nextCursor}` for lists (null when not paged).
 * Anything carrying a caller's data is `Cache-Control: no-store`.
 */
export function respond(route: AnyRoute): Middleware {
  return async (ctx) => {
    const state = routeState(ctx);
    const result = await route.handler({
      caller: state.caller,
      body: state.body,
      query: state.query,
      params: state.params,
      idempotencyKey: state.idempotencyKey,
      replayed: () => {
        state.replayed = true;
      },
    });
    ctx.status = route.status ?? 200;
    if (route.paged) {
      const page = result as Page<unknown>;
      ctx.body = { data: page.items, nextCursor: page.nextCursor };
    } else {
      ctx.body = Array.isArray(result) ? { data: result, nextCursor: null } : { data: result };
    }
    ctx.set('Cache-Control', route.auth === 'public' ? (route.cacheControl ?? 'no-cache') : 'no-store');
    if (state.replayed) ctx.set('Idempotent-Replayed', 'true');
  };
}

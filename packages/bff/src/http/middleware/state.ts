import type { Context } from 'koa';
import type { AnyRoute, Caller } from '../route';

/** What the route middlewares hand each other, on `ctx.state`. */
export interface RouteState {
  route: AnyRoute;
  caller: Caller | null;
  body: unknown;
  query: unknown;
  params: unknown;
  idempotencyKey: string | null;
  replayed: boolean;
}

export function routeState(ctx: Context): RouteState {
  return ctx.state;
}

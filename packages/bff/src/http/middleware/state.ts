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
  /** Set by the idempotency middleware: runs the handler at most once per key (see idempotency.ts). */
  once?: (produce: () => Promise<Reply>) => Promise<Reply & { replayed: boolean }>;
}

/** A response as the envelope made it. */
export interface Reply {
  status: number;
  body: unknown;
  /** The media type of a file body (binary routes); JSON otherwise. */
  type?: string;
}

export function routeState(ctx: Context): RouteState {
  return ctx.state;
}

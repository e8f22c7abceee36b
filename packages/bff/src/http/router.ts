import type { Router } from '@koa/router';
import type { Db } from '../db/db';
import type { IdempotencyRepository } from '../db/repositories';
import { authenticate, type AuthDeps } from './middleware/auth';
import { idempotency } from './middleware/idempotency';
import { rateLimited } from './middleware/rate-limit';
import { respond } from './middleware/respond';
import { routeState } from './middleware/state';
import { validate } from './middleware/validate';
import type { AnyRoute } from './route';

export interface MountDeps extends AuthDeps {
  db: Db;
  idempotencyRecords: IdempotencyRepository;
}

/**
 * Mounts declared routes: rate limit → caller → validation → idempotency → handler and envelope,
 * each a small middleware of its own (http/middleware/).
 */
export function mountRoutes(router: Router, routes: readonly AnyRoute[], deps: MountDeps): void {
  for (const route of routes) {
    router[route.method](
      route.path,
      async (ctx, next) => {
        ctx.state.routeTemplate = route.path;
        routeState(ctx).route = route;
        await next();
      },
      rateLimited(route),
      authenticate(route.auth, deps),
      validate(route),
      idempotency(route, { db: deps.db, records: deps.idempotencyRecords }),
      respond(route),
    );
  }
}

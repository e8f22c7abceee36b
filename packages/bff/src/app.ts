import { bodyParser } from '@koa/bodyparser';
import { Router } from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config';
import type { Db } from './db/db';
import { errorMiddleware } from './http/errors';
import { requestLogging } from './http/logging';
import type { AnyRoute } from './http/route';
import { mountRoutes } from './http/router';
import { TokenService } from './http/tokens';
import type { WechatClient } from './integrations/wechat';
import { systemClock, type Clock } from './lib/clock';
import { LimiterStore } from './lib/rate-limit';
import { allRoutes } from './routes';
import { mountSystemEndpoints } from './routes/system/endpoints';
import { createServices, type Services } from './services';
import { JobRunner } from './jobs/runner';
import { JobsService } from './services/jobs.service';

export interface AppDeps {
  config: Pick<AppConfig, 'loyalty' | 'runtime' | 'appSecret' | 'dataKey' | 'devLogin' | 'env' | 'redisUrl'>;
  db: Db;
  wechat: WechatClient;
  logger: Logger;
  clock?: Clock;
}

export interface App {
  app: Koa;
  services: Services;
  routes: AnyRoute[];
  tokens: TokenService;
  /** Runs the scheduled jobs under their leases (main.ts starts the scheduler over it). */
  jobRunner: JobRunner;
  /** Whether rate limits can count where configured (Redis connected); false after its connect timeout. */
  limitsReady: () => Promise<boolean>;
  /** Releases what the app holds besides the database (the Redis connection of its rate limits). */
  close: () => Promise<void>;
}

/**
 * Builds the Koa app and never listens: main.ts listens, tests drive `app.callback()`.
 */
export function createApp(deps: AppDeps): App {
  const { config, db, logger } = deps;
  const tokens = new TokenService(config.appSecret);
  const limiterStore = config.redisUrl ? LimiterStore.redis({ url: config.redisUrl, ...config.runtime.redis }, logger) : LimiterStore.memory();
  const services = createServices({
    db,
    loyalty: config.loyalty,
    runtime: config.runtime,
    clock: deps.clock ?? systemClock,
    dataKey: config.dataKey,
    wechat: deps.wechat,
    logger,
    limiterStore,
    rawPhoneAllowed: config.env !== 'production',
  });
  const jobRunner = new JobRunner(services);
  const jobs = new JobsService(jobRunner, services.repos, config.runtime.jobs, config.loyalty.businessTimeZone, services.clock, config.env !== 'production');
  const routes = allRoutes(services, { tokens, wechat: deps.wechat, config, jobs });

  const app = new Koa({ proxy: config.runtime.http.trustProxy, maxIpsCount: config.runtime.http.proxyHops });
  app.silent = true;
  app.use(requestLogging(logger));
  app.use(errorMiddleware(logger));
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    await next();
  });
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: `${config.runtime.http.bodyLimitKb}kb`,
      encoding: 'utf-8',
      onError: (err) => {
        const status = (err as { status?: number }).status === 413 ? 413 : 400;
        throw Object.assign(err, { status, expose: true, message: status === 413 ? 'request body is too large' : 'request body is not valid JSON' });
      },
    }),
  );

  const router = new Router();
  mountSystemEndpoints(router, routes, () => db.ping());
  mountRoutes(router, routes, { db, tokens, staffAccess: services.staff, idempotencyRecords: services.repos.idempotency });
  app.use(router.routes());
  return { app, services, routes, tokens, jobRunner, limitsReady: () => limiterStore.ready(), close: () => limiterStore.close() };
}

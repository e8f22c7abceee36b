import { bodyParser } from '@koa/bodyparser';
import { Router } from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config';
import type { Db } from './db/db';
import { errorMiddleware } from './http/errors';
import { requestLogging } from './http/logging';
import { mount, openApiDocument, type AnyRoute } from './http/route';
import { TokenService } from './http/tokens';
import type { WechatClient } from './integrations/wechat';
import { adminRoutes } from './routes/admin.routes';
import { counterRoutes } from './routes/counter.routes';
import { mallRoutes } from './routes/mall.routes';
import { memberRoutes } from './routes/member.routes';
import { systemRoutes } from './routes/system.routes';
import { docsPage } from './routes/docs-page';
import { systemClock, type Clock } from './services/clock';
import { createServices, type Services } from './services';

export interface AppDeps {
  config: Pick<AppConfig, 'loyalty' | 'runtime' | 'appSecret' | 'dataKey' | 'devLogin' | 'env'>;
  db: Db;
  wechat: WechatClient;
  logger: Logger;
  clock?: Clock;
}

/**
 * Builds the Koa app and never listens: main.ts listens, tests drive `app.callback()`.
 */
export function createApp(deps: AppDeps): { app: Koa; services: Services; routes: AnyRoute[] } {
  const { config, db, logger } = deps;
  const tokens = new TokenService(config.appSecret);
  const services = createServices({
    db,
    loyalty: config.loyalty,
    runtime: config.runtime,
    clock: deps.clock ?? systemClock,
    dataKey: config.dataKey,
    wechat: deps.wechat,
    tokens,
    logger,
    devLogin: config.devLogin,
  });
  const routes = [...systemRoutes(services), ...memberRoutes(services), ...counterRoutes(services), ...mallRoutes(services), ...adminRoutes(services)];

  const app = new Koa({ proxy: config.runtime.http.trustProxy });
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
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    try {
      await db.dataSource.query('SELECT 1');
      ctx.body = { status: 'ok' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'unavailable' };
    }
  });
  const openapi = openApiDocument(routes, { title: 'Member Center BFF', version: '1' });
  router.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = docsPage();
  });
  mount(router, routes, { db, tokens });
  app.use(router.routes());
  return { app, services, routes };
}

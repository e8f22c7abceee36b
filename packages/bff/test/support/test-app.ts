import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { ErrorBody, generateMemberCode } from '@member/shared';
import request from 'supertest';
import type { Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { createTestDatabase } from '@member/bff/testing';
import { createApp } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { createDataSource, openDataSource } from '../../src/db/data-source';
import { BATCH_SEPARATOR, Db } from '../../src/db/db';
import { createLogger } from '../../src/http/logging';
import { successBodySchema } from '../../src/http/openapi';
import type { AnyRoute } from '../../src/http/route';
import { mountRoutes } from '../../src/http/router';
import { routeState } from '../../src/http/middleware/state';
import { HttpWechatClient } from '../../src/integrations/wechat';
import type { Services } from '../../src/services';
import { TestClock } from './clock';
import { FakeWechat } from './fake-wechat';
import { factories } from './factories';
import { checkInvariants } from './invariants';
import { recordServerError } from './server-errors';

export { allowServerErrors } from './server-errors';

export interface TestAppOptions {
  dialect?: 'mysql' | 'sqlite';
  devLogin?: boolean;
  tweak?: (c: AppConfig) => void;
  /** Load the configuration as production does (`NODE_ENV=production`, so no dev login); MariaDB only. */
  production?: boolean;
  /** Count rate limits in this Redis (shared with every app given the same URL and key prefix). */
  redisUrl?: string;
  /** Extra routes mounted beside the real ones (to exercise shared HTTP machinery). */
  extraRoutes?: (services: Services) => AnyRoute[];
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** Counts the statements TypeORM sends, for the statement-budget tests. */
class StatementLog implements TypeOrmLogger {
  statements: string[] = [];
  logQuery(query: string): void {
    this.statements.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/**
 * The real app over a real database: a fresh MariaDB database per test file (so Jest workers
 * never share state) migrated with the production migrations, or a fresh SQLite file; a fake
 * WeChat server on loopback; a clock tests can pin; the log captured for inspection; and every
 * response checked against the schema its route declares (`contractViolations`).
 */
export async function startTestApp(opts: TestAppOptions = {}) {
  const dialect = opts.dialect ?? 'mysql';
  const database = dialect === 'mysql' ? await createTestDatabase('mc_test') : null;
  const wechat = new FakeWechat();
  await wechat.start();
  if (opts.production && !database) throw new Error('a production app runs on MariaDB');
  const config = loadConfig({
    NODE_ENV: opts.production ? 'production' : 'test',
    ...(opts.production && database ? { DB_URL: database.url } : {}),
    APP_SECRET: randomBytes(32).toString('hex'),
    DATA_KEY: randomBytes(32).toString('hex'),
    WECHAT_APPID: wechat.appId,
    WECHAT_SECRET: wechat.secret,
    WECHAT_BASE_URL: wechat.baseUrl,
    DEV_LOGIN: String(opts.devLogin ?? true),
    LOG_LEVEL: 'info',
    ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
  });
  // Generous limits by default; tests of rate limiting set their own.
  const generous = { points: 10_000, durationSeconds: 60 };
  Object.assign(config.runtime.rateLimits, {
    memberLogin: generous,
    devLogin: generous,
    staffLogin: generous,
    invalidCodes: { perStaff: generous, perStore: generous },
    registrationWithPhone: { perMember: generous, perAddress: generous },
    checkin: { perMember: generous, perAddress: generous },
    shareVisits: { perMember: generous, perAddress: generous },
    registrationWithInvite: { perMember: generous, perAddress: generous },
    inviteQrcode: { perMember: generous },
  });
  // Short, so the tests of a hanging WeChat finish quickly, but not so short that a loaded 2-core
  // machine misses it on a real answer (1 s did: a fresh access token plus a code image under load).
  config.runtime.wechat.timeoutMs = 3000;
  // The cheapest scrypt cost the settings allow: hashing speed is not what these tests measure.
  config.runtime.staffAuth.scryptCost = 1024;
  opts.tweak?.(config);

  const sqlitePath = `/tmp/mc_test_${randomBytes(4).toString('hex')}.sqlite`;
  const statementLog = new StatementLog();
  const dataSource = await openDataSource(createDataSource({ dbUrl: database?.url ?? null, sqlitePath, poolSize: 20, logger: statementLog }));
  await dataSource.runMigrations({ transaction: 'each' });
  const db = new Db(dataSource, config.runtime.db.deadlockRetries);

  const logLines: string[] = [];
  const logger = createLogger(
    config.logLevel,
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(chunk.toString());
        cb();
      },
    }),
  );
  const clock = new TestClock();
  const wechatClient = new HttpWechatClient({
    baseUrl: wechat.baseUrl,
    appId: wechat.appId,
    secret: wechat.secret,
    timeoutMs: config.runtime.wechat.timeoutMs,
  });
  const built = createApp({ config, db, wechat: wechatClient, logger, clock });
  await built.limitsReady();

  // Every response is parsed with the schema its route declares (errors with the error schema),
  // so the OpenAPI document generated from those schemas cannot drift from what is served; and
  // every response of a route with a caller, and every error, must be `Cache-Control: no-store`.
  const contractViolations: string[] = [];
  built.app.middleware.unshift(async (ctx, next) => {
    await next();
    const route = (routeState(ctx) as { route?: AnyRoute }).route;
    const where = `${ctx.method} ${ctx.path} → ${ctx.status}`;
    if (ctx.status >= 500) recordServerError(ctx.status, `${where} ${JSON.stringify(ctx.body)}`);
    if (ctx.status >= 200 && ctx.status < 300 && route) {
      const r = successBodySchema(route).safeParse(ctx.body);
      if (!r.success) contractViolations.push(`${where}: ${r.error.message}`);
      if (route.binary && !route.binary.includes(ctx.response.type))
        contractViolations.push(`${where}: a file of type ${ctx.response.type}, not ${route.binary.join(' or ')}`);
    } else if (ctx.status >= 400 && ctx.path.startsWith('/api/')) {
      const r = ErrorBody.safeParse(ctx.body);
      if (!r.success) contractViolations.push(`${where}: error body ${r.error.message}`);
    }
    // Nothing with a caller's data, and no error (it may describe an account), may be cached.
    const cacheControl = ctx.response.get('Cache-Control');
    if (((route && route.auth !== 'public') || (ctx.status >= 400 && ctx.path.startsWith('/api/'))) && cacheControl !== 'no-store') {
      contractViolations.push(`${where}: Cache-Control ${cacheControl || '(none)'}, not no-store`);
    }
  });
  if (opts.extraRoutes) {
    const { Router } = await import('@koa/router');
    const router = new Router();
    mountRoutes(router, opts.extraRoutes(built.services), {
      db,
      tokens: built.tokens,
      staffAccess: built.services.staff,
      idempotencyRecords: built.services.repos.idempotency,
    });
    built.app.use(router.routes());
  }
  const http: TestAgent<Test> = request(built.app.callback());

  async function close(): Promise<void> {
    await built.close();
    await wechat.stop();
    if (dataSource.isInitialized) await dataSource.destroy();
    if (database) {
      await database.drop();
    } else {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlitePath}${suffix}`, { force: true });
    }
  }

  /**
   * Runs `fn` and returns the queries sent meanwhile, one per round trip to the database (a
   * transaction's batched statements are one query: see `Db`). Run nothing else concurrently.
   */
  async function roundTripsOf(fn: () => Promise<unknown>): Promise<string[]> {
    const start = statementLog.statements.length;
    await fn();
    return statementLog.statements.slice(start);
  }

  /** Runs `fn` and returns the SQL statements issued meanwhile, each on its own (run nothing else concurrently). */
  async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
    return (await roundTripsOf(fn)).flatMap((q) => q.split(BATCH_SEPARATOR));
  }

  const base = {
    http,
    config,
    db,
    dataSource,
    services: built.services,
    /** The app's route table (what is mounted, besides `extraRoutes`). */
    routes: built.routes,
    tokens: built.tokens,
    app: built.app,
    wechat,
    clock,
    logLines,
    contractViolations,
    dialect,
    close,
    statementsOf,
    roundTripsOf,
    checkInvariants: () => checkInvariants(dataSource, config.loyalty.tierReview.trailingDays),
    /**
     * The code the member's phone shows at the test clock's now (or `at`, also given alone). It carries the points
     * flag (the member switched on 使用积分抵扣) unless `usePoints: false`: tests of spending points
     * stand for a member who agreed; the refusal without consent is tested with `usePoints: false`.
     */
    codeOf: (m: { body: { codeRef: string; codeSecret: string } }, opts: Date | { at?: Date; usePoints?: boolean } = {}): string => {
      const { at = clock.now(), usePoints = true } = opts instanceof Date ? { at: opts } : opts;
      return generateMemberCode(m.body.codeRef, m.body.codeSecret, at.getTime(), config.loyalty.dynamicCode.periodSeconds, usePoints).code;
    },
  };
  return { ...base, ...factories(base) };
}

/**
 * One test app for a test file, with the hooks every integration test wants: after each test the
 * points invariants are checked, every response must have matched its declared schema, and the
 * clock follows real time again. Use the returned object inside tests (it is filled in beforeAll).
 */
export function useTestApp(opts: TestAppOptions = {}): TestApp {
  let app: TestApp | null = null;
  beforeAll(async () => {
    app = await startTestApp(opts);
  });
  afterEach(async () => {
    if (!app) return;
    app.clock.real();
    const violations = app.contractViolations.splice(0);
    if (violations.length) throw new Error(`responses that do not match their declared schema:\n${violations.join('\n')}`);
    if (app.dataSource.isInitialized) await app.checkInvariants();
  });
  afterAll(async () => {
    await app?.close();
  });
  return new Proxy({} as TestApp, {
    get(_, key) {
      if (!app) throw new Error('the test app is started in beforeAll: use it inside tests and hooks');
      return app[key as keyof TestApp];
    },
  });
}

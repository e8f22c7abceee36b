import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { generateMemberCode } from '@member/shared';
import mysql from 'mysql2/promise';
import request from 'supertest';
import type { Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { createDataSource } from '../../src/db/data-source';
import { Db } from '../../src/db/db';
import { MemberEntity, PointsLedgerEntity, PointsLotEntity } from '../../src/db/entities';
import { createLogger } from '../../src/http/logging';
import { HttpWechatClient } from '../../src/integrations/wechat';
import type { AnyRoute } from '../../src/http/route';
import { TestClock } from './clock';
import { FakeWechat } from './fake-wechat';

/** Server of the integration tests; CI and developers point TEST_DB_URL elsewhere if they need to. */
export const TEST_DB_URL = process.env.TEST_DB_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestAppOptions {
  dialect?: 'mysql' | 'sqlite';
  devLogin?: boolean;
  tweak?: (c: AppConfig) => void;
  /** Extra routes mounted beside the real ones (to exercise shared HTTP machinery). */
  extraRoutes?: (services: ReturnType<typeof createApp>['services']) => AnyRoute[];
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/**
 * The real app over a real database: a fresh MariaDB database per test file (so Jest workers
 * never share state) migrated with the production migrations, or a fresh SQLite file; a fake
 * WeChat server on loopback; a clock tests can pin; and the log captured for inspection.
 */
export async function startTestApp(opts: TestAppOptions = {}) {
  const dialect = opts.dialect ?? 'mysql';
  const dbName = `mc_test_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  if (dialect === 'mysql') {
    const admin = await mysql.createConnection(TEST_DB_URL);
    await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
  }
  const wechat = new FakeWechat();
  await wechat.start();
  const config = loadConfig({
    NODE_ENV: 'test',
    APP_SECRET: randomBytes(32).toString('hex'),
    DATA_KEY: randomBytes(32).toString('hex'),
    WECHAT_APPID: wechat.appId,
    WECHAT_SECRET: wechat.secret,
    WECHAT_BASE_URL: wechat.baseUrl,
    DEV_LOGIN: String(opts.devLogin ?? true),
    LOG_LEVEL: 'info',
  });
  // Generous limits by default; tests of rate limiting set their own.
  config.runtime.rateLimits.auth = { points: 10_000, durationSeconds: 60 };
  config.runtime.wechat.timeoutMs = 1000;
  // The cheapest scrypt cost the settings allow: hashing speed is not what these tests measure.
  config.runtime.staffAuth.scryptCost = 1024;
  opts.tweak?.(config);

  const sqlitePath = `/tmp/${dbName}.sqlite`;
  const dataSource = createDataSource({
    dbUrl: dialect === 'mysql' ? `${TEST_DB_URL}/${dbName}` : null,
    sqlitePath,
    poolSize: 20,
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const db = new Db(dataSource, config.runtime.db.deadlockRetries);

  const logLines: string[] = [];
  const logger = createLogger(
    config.logLevel,
    new Writable({
      write(chunk, _enc, cb) {
        logLines.push(chunk.toString());
        cb();
      },
    }),
  );
  const clock = new TestClock();
  const built = createApp({
    config,
    db,
    wechat: new HttpWechatClient({ baseUrl: wechat.baseUrl, appId: wechat.appId, secret: wechat.secret, timeoutMs: config.runtime.wechat.timeoutMs }),
    logger,
    clock,
  });
  if (opts.extraRoutes) {
    const { Router } = await import('@koa/router');
    const { mount } = await import('../../src/http/route');
    const router = new Router();
    mount(router, opts.extraRoutes(built.services), { db, tokens: built.services.tokens });
    built.app.use(router.routes());
  }
  const http: TestAgent<Test> = request(built.app.callback());

  async function login(openid = `o_${randomBytes(6).toString('hex')}`) {
    const res = await http.post('/api/v1/auth/wechat').send({ code: wechat.loginCode(openid) }).expect(200);
    return { openid, token: res.body.data.token as string, body: res.body.data };
  }

  /** Logs in a new WeChat user and registers them; returns what a phone would hold. */
  async function member(overrides: Record<string, unknown> = {}) {
    const session = await login();
    const res = await http
      .post('/api/v1/members')
      .set('Authorization', `Bearer ${session.token}`)
      .send({ nickname: '小明', consentVersion: config.loyalty.privacy.consentVersion, ...overrides })
      .expect(201);
    return { ...session, id: res.body.data.id as string, member: res.body.data, auth: { Authorization: `Bearer ${session.token}` } };
  }

  const stores = new Map<string, string>();
  /** A staff account (in a store created on first mention) and its bearer header. */
  async function staff(role: 'cashier' | 'manager' | 'admin' = 'cashier', storeName = '旗舰店') {
    let storeId = stores.get(storeName);
    if (!storeId) {
      storeId = (await built.services.staff.createStore(storeName)).id;
      stores.set(storeName, storeId);
    }
    const username = `${role}_${randomBytes(4).toString('hex')}`;
    await built.services.staff.createStaff({ storeId, username, password: 'correct horse battery', role });
    const res = await http.post('/api/v1/staff/sessions').send({ username, password: 'correct horse battery' }).expect(200);
    return { username, storeId, id: res.body.data.staff.id as string, token: res.body.data.token as string, auth: { Authorization: `Bearer ${res.body.data.token}` } };
  }

  /** The code the member's phone shows at the test clock's now (or `at`). */
  function codeOf(m: { body: { codeRef: string; codeSecret: string } }, at: Date = clock.now()): string {
    return generateMemberCode(m.body.codeRef, m.body.codeSecret, at.getTime(), config.loyalty.dynamicCode.periodSeconds).code;
  }

  /** Balance = sum of ledger = sum of lot remainders (positive part), for every member. */
  async function checkInvariants(): Promise<void> {
    const members = await dataSource.manager.find(MemberEntity);
    for (const m of members) {
      const ledger = await dataSource.manager
        .createQueryBuilder(PointsLedgerEntity, 'e')
        .select('COALESCE(SUM(e.delta), 0)', 's')
        .where('e.memberId = :id', { id: m.id })
        .getRawOne<{ s: string | number }>();
      const lots = await dataSource.manager
        .createQueryBuilder(PointsLotEntity, 'l')
        .select('COALESCE(SUM(l.remaining), 0)', 's')
        .addSelect('COALESCE(MIN(l.remaining), 0)', 'min')
        .where('l.memberId = :id', { id: m.id })
        .getRawOne<{ s: string | number; min: string | number }>();
      const last = await dataSource.manager.findOne(PointsLedgerEntity, { where: { memberId: m.id }, order: { id: 'DESC' } });
      const problems: string[] = [];
      if (Number(ledger?.s) !== m.pointsBalance) problems.push(`ledger sum ${ledger?.s} ≠ balance ${m.pointsBalance}`);
      if (Number(lots?.s) !== Math.max(m.pointsBalance, 0)) problems.push(`lot remainders ${lots?.s} ≠ max(balance, 0) ${Math.max(m.pointsBalance, 0)}`);
      if (Number(lots?.min) < 0) problems.push('a lot has a negative remainder');
      if (last && last.balanceAfter !== m.pointsBalance) problems.push(`last balanceAfter ${last.balanceAfter} ≠ balance ${m.pointsBalance}`);
      if (problems.length) throw new Error(`points invariants broken for member ${m.id}: ${problems.join('; ')}`);
    }
  }

  async function close(): Promise<void> {
    await wechat.stop();
    if (dataSource.isInitialized) await dataSource.destroy();
    if (dialect === 'mysql') {
      const admin = await mysql.createConnection(TEST_DB_URL);
      await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await admin.end();
    } else {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlitePath}${suffix}`, { force: true });
    }
  }

  return { http, config, db, dataSource, services: built.services, app: built.app, wechat, clock, logLines, login, member, staff, codeOf, checkInvariants, close, dialect };
}

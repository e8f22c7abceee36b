/* eslint-disable no-console -- a benchmark reports on stdout */
/**
 * `pnpm bench`: throughput and p99 of BFF paths beside baselines measured in the same run, on the
 * same machine and database, so the ratios mean something even though absolute numbers drift.
 *
 *   member card   GET /api/v1/me (auth, 3 queries, expiry settlement) vs bare Koa returning JSON
 *   points credit one PointsService.credit per request (member lock, balance, ledger, lot)
 *                 vs bare Koa + mysql2: one UPDATE + one INSERT in a transaction
 *   counter order POST /api/v1/counter/orders: verify the dynamic code, re-price, record the
 *                 order, burn the code window, credit points and growth — vs the same baseline
 *
 * Load comes from autocannon on loopback, bounded by duration. BENCH_DB_URL picks the server
 * (default: the local MariaDB); BENCH_SECONDS and BENCH_CONNECTIONS size the runs.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '@koa/router';
import autocannon from 'autocannon';
import Koa from 'koa';
import mysql from 'mysql2/promise';
import { generateMemberCode } from '@member/shared';
import { createApp } from '../src/app';
import { MemberEntity, type MemberRow } from '../src/db/entities';
import { loadConfig } from '../src/config/config';
import { createDataSource } from '../src/db/data-source';
import { Db } from '../src/db/db';
import { createLogger } from '../src/http/logging';
import { mount, route } from '../src/http/route';
import type { WechatClient } from '../src/integrations/wechat';
import { newCodeSecret, newId, randomDigits } from '../src/services/crypto';

const DB_URL = process.env.BENCH_DB_URL ?? 'mysql://root@127.0.0.1:3306';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MEMBERS = 200;
/** Each counter order needs a member whose code window is still unused. */
const COUNTER_MEMBERS = Number(process.env.BENCH_COUNTER_MEMBERS ?? 6000);

const noWechat: WechatClient = {
  code2Session: () => Promise.reject(new Error('not used in the benchmark')),
  phoneNumber: () => Promise.reject(new Error('not used in the benchmark')),
};

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

interface Measured {
  rps: number;
  p99: number;
  errors: number;
}

async function load(
  url: string,
  opts: { method?: 'GET' | 'POST'; tokens?: string[]; body?: string | (() => string); token?: string; maxRequests?: number },
): Promise<Measured> {
  let i = 0;
  const result = await autocannon({
    url,
    method: opts.method ?? 'GET',
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(opts.maxRequests ? { amount: opts.maxRequests } : {}),
    headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    ...(typeof opts.body === 'string' ? { body: opts.body } : {}),
    requests:
      opts.tokens || typeof opts.body === 'function'
        ? [
            {
              setupRequest: (req) => ({
                ...req,
                ...(typeof opts.body === 'function' ? { body: opts.body() } : {}),
                headers: { ...req.headers, ...(opts.tokens ? { authorization: `Bearer ${opts.tokens[i++ % opts.tokens.length]}` } : {}) },
              }),
            },
          ]
        : undefined,
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

function report(name: string, subject: Measured, baseline: Measured, baselineName: string): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`${pad(name, 16)} ${subject.rps.toFixed(0).padStart(7)} req/s  p99 ${String(subject.p99).padStart(4)} ms  errors ${subject.errors}`);
  console.log(`${pad(`  baseline`, 16)} ${baseline.rps.toFixed(0).padStart(7)} req/s  p99 ${String(baseline.p99).padStart(4)} ms  (${baselineName})`);
  console.log(`${pad('  ratio', 16)} ${(subject.rps / baseline.rps).toFixed(2)}× baseline throughput\n`);
}

async function main(): Promise<void> {
  const dbName = `mc_bench_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(DB_URL);
  await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4`);
  const servers: Server[] = [];
  try {
    const config = loadConfig({ NODE_ENV: 'test', APP_SECRET: randomBytes(32).toString('hex'), DATA_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent' });
    const dataSource = createDataSource({ dbUrl: `${DB_URL}/${dbName}`, sqlitePath: '', poolSize: config.runtime.db.poolSize });
    await dataSource.initialize();
    await dataSource.runMigrations();
    const db = new Db(dataSource);
    const { app, services } = createApp({ config, db, wechat: noWechat, logger: createLogger('silent') });
    const benchRouter = new Router();
    mount(
      benchRouter,
      [
        route({
          method: 'post',
          path: '/bench/credit',
          tag: 'bench',
          summary: 'one points credit',
          auth: 'member',
          handler: async ({ caller }) => (await services.points.credit({ memberId: caller!.sub, amount: 1, reason: 'adjust', sourceKey: `bench:${newId()}` })).entry.balanceAfter,
        }),
      ],
      { db, tokens: services.tokens },
    );
    app.use(benchRouter.routes());
    const tokens: string[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const { member } = await services.members.login(`bench-${i}`, null);
      await services.members.register(member.id, { nickname: `压测${i}`, consentVersion: config.loyalty.privacy.consentVersion });
      tokens.push(services.tokens.issue(member.id, 'member', 3600).token);
    }
    const real = await listen(app.callback());
    servers.push(real.server);

    // Baselines: the least a Koa server can do, and the least a ledger write can cost.
    const pool = mysql.createPool({ uri: `${DB_URL}/${dbName}`, connectionLimit: config.runtime.db.poolSize });
    await pool.query('CREATE TABLE bench_accounts (id INT PRIMARY KEY, balance INT NOT NULL)');
    await pool.query('CREATE TABLE bench_ledger (id VARCHAR(26) PRIMARY KEY, account_id INT NOT NULL, delta INT NOT NULL)');
    await pool.query(`INSERT INTO bench_accounts VALUES ${Array.from({ length: MEMBERS }, (_, i) => `(${i}, 0)`).join(',')}`);
    const bare = new Koa();
    bare.use(async (ctx) => {
      if (ctx.path === '/json') {
        ctx.body = { data: { ok: true } };
        return;
      }
      const id = Math.floor(Math.random() * MEMBERS);
      const conn = await pool.getConnection();
      try {
        await conn.beginTransaction();
        await conn.query('UPDATE bench_accounts SET balance = balance + 1 WHERE id = ?', [id]);
        await conn.query('INSERT INTO bench_ledger VALUES (?, ?, 1)', [newId(), id]);
        await conn.commit();
      } finally {
        conn.release();
      }
      ctx.body = { data: { ok: true } };
    });
    const baseline = await listen(bare.callback());
    servers.push(baseline.server);

    console.log(`\nMember Center BFF benchmark — ${CONNECTIONS} connections, ${SECONDS} s per run, MariaDB at ${DB_URL.replace(/\/\/.*@/, '//')}\n`);
    const bareJson = await load(`${baseline.url}/json`, {});
    const card = await load(`${real.url}/api/v1/me`, { tokens });
    report('member card', card, bareJson, 'bare Koa JSON');
    const bareWrite = await load(`${baseline.url}/write`, { method: 'POST' });
    const credit = await load(`${real.url}/bench/credit`, { method: 'POST', tokens, body: '{}' });
    report('points credit', credit, bareWrite, 'bare Koa + mysql2 UPDATE + INSERT');

    // Counter orders: registered members inserted in bulk, each paying once with its current code.
    const store = await services.staff.createStore('压测门店');
    await services.staff.createStaff({ storeId: store.id, username: 'bench-cashier', password: 'bench-password', role: 'cashier' });
    const staffToken = (await services.staff.signIn('bench-cashier', 'bench-password')).id;
    const cashierToken = services.tokens.issue(staffToken, 'staff', 3600).token;
    const payers: { ref: string; secret: string }[] = [];
    const now = new Date();
    for (let batch = 0; batch < COUNTER_MEMBERS / 500; batch++) {
      const rows: MemberRow[] = Array.from({ length: 500 }, (_, i) => {
        const secret = newCodeSecret();
        const ref = randomDigits(10);
        payers.push({ ref, secret });
        return {
          id: newId(), status: 'active', openidHash: null, openidEnc: null, sessionKeyEnc: null, codeRef: ref,
          codeSecretEnc: services.crypto.encrypt(secret), nickname: `顾客${batch * 500 + i}`, birthday: null, birthdaySetAt: null,
          phoneEnc: null, phoneHash: null, consentVersion: config.loyalty.privacy.consentVersion, consentedAt: now, inviteCode: null,
          tier: 'normal', growth: 0, pointsBalance: 0, registeredAt: now, erasedAt: null, createdAt: now, updatedAt: now,
        };
      });
      await dataSource.manager.insert(MemberEntity, rows);
    }
    let next = 0;
    const orderBody = () => {
      const p = payers[next++ % payers.length];
      const code = generateMemberCode(p.ref, p.secret, Date.now(), config.loyalty.dynamicCode.periodSeconds).code;
      return JSON.stringify({ code, amountCents: 12_345, receiptNo: `B${next}` });
    };
    const bareWrite2 = await load(`${baseline.url}/write`, { method: 'POST', maxRequests: payers.length });
    const orders = await load(`${real.url}/api/v1/counter/orders`, { method: 'POST', token: cashierToken, body: orderBody, maxRequests: payers.length });
    report('counter order', orders, bareWrite2, 'bare Koa + mysql2 UPDATE + INSERT');
    await pool.end();
    await dataSource.destroy();
  } finally {
    for (const s of servers) s.close();
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/* eslint-disable no-console -- a benchmark reports on stdout */
/**
 * `pnpm bench`: throughput and p99 of BFF paths beside baselines measured in the same run, on the
 * same machine and database, so the ratios mean something even though absolute numbers drift.
 *
 *   member card   GET /api/v1/me (auth, 3 queries, expiry settlement) vs bare Koa returning JSON
 *   points credit one PointsService.credit per request (member lock, balance, ledger, lot)
 *                 vs bare Koa + mysql2: one UPDATE + one INSERT in a transaction
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
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { createDataSource } from '../src/db/data-source';
import { Db } from '../src/db/db';
import { createLogger } from '../src/http/logging';
import { mount, route } from '../src/http/route';
import type { WechatClient } from '../src/integrations/wechat';
import { newId } from '../src/services/crypto';

const DB_URL = process.env.BENCH_DB_URL ?? 'mysql://root@127.0.0.1:3306';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MEMBERS = 200;

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

async function load(url: string, opts: { method?: 'GET' | 'POST'; tokens?: string[]; body?: string }): Promise<Measured> {
  let i = 0;
  const result = await autocannon({
    url,
    method: opts.method ?? 'GET',
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json' },
    body: opts.body,
    requests: opts.tokens
      ? [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${opts.tokens![i++ % opts.tokens!.length]}` } }) }]
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

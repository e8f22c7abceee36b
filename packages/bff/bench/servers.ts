/**
 * The processes `pnpm bench` measures, each in a process of its own (the load generator runs in
 * the parent, so it never competes with them inside one event loop):
 *
 *   bff   the real app (createApp over MariaDB), with the members, tokens and payers the runs use
 *   bare  Koa + mysql2 doing the least the same work can: one SELECT by primary key, or
 *         START TRANSACTION; UPDATE; INSERT; COMMIT
 *
 * Started with fork(); they report over IPC: `{ready, url}` when listening and `{rss}` (peak
 * resident set in MB since ready, sampled by the process itself) when asked.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '@koa/router';
import type { PathTemplate } from '@member/shared';
import Koa from 'koa';
import mysql from 'mysql2/promise';
import { z } from 'zod';
import { createApp } from '../dist/app';
import { loadConfig } from '../dist/config/config';
import { createDataSource, openDataSource } from '../dist/db/data-source';
import { Db } from '../dist/db/db';
import { createLogger } from '../dist/http/logging';
import { defineRoute } from '../dist/http/route';
import { mountRoutes } from '../dist/http/router';
import type { WechatClient } from '../dist/integrations/wechat';
import { newId } from '../dist/lib/ids';

const mode = process.argv[2];
const dbUrl = process.env.BENCH_DB_URL_WITH_DB ?? '';

const noWechat: WechatClient = {
  code2Session: () => Promise.reject(new Error('not used in the benchmark')),
  phoneNumber: () => Promise.reject(new Error('not used in the benchmark')),
  userRiskRank: () => Promise.reject(new Error('not used in the benchmark')),
  getUnlimitedCode: () => Promise.reject(new Error('not used in the benchmark')),
  sendSubscribeMessage: () => Promise.resolve({ outcome: 'not_reached', error: 'benchmark' }),
};

/** Serves a Koa app's handler, which answers its own errors: nothing waits on the promise it returns. */
function listen(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<string> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => void handler(req, res));
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/** With BENCH_PROFILE=<dir>, profiles the process from ready to exit (set-up left out) into that directory. */
function profileUntilExit(): void {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.start'));
  process.on('SIGTERM', () =>
    session.post('Profiler.stop', (err, r) => {
      if (!err) writeFileSync(path.join(dir, `${mode}-${process.pid}.cpuprofile`), JSON.stringify(r.profile));
      process.exit(0);
    }),
  );
}

/** Answers `{cmd: 'rss'}` with the peak resident set (MB) since ready, sampled every 50 ms, and `{cmd: 'cpu'}` with its CPU time so far (µs). */
function serveReports(): void {
  profileUntilExit();
  let peak = process.memoryUsage.rss();
  setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50).unref();
  process.on('message', (m: { cmd?: string }) => {
    if (m.cmd === 'rss') process.send?.({ rss: Math.round(peak / 1024 / 1024) });
    if (m.cmd === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpu: user + system });
    }
  });
}

async function bff(): Promise<void> {
  // The fixtures were made by the parent (bench/run.ts) with the same secrets: this process only serves.
  const config = loadConfig({ NODE_ENV: 'test', APP_SECRET: process.env.APP_SECRET, DATA_KEY: process.env.DATA_KEY, LOG_LEVEL: 'silent' });
  const dataSource = await openDataSource(createDataSource({ dbUrl, sqlitePath: '', poolSize: config.runtime.db.poolSize }));
  const db = new Db(dataSource, config.runtime.db.deadlockRetries);
  const { app, services, tokens } = createApp({ config, db, wechat: noWechat, logger: createLogger('silent') });
  // One points credit per request through the real router and PointsService (a fresh event each time).
  const router = new Router();
  mountRoutes(
    router,
    [
      defineRoute({
        method: 'post',
        path: '/bench/credit' as PathTemplate,
        tag: 'bench',
        summary: 'one points credit',
        auth: { audience: 'member' },
        response: z.number().int(),
        handler: async ({ caller }) =>
          (await services.points.credit(caller.memberId, { amount: 1, reason: 'adjust', sourceKey: `bench:${newId()}` })).entry.balanceAfter,
      }),
    ],
    { db, tokens, staffAccess: services.staff, idempotencyRecords: services.repos.idempotency },
  );
  app.use(router.routes());
  const url = await listen(app.callback());
  serveReports();
  process.send?.({ ready: true, url });
}

async function bare(): Promise<void> {
  const pool = mysql.createPool({ uri: dbUrl, connectionLimit: 20 });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_accounts (id INT PRIMARY KEY, balance INT NOT NULL)');
  await pool.query('CREATE TABLE IF NOT EXISTS bench_ledger (id VARCHAR(26) PRIMARY KEY, account_id INT NOT NULL, delta INT NOT NULL)');
  // As many accounts as the BFF's runs have members, so both sides spread writes over the same number of rows.
  const ids = JSON.parse(process.env.BENCH_MEMBER_IDS ?? '[]') as string[];
  await pool.query(`INSERT IGNORE INTO bench_accounts VALUES ${ids.map((_, i) => `(${i}, 0)`).join(',')}`);
  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.path === '/select') {
      const [rows] = await pool.query('SELECT * FROM members WHERE id = ?', [ids[Math.floor(Math.random() * ids.length)]]);
      ctx.body = { data: (rows as unknown[])[0] ?? null };
      return;
    }
    const id = Math.floor(Math.random() * ids.length);
    const conn = await pool.getConnection();
    try {
      await conn.query('START TRANSACTION');
      await conn.query('UPDATE bench_accounts SET balance = balance + 1 WHERE id = ?', [id]);
      await conn.query('INSERT INTO bench_ledger VALUES (?, ?, 1)', [newId(), id]);
      await conn.query('COMMIT');
    } finally {
      conn.release();
    }
    ctx.body = { data: { ok: true } };
  });
  const url = await listen(app.callback());
  serveReports();
  process.send?.({ ready: true, url });
}

(mode === 'bff' ? bff() : mode === 'bare' ? bare() : Promise.reject(new Error(`unknown mode ${mode}`))).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

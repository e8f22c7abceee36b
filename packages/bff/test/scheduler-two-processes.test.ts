import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateMemberCode } from '@member/shared';
import { createTestDatabase, withServices, type TestDatabase } from '@member/bff/testing';
import { loadConfig, REPO_ROOT, type AppConfig } from '../src/config/config';
import { createDataSource, openDataSource } from '../src/db/data-source';
import { jobs } from '../src/jobs';
import { nextRunOf } from '../src/jobs/scheduler';
import { FakeWechat } from './support/fake-wechat';
import { checkInvariants } from './support/invariants';
import { bffNodeFlags } from '../src/process-flags';

/**
 * The operations story: two BFF processes (the compiled dist/main.js, as `pnpm start` runs it) on
 * one MariaDB database, both with the scheduler on and every job due every five seconds, side by
 * side for a minute while members sign up and pay at the counter through both of them. Then both
 * stop (SIGTERM) and the run records must show every job run once per period: never two runs of
 * one period, never two runs of one job at once, no period of the minute left out unless the job's
 * previous run was still going, nothing failed, both processes did their share, and every account
 * still balances. Slow by nature (about 80 s): the minute is the point.
 */

const BFF_ROOT = path.resolve(__dirname, '..');
const SCHEDULE = '*/5 * * * * *';
const SIDE_BY_SIDE_MS = 60_000;
const PERIOD_MS = 5_000;

interface RunningBff {
  name: string;
  url: string;
  child: ChildProcess;
  output: string[];
}

interface RunRecord {
  job: string;
  holder: string;
  triggeredBy: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: string;
  error: string | null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startBff(name: string, env: Record<string, string>): Promise<RunningBff> {
  const port = await freePort();
  const child = spawn(process.execPath, [...bffNodeFlags(), path.join(BFF_ROOT, 'dist/main.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (b: Buffer) => output.push(b.toString()));
  child.stderr.on('data', (b: Buffer) => output.push(b.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 150 || child.exitCode !== null) throw new Error(`BFF ${name} did not become ready:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { name, url, child, output };
}

async function stopBff(bff: RunningBff): Promise<void> {
  if (bff.child.exitCode !== null || bff.child.signalCode !== null) return;
  const exited = new Promise((r) => bff.child.once('exit', r));
  bff.child.kill('SIGTERM');
  await exited;
}

async function call(bff: RunningBff, method: string, route: string, body?: unknown, auth?: string) {
  const res = await fetch(`${bff.url}${route}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: `Bearer ${auth}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as { data?: Record<string, unknown>; error?: { code: string } } | null;
  return { status: res.status, data: json?.data ?? {}, error: json?.error };
}

/** The instants `pattern` fires in [from, to), in the business time zone: the periods of the window. */
function periodsBetween(pattern: string, timeZone: string, from: number, to: number): number[] {
  const out: number[] = [];
  let at = nextRunOf(pattern, timeZone, new Date(from - 1));
  while (at && at.getTime() < to) {
    out.push(at.getTime());
    at = nextRunOf(pattern, timeZone, at);
  }
  return out;
}

describe('two BFF processes on one database, the scheduler on in both', () => {
  let database: TestDatabase;
  const wechat = new FakeWechat();
  let configDir = '';
  let env: Record<string, string>;
  let config: AppConfig;
  const bffs: RunningBff[] = [];

  beforeAll(async () => {
    // The processes run the compiled BFF: build it from these sources (quick when it is up to date).
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b'], { cwd: BFF_ROOT, stdio: 'pipe' });
    database = await createTestDatabase('mc_twoproc');
    await wechat.start();
    configDir = mkdtempSync(path.join(os.tmpdir(), 'mc-twoproc-'));
    const runtime = JSON.parse(readFileSync(path.join(REPO_ROOT, 'config/runtime.json'), 'utf8')) as { jobs: { schedules: Record<string, string> } };
    runtime.jobs.schedules = Object.fromEntries(Object.keys(jobs).map((name) => [name, SCHEDULE]));
    const runtimePath = path.join(configDir, 'runtime.json');
    writeFileSync(runtimePath, JSON.stringify(runtime));
    env = {
      NODE_ENV: 'test',
      DB_URL: database.url,
      RUNTIME_CONFIG: runtimePath,
      APP_SECRET: randomBytes(32).toString('hex'),
      DATA_KEY: randomBytes(32).toString('hex'),
      WECHAT_APPID: wechat.appId,
      WECHAT_SECRET: wechat.secret,
      WECHAT_BASE_URL: wechat.baseUrl,
      DEV_LOGIN: 'false',
      LOG_LEVEL: 'warn',
    };
    config = loadConfig({ ...env });
    expect(config.runtime.jobs.scheduler).toBe(true);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(bffs.map(stopBff));
    await wechat.stop();
    await (database as TestDatabase | undefined)?.drop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('run every job once per period for a minute, shared between them, while members pay at the counter', async () => {
    // The schema and a till, made once before the processes start (as a deployment migrates first).
    const cashierPassword = 'correct horse battery';
    await withServices(env, async (s) => {
      const store = await s.staff.createStore('旗舰店');
      await s.staff.createStaff({ storeId: store.id, username: 'twoproc-cashier', password: cashierPassword, role: 'cashier' });
    });
    bffs.push(await startBff('A', env));
    bffs.push(await startBff('B', env));
    const from = Date.now();
    const until = from + SIDE_BY_SIDE_MS;

    // Light traffic through both processes in turn: sign-ups, counter orders (a member pays once per code window), refunds.
    const cashier = (await call(bffs[0], 'POST', '/api/v1/staff/sessions', { username: 'twoproc-cashier', password: cashierPassword })).data.token as string;
    expect(typeof cashier).toBe('string');
    const members: { codeRef: string; codeSecret: string; lastWindow: number }[] = [];
    const unexpected: string[] = [];
    let orders = 0;
    let refunds = 0;
    const windowSeconds = config.loyalty.dynamicCode.periodSeconds;
    for (let i = 0; Date.now() < until; i++) {
      const bff = bffs[i % 2];
      if (members.length < 8 && i % 3 === 0) {
        const login = await call(bff, 'POST', '/api/v1/auth/wechat', { code: wechat.loginCode(`o_twoproc_${i}`) });
        const token = login.data.token as string;
        const reg = await call(bff, 'POST', '/api/v1/members', { nickname: '小明', consentVersion: config.loyalty.privacy.consentVersion }, token);
        if (reg.status !== 201) unexpected.push(`registration ${reg.status} ${String(reg.error?.code)}`);
        else members.push({ codeRef: login.data.codeRef as string, codeSecret: login.data.codeSecret as string, lastWindow: -1 });
      }
      const window = Math.floor(Date.now() / 1000 / windowSeconds);
      const payer = members.find((m) => m.lastWindow < window);
      if (payer) {
        payer.lastWindow = window;
        const { code } = generateMemberCode(payer.codeRef, payer.codeSecret, Date.now(), windowSeconds, i % 2 === 0);
        const order = await call(bff, 'POST', '/api/v1/counter/orders', { code, amountCents: 1000 + 100 * i, receiptNo: `TP-${i}` }, cashier);
        if (order.status !== 201) unexpected.push(`order ${order.status} ${String(order.error?.code)}`);
        else {
          orders++;
          if (i % 4 === 0) {
            const refund = await call(
              bffs[(i + 1) % 2],
              'POST',
              `/api/v1/counter/orders/${order.data.id as string}/refunds`,
              { refundNo: `TR-${i}`, amountCents: 500 },
              cashier,
            );
            if (refund.status !== 201) unexpected.push(`refund ${refund.status} ${String(refund.error?.code)}`);
            else refunds++;
          }
        }
      }
      await new Promise((r) => setTimeout(r, 700));
    }
    const stoppedAt = Date.now();
    await Promise.all(bffs.map(stopBff));
    expect(unexpected).toEqual([]);
    expect(orders).toBeGreaterThanOrEqual(8);
    expect(refunds).toBeGreaterThanOrEqual(1);

    const dataSource = await openDataSource(createDataSource({ dbUrl: database.url, sqlitePath: ':memory:', poolSize: 2 }));
    try {
      const runs = (
        await dataSource.query<RunRecord[]>(
          'SELECT job, holder, triggered_by AS triggeredBy, started_at AS startedAt, finished_at AS finishedAt, outcome, error FROM job_runs ORDER BY started_at, id',
        )
      ).map((r) => ({ ...r, startedAt: new Date(r.startedAt), finishedAt: r.finishedAt && new Date(r.finishedAt) }));
      const output = () => bffs.map((b) => `── BFF ${b.name} ──\n${b.output.join('')}`).join('\n');

      // The shutdown may cut a run short (recorded failed, by design); nothing else may fail.
      const shutdown = 'Error: the instance is shutting down';
      const failed = runs.filter((r) => r.outcome !== 'ok' && !(r.error === shutdown && r.finishedAt !== null && r.finishedAt.getTime() >= stoppedAt));
      expect({ failed, output: failed.length ? output() : '' }).toEqual({ failed: [], output: '' });
      expect(runs.every((r) => r.triggeredBy === 'schedule')).toBe(true);

      const holders = new Set(runs.map((r) => r.holder));
      expect(holders.size).toBe(2);
      const problems: string[] = [];
      for (const job of Object.keys(jobs)) {
        const mine = runs.filter((r) => r.job === job);
        // Never two runs of one job at once: each starts after the one before it finished.
        for (let k = 1; k < mine.length; k++) {
          const before = mine[k - 1];
          if (!before.finishedAt || before.finishedAt.getTime() > mine[k].startedAt.getTime())
            problems.push(`${job}: runs by ${before.holder} and ${mine[k].holder} overlap at ${mine[k].startedAt.toISOString()}`);
        }
        // Each run belongs to the period its start falls in (a late tick still counts for its own period).
        const periods = periodsBetween(SCHEDULE, config.loyalty.businessTimeZone, from - 60_000, stoppedAt + 60_000);
        const perPeriod = new Map<number, RunRecord[]>();
        for (const r of mine) {
          const period = periods.filter((p) => p <= r.startedAt.getTime()).pop()!;
          perPeriod.set(period, [...(perPeriod.get(period) ?? []), r]);
        }
        for (const [period, rs] of perPeriod) {
          if (rs.length > 1) problems.push(`${job}: period ${new Date(period).toISOString()} ran ${rs.length} times (${rs.map((r) => r.holder).join(', ')})`);
        }
        // Every period of the minute ran, but for one the job's previous run was still going through.
        for (const period of periodsBetween(SCHEDULE, config.loyalty.businessTimeZone, from, stoppedAt - PERIOD_MS)) {
          const busy = mine.some((r) => r.startedAt.getTime() < period && (r.finishedAt === null || r.finishedAt.getTime() > period));
          if (!perPeriod.has(period) && !busy) problems.push(`${job}: period ${new Date(period).toISOString()} did not run`);
        }
      }
      expect(problems).toEqual([]);
      // Both processes did a real share of the work (each ticket is won by whichever process asks first).
      for (const holder of holders) expect(runs.filter((r) => r.holder === holder).length).toBeGreaterThanOrEqual(Object.keys(jobs).length);

      await checkInvariants(dataSource, config.loyalty.tierReview.trailingDays);
    } finally {
      await dataSource.destroy();
    }
  }, 180_000);
});

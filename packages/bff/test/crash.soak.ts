import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateMemberCode } from '@member/shared';
import { createTestDatabase, withServices, type TestDatabase } from '@member/bff/testing';
import mysql from 'mysql2/promise';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { createDataSource, openDataSource } from '../src/db/data-source';
import { FakeWechat } from './support/fake-wechat';
import { buildBff, freePort, kill, scratchMariadb, startBff, stop, type RunningProcess } from './support/processes';
import { findProblems } from './support/reliability-checks';
import {
  newState,
  prng,
  runRound,
  signUp,
  statusSummary,
  stockMall,
  workloadSeed,
  type SentWrite,
  type WorkloadEnv,
  type WorkloadState,
} from './support/workload';

/**
 * Crash suites over the compiled BFF (`pnpm test:soak`): the reliability workload over HTTP while
 * the BFF is SIGKILLed and restarted, then while its MariaDB (a server of the suite's own on a free
 * port) is SIGKILLed and restarted. Afterwards every acknowledged (2xx) write is present and whole,
 * nothing is half-applied (`findProblems`), and replaying an unanswered write with its key applies
 * it once or finds it applied. Each has its test of the test: a fabricated acknowledgement and a
 * half-applied order are flagged; a MariaDB started with an unsafe flush setting loses acknowledged
 * writes and is caught.
 */

const PASSWORD = 'correct horse battery';
const MIX = { order: 10, refund: 3, redeem: 5, cancel: 2, checkin: 4, share: 2, visit: 4, invite: 1, replay: 2 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wechat = new FakeWechat();
const processes: RunningProcess[] = [];

beforeAll(async () => {
  buildBff();
  await wechat.start();
}, 180_000);
afterAll(async () => {
  await Promise.all(processes.map(stop));
  await wechat.stop();
});

function bffEnv(dbUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DB_URL: dbUrl,
    APP_SECRET: randomBytes(32).toString('hex'),
    DATA_KEY: randomBytes(32).toString('hex'),
    WECHAT_APPID: wechat.appId,
    WECHAT_SECRET: wechat.secret,
    WECHAT_BASE_URL: wechat.baseUrl,
    DEV_LOGIN: 'false',
    LOG_LEVEL: 'warn',
  };
}

/** Staff made through the real services before the BFF starts (as an operator would), then signed in over HTTP. */
async function workloadEnv(env: Record<string, string>, url: string): Promise<WorkloadEnv> {
  await withServices(env, async (s) => {
    const store = await s.staff.createStore('旗舰店');
    for (const role of ['cashier', 'manager', 'admin'] as const)
      await s.staff.createStaff({ storeId: store.id, username: `crash-${role}`, password: PASSWORD, role });
  });
  const config = loadConfig({ ...env });
  const http = request(url);
  const auth = async (role: string) => {
    const res = await http.post('/api/v1/staff/sessions').send({ username: `crash-${role}`, password: PASSWORD });
    return { Authorization: `Bearer ${(res.body as { data: { token: string } }).data.token}` };
  };
  return {
    http,
    loginCode: (openid) => wechat.loginCode(openid),
    consentVersion: config.loyalty.privacy.consentVersion,
    codePeriodSeconds: config.loyalty.dynamicCode.periodSeconds,
    now: () => Date.now(),
    cashier: await auth('cashier'),
    manager: await auth('manager'),
    admin: await auth('admin'),
  };
}

const ok = (s: SentWrite) => s.status >= 200 && s.status < 300;

/** Every acknowledged write is in the database, whole: what is missing or partial, as a list. */
async function missingAcknowledged(ds: DataSource, sent: readonly SentWrite[]): Promise<string[]> {
  const out: string[] = [];
  const one = async (sql: string, params: unknown[]) => (await ds.query<(Record<string, unknown> | undefined)[]>(sql, params))[0];
  for (const s of sent.filter(ok)) {
    const d = s.data ?? {};
    if (s.op.endsWith('order')) {
      const row = await one('SELECT id FROM orders WHERE id = ?', [d.id]);
      if (!row) out.push(`order ${String(d.id)} acknowledged but absent`);
      const earned = Number(d.pointsEarned);
      if (earned > 0 && !(await one('SELECT id FROM points_ledger WHERE source_key = ? AND delta = ?', [`order:${String(d.id)}`, earned])))
        out.push(`order ${String(d.id)} without its ledger row of ${earned} points`);
      const used = Number(d.pointsUsed);
      if (used > 0 && !(await one('SELECT id FROM points_ledger WHERE source_key = ? AND delta = ?', [`order:${String(d.id)}:spend`, -used])))
        out.push(`order ${String(d.id)} without its spend of ${used} points`);
    } else if (s.op.endsWith('redeem')) {
      if (!(await one('SELECT id FROM redemptions WHERE id = ?', [d.id]))) out.push(`redemption ${String(d.id)} acknowledged but absent`);
      if (!(await one('SELECT id FROM points_ledger WHERE source_key = ?', [`redemption:${String(d.id)}`])))
        out.push(`redemption ${String(d.id)} without its ledger row`);
    } else if (s.op.endsWith('refund')) {
      if (!(await one('SELECT id FROM refunds WHERE id = ?', [d.id]))) out.push(`refund ${String(d.id)} acknowledged but absent`);
    } else if (s.op === 'checkin') {
      if (!(await one('SELECT id FROM checkins WHERE member_id = ? AND day = ?', [s.memberId, d.day])))
        out.push(`check-in of ${String(s.memberId)} acknowledged but absent`);
    } else if (s.op === 'register') {
      if (!(await one('SELECT id FROM members WHERE id = ?', [d.id]))) out.push(`member ${String(d.id)} acknowledged but absent`);
    }
  }
  return out;
}

/** Sends every unanswered order, redemption and refund again with its key: applied once, whatever happened before. */
async function replayUnanswered(env: WorkloadEnv, state: WorkloadState, ds: DataSource): Promise<string[]> {
  const out: string[] = [];
  for (const s of state.sent.filter((x) => x.status === 0 && /order|redeem|refund/.test(x.op))) {
    const body = { ...s.body };
    if (s.op.endsWith('order')) {
      // The same member, figures and receipt number with the code the phone shows now.
      const m = state.members.find((x) => x.id === s.memberId)!;
      body.code = generateMemberCode(m.codeRef, m.codeSecret, Date.now(), env.codePeriodSeconds, Boolean(body.pointsToUse)).code;
    }
    const res = await env.http.post(s.path).set(s.headers).send(body);
    if (res.status >= 500) out.push(`replay of ${s.op} ${s.path} → ${res.status}`);
    if (s.op.endsWith('order')) {
      const rows = await ds.query<{ id: string }[]>('SELECT id FROM orders WHERE receipt_no = ?', [body.receiptNo]);
      if (rows.length > 1 || (res.status === 201 && rows[0]?.id !== (res.body as { data: { id: string } }).data.id))
        out.push(`order ${String(body.receiptNo)} applied ${rows.length} times`);
    }
  }
  return out;
}

/** Rounds of the workload until `until()` says stop; answers that never came are recorded, not thrown. */
async function load(env: WorkloadEnv, state: WorkloadState, rand: () => number, until: () => boolean): Promise<void> {
  while (!until()) await runRound(env, state, rand, { ops: 16, weights: MIX });
}

describe('the compiled BFF killed under load', () => {
  let database: TestDatabase;
  afterAll(async () => {
    await (database as TestDatabase | undefined)?.drop();
  });

  it('keeps every acknowledged write, whole, and a replayed key applies once', async () => {
    database = await createTestDatabase('mc_crash');
    const env = bffEnv(database.url);
    const rand = prng(workloadSeed('crash-bff'));
    const port = await freePort();
    let bff = await startBff(env, port);
    processes.push(bff);
    const w = await workloadEnv(env, bff.url);
    const state = newState();
    await stockMall(w, state);
    for (let i = 0; i < 20; i++) await signUp(w, state, `o_crash_${i}`);
    let killed = false;
    const killAt = Date.now() + 4000;
    const running = load(w, state, rand, () => killed && Date.now() > killAt + 1500);
    while (Date.now() < killAt) await sleep(50);
    await kill(bff);
    killed = true;
    await running;
    bff = await startBff(env, port);
    processes.push(bff);
    process.stdout.write(`[crash-bff] ${state.sent.length} writes: ${statusSummary(state)}\n`);
    const ds = await openDataSource(createDataSource({ dbUrl: database.url, sqlitePath: '', poolSize: 4 }));
    try {
      const config = loadConfig({ ...env });
      const initial = new Map(state.items.map((i) => [i.id, i.stock]));
      expect(state.serverErrors).toEqual([]);
      expect(state.statuses.get(0) ?? 0).toBeGreaterThan(0);
      expect(await missingAcknowledged(ds, state.sent)).toEqual([]);
      expect(await findProblems(ds, config, initial)).toEqual([]);
      expect(await replayUnanswered(w, state, ds)).toEqual([]);
      expect(await findProblems(ds, config, initial)).toEqual([]);

      // Test of the test: a fabricated acknowledgement and a half-applied order are flagged.
      const order = state.sent.find((s) => ok(s) && s.op === 'order' && Number(s.data?.pointsEarned) > 0)!;
      const fabricated: SentWrite = { ...order, data: { ...order.data, id: '01FABRICATED0000000000000X' } };
      await ds.query('DELETE FROM points_ledger WHERE source_key = ?', [`order:${String(order.data!.id)}`]);
      const flagged = await missingAcknowledged(ds, [...state.sent, fabricated]);
      expect(flagged).toEqual(
        expect.arrayContaining([`order 01FABRICATED0000000000000X acknowledged but absent`, expect.stringMatching(/^order .* without its ledger row/)]),
      );
      expect((await findProblems(ds, config, initial)).some((p) => p.includes('ledger sum'))).toBe(true);
    } finally {
      await ds.destroy();
    }
  }, 240_000);
});

describe('MariaDB killed under load', () => {
  // Its own data directory and (in scratchMariadb) a free port: runs side by side on one machine never meet.
  const datadir = `/tmp/mc-crash-mariadb-${randomBytes(4).toString('hex')}`;
  const server = scratchMariadb({ datadir, socket: `${datadir}.sock` });
  afterAll(() => rmSync(datadir, { recursive: true, force: true }));

  /** Runs the workload over a BFF on the scratch server, kills the server mid-way and restarts it (with `args`). */
  async function outage(label: string, args: string[]) {
    const port = await freePort();
    let db = await server.start(args);
    processes.push(db);
    const name = `mc_crash_db_${randomBytes(3).toString('hex')}`;
    const admin = await mysql.createConnection(server.url);
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    const env = bffEnv(`${server.url}/${name}`);
    const rand = prng(workloadSeed(label));
    const bff = await startBff(env, port);
    processes.push(bff);
    const w = await workloadEnv(env, bff.url);
    const state = newState();
    await stockMall(w, state);
    for (let i = 0; i < 20; i++) await signUp(w, state, `o_${label}_${i}`);

    const ready: { at: number; status: number }[] = [];
    const flag = { done: false };
    const probe = (async () => {
      while (!flag.done) {
        ready.push({ at: Date.now(), status: (await fetch(`${bff.url}/readyz`)).status });
        await sleep(100);
      }
    })();
    const running = load(w, state, rand, () => flag.done);
    await sleep(3000);
    const killedAt = Date.now();
    await kill(db);
    await sleep(3000);
    const restartAt = Date.now();
    db = await server.start(args);
    processes.push(db);
    const backAt = Date.now();
    await sleep(3000);
    flag.done = true;
    await Promise.all([running, probe]);
    process.stdout.write(`[${label}] ${state.sent.length} writes: ${statusSummary(state)}\n`);
    const ds = await openDataSource(createDataSource({ dbUrl: `${server.url}/${name}`, sqlitePath: '', poolSize: 4 }));
    return { state, ready, killedAt, restartAt, backAt, ds, env, w, db, bff };
  }

  it('the BFF reconnects, /readyz tells the truth meanwhile, answers 503 not 500, and loses no acknowledged write', async () => {
    const r = await outage('crash-db', []);
    try {
      const fiveHundreds = r.state.serverErrors.filter((e) => !e.endsWith('503 SERVICE_UNAVAILABLE'));
      expect(fiveHundreds).toEqual([]);
      process.stdout.write(`[crash-db] 503 SERVICE_UNAVAILABLE during the outage: ${r.state.serverErrors.length}\n`);
      const during = r.ready.filter((x) => x.at > r.killedAt + 500 && x.at < r.restartAt);
      expect(during.length).toBeGreaterThan(0);
      expect(during.every((x) => x.status === 503)).toBe(true);
      expect(r.ready.filter((x) => x.at > r.backAt + 1500).every((x) => x.status === 200)).toBe(true);
      // Writes succeeded again after the restart.
      expect(r.state.sent.slice(-30).some(ok)).toBe(true);
      expect(await missingAcknowledged(r.ds, r.state.sent)).toEqual([]);
      expect(await findProblems(r.ds, loadConfig({ ...r.env }), new Map(r.state.items.map((i) => [i.id, i.stock])))).toEqual([]);
    } finally {
      await r.ds.destroy();
      await stop(r.bff);
      await stop(r.db);
    }
  }, 240_000);

  it('test of the test: a server that acknowledges commits before they are durable is caught losing them', async () => {
    // innodb_flush_log_at_trx_commit=0 with a long flush timeout: commits are acknowledged before their redo log is
    // written, so a kill loses the last of them.
    const r = await outage('crash-db-unsafe', ['--innodb-flush-log-at-trx-commit=0', '--innodb-flush-log-at-timeout=60']);
    try {
      const lost = await missingAcknowledged(r.ds, r.state.sent);
      process.stdout.write(`[crash-db-unsafe] acknowledged writes lost: ${lost.length}\n`);
      expect(lost.length).toBeGreaterThan(0);
    } finally {
      await r.ds.destroy();
      await stop(r.bff);
      await stop(r.db);
    }
  }, 240_000);
});

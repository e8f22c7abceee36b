/* eslint-disable no-console -- a benchmark reports on stdout */
/**
 * `pnpm bench`: each hot path of the BFF beside a like-for-like baseline measured in the same run,
 * on the same machine and database, so the ratios mean something although absolute numbers drift.
 *
 *   member card    GET /api/v1/me                 vs bare Koa + mysql2: one SELECT by primary key
 *   points credit  one PointsService.credit       vs bare Koa + mysql2: START; UPDATE; INSERT; COMMIT
 *   counter order  POST /api/v1/counter/orders    vs the same bare transaction
 *
 * The BFF and the baseline each run in a process of their own (bench/servers.ts, compiled, over the
 * compiled BFF in dist/); this process is
 * only the load generator (autocannon). Every path gets a warm-up, then three rounds alternating
 * baseline and subject; the table shows medians and the median of the per-round ratios, and the
 * BFF's peak RSS as measured by the BFF process itself.
 *
 * BENCH_DB_URL (default the local MariaDB), BENCH_SECONDS (5), BENCH_CONNECTIONS (50), BENCH_ROUNDS (3);
 * BENCH_PROFILE=<dir> writes a CPU profile of the BFF process there (open it in Chrome DevTools).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { generateMemberCode } from '@member/shared';
import autocannon from 'autocannon';
import mysql from 'mysql2/promise';

const DB_URL = process.env.BENCH_DB_URL ?? 'mysql://root@127.0.0.1:3306';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SECONDS = 2;
/** Enough payers for every counter round at up to 2 000 orders/s (each pays once per code window). */
const PAYERS = Number(process.env.BENCH_PAYERS ?? (ROUNDS + 1) * SECONDS * 2000);

/** The targets of the core issue: throughput ratio to the baseline, and p99 within 2× the baseline's. */
const TARGETS: Record<string, number> = { 'member card': 0.5, 'points credit': 0.5, 'counter order': 0.35 };
const RSS_TARGET_MB = 200;

interface Fixtures {
  url: string;
  memberTokens: string[];
  memberIds: string[];
  cashierToken: string;
  payers: { ref: string; secret: string }[];
  periodSeconds: number;
}

interface Measured {
  rps: number;
  p99: number;
  errors: number;
}

function start(mode: 'bff' | 'bare', env: Record<string, string>): Promise<{ child: ChildProcess; info: Fixtures }> {
  // Compiled JavaScript, as the BFF runs in production (a TypeScript loader alone adds ≈ 60 MB of RSS).
  const child = fork(path.join(__dirname, '../dist-bench/servers.js'), [mode], { execArgv: [], env: { ...process.env, ...env }, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, info: m as Fixtures }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${String(code)}`)));
  });
}

function rssOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => {
      if (process.env.BENCH_DEBUG_MEMORY) console.error(JSON.stringify(m));
      resolve((m as { rss: number }).rss);
    });
    child.send({ cmd: 'rss' });
  });
}

async function load(url: string, opts: { method?: 'GET' | 'POST'; tokens?: string[]; body?: () => string; seconds: number; maxRequests?: number }): Promise<Measured> {
  let i = 0;
  const result = await autocannon({
    url,
    method: opts.method ?? 'GET',
    connections: CONNECTIONS,
    duration: opts.seconds,
    ...(opts.maxRequests ? { amount: opts.maxRequests } : {}),
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          ...(opts.body ? { body: opts.body() } : {}),
          headers: { ...req.headers, ...(opts.tokens ? { authorization: `Bearer ${opts.tokens[i++ % opts.tokens.length]}` } : {}) },
        }),
      },
    ],
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row {
  name: string;
  baselineName: string;
  subject: Measured[];
  baseline: Measured[];
}

async function compare(name: string, baselineName: string, subject: (seconds: number, round: number) => Promise<Measured>, baseline: (seconds: number) => Promise<Measured>): Promise<Row> {
  await baseline(WARMUP_SECONDS);
  await subject(WARMUP_SECONDS, -1);
  const row: Row = { name, baselineName, subject: [], baseline: [] };
  for (let r = 0; r < ROUNDS; r++) {
    row.baseline.push(await baseline(SECONDS));
    row.subject.push(await subject(SECONDS, r));
  }
  return row;
}

function print(rows: Row[], rss: number): void {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`\n${'path'.padEnd(15)} ${pad('req/s', 8)} ${pad('p99 ms', 7)} ${pad('errors', 7)}   ${pad('baseline', 8)} ${pad('p99 ms', 7)}   ${pad('ratio', 6)}  target`);
  for (const r of rows) {
    const s = { rps: median(r.subject.map((m) => m.rps)), p99: median(r.subject.map((m) => m.p99)), errors: r.subject.reduce((a, m) => a + m.errors, 0) };
    const b = { rps: median(r.baseline.map((m) => m.rps)), p99: median(r.baseline.map((m) => m.p99)) };
    const ratio = median(r.subject.map((m, i) => m.rps / r.baseline[i].rps));
    const target = TARGETS[r.name];
    const ok = ratio >= target && s.p99 <= 2 * b.p99;
    console.log(
      `${r.name.padEnd(15)} ${pad(s.rps.toFixed(0), 8)} ${pad(s.p99, 7)} ${pad(s.errors, 7)}   ${pad(b.rps.toFixed(0), 8)} ${pad(b.p99, 7)}   ${pad(ratio.toFixed(2), 5)}×  ≥ ${target}× and p99 ≤ 2× ${ok ? '✓' : '✗'}`,
    );
    console.log(`${''.padEnd(15)} rounds: ${r.subject.map((m, i) => `${(m.rps / r.baseline[i].rps).toFixed(2)}×`).join(' ')}   (baseline: ${r.baselineName})`);
  }
  console.log(`\nBFF peak RSS ${rss} MB (target ≤ ${RSS_TARGET_MB} MB) ${rss <= RSS_TARGET_MB ? '✓' : '✗'}`);
}

async function main(): Promise<void> {
  const dbName = `mc_bench_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(DB_URL);
  await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4`);
  const children: ChildProcess[] = [];
  try {
    const env = { BENCH_DB_URL_WITH_DB: `${DB_URL}/${dbName}`, BENCH_PAYERS: String(PAYERS) };
    console.log(`\nMember Center BFF benchmark: ${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} rounds per path after a ${WARMUP_SECONDS} s warm-up`);
    console.log(`preparing ${PAYERS} counter payers…`);
    const bff = await start('bff', env);
    children.push(bff.child);
    const bare = await start('bare', { ...env, BENCH_MEMBER_IDS: JSON.stringify(bff.info.memberIds) });
    children.push(bare.child);
    const f = bff.info;

    const rows: Row[] = [];
    rows.push(
      await compare(
        'member card',
        'bare Koa + mysql2 SELECT by primary key',
        (seconds) => load(`${f.url}/api/v1/me`, { tokens: f.memberTokens, seconds }),
        (seconds) => load(`${bare.info.url}/select`, { seconds }),
      ),
    );
    const bareWrite = (seconds: number) => load(`${bare.info.url}/write`, { method: 'POST', seconds });
    rows.push(
      await compare('points credit', 'bare Koa + mysql2 START; UPDATE; INSERT; COMMIT', (seconds) => load(`${f.url}/bench/credit`, { method: 'POST', tokens: f.memberTokens, body: () => '{}', seconds }), bareWrite),
    );
    // Each round pays with its own slice of payers: a code window pays once.
    const slice = Math.floor(f.payers.length / (ROUNDS + 1));
    let receipt = 0;
    rows.push(
      await compare(
        'counter order',
        'bare Koa + mysql2 START; UPDATE; INSERT; COMMIT',
        (seconds, round) => {
          const payers = f.payers.slice((round + 1) * slice, (round + 2) * slice);
          let next = 0;
          return load(`${f.url}/api/v1/counter/orders`, {
            method: 'POST',
            tokens: [f.cashierToken],
            seconds,
            maxRequests: payers.length,
            body: () => {
              const p = payers[next++ % payers.length];
              const code = generateMemberCode(p.ref, p.secret, Date.now(), f.periodSeconds).code;
              return JSON.stringify({ code, amountCents: 12_345, receiptNo: `B${++receipt}` });
            },
          });
        },
        bareWrite,
      ),
    );
    print(rows, await rssOf(bff.child));
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

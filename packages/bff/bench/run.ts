/**
 * `pnpm bench`: each hot path of the BFF beside a like-for-like baseline measured in the same run,
 * on the same machine and database, so the ratios mean something although absolute numbers drift.
 *
 *   member card    GET /api/v1/me (half the members with points expiring soon)
 *                                                  vs bare Koa + mysql2: one SELECT by primary key
 *   points credit  one PointsService.credit       vs bare Koa + mysql2: START; UPDATE; INSERT; COMMIT
 *   counter order  POST /api/v1/counter/orders    vs the same bare transaction
 *
 * The BFF and the baseline each run in a process of their own (bench/servers.ts, compiled, over the
 * compiled BFF in dist/); this process is
 * only the load generator (autocannon). Every path gets a warm-up, then three rounds alternating
 * baseline and subject; the table shows medians and the median of the per-round ratios, the CPU time per request of each
 * server process and of MariaDB (from /proc, so that a reader sees where a ratio comes from), and the
 * BFF's peak RSS as measured by the BFF process itself.
 *
 * BENCH_DB_URL (default the local MariaDB), BENCH_SECONDS (5), BENCH_CONNECTIONS (50), BENCH_ROUNDS (3);
 *   KPI summary    GET …/admin/reports/summary's statements over 100 000 members and 1 000 000 ledger
 *                  rows seeded in bulk into a scratch database, timed and EXPLAINed (bench/report.ts)
 *
 *   data volume    the member card, counter orders and the KPI summary on 1 000 000 members and
 *                  10 000 000 ledger rows beside the same on 25 000 members, seeded by one generator
 *                  (bench/volume.ts): no path may answer more than 2× slower on the large database
 *
 * BENCH_PATHS=card,credit,order,report,volume picks the paths (all but report by default: the volume bench
 * times the KPI summary on ten times report's data); `--volume` runs the
 * data-volume bench alone. BENCH_PROFILE=<dir> writes a CPU profile of the BFF process there (open it in Chrome DevTools).
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { generateMemberCode } from '@member/shared';
import mysql from 'mysql2/promise';
import { loadConfig } from '../src/config/config';
import { createDataSource, openDataSource } from '../src/db/data-source';
import { Db } from '../src/db/db';
import { MemberEntity, type MemberRow } from '../src/db/entities';
import { createLogger } from '../src/http/logging';
import { TokenService } from '../src/http/tokens';
import type { WechatClient } from '../src/integrations/wechat';
import { systemClock } from '../src/lib/clock';
import { LimiterStore } from '../src/lib/rate-limit';
import { newCodeSecret, newId, randomDigits } from '../src/lib/ids';
import { createServices } from '../src/services';
import { CONNECTIONS, load, measuredWithCpu, median, rssOf, start, stop, type Measured } from './harness';
import { benchReport } from './report';
import { benchVolume } from './volume';

const DB_URL = process.env.BENCH_DB_URL ?? 'mariadb://root@127.0.0.1:3306';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SECONDS = 2;
/** Enough payers for every counter round at up to 2 000 orders/s (each pays once per code window). */
const PAYERS = Number(process.env.BENCH_PAYERS ?? (ROUNDS + 1) * SECONDS * 2000);

/** The targets of the core issue: throughput ratio to the baseline, and p99 within 2× the baseline's. */
const TARGETS: Record<string, number> = { 'member card': 0.5, 'points credit': 0.5, 'counter order': 0.35 };
const RSS_TARGET_MB = 200;

const MEMBERS = 200;

interface Fixtures {
  memberTokens: string[];
  memberIds: string[];
  cashierToken: string;
  payers: { ref: string; secret: string }[];
  periodSeconds: number;
}

const noWechat: WechatClient = {
  code2Session: () => Promise.reject(new Error('not used in the benchmark')),
  phoneNumber: () => Promise.reject(new Error('not used in the benchmark')),
  userRiskRank: () => Promise.reject(new Error('not used in the benchmark')),
  getUnlimitedCode: () => Promise.reject(new Error('not used in the benchmark')),
  sendSubscribeMessage: () => Promise.resolve({ outcome: 'not_reached', error: 'benchmark' }),
};

/**
 * Makes what the runs need, in this process, through the real services (members registered, tokens
 * issued, payers inserted in bulk: each counter order needs a member whose code window is unused),
 * so the BFF process starts clean and its memory is its own.
 */
async function prepare(dbUrl: string, secrets: { APP_SECRET: string; DATA_KEY: string }): Promise<Fixtures> {
  const config = loadConfig({ NODE_ENV: 'test', ...secrets, LOG_LEVEL: 'silent' });
  const dataSource = await openDataSource(createDataSource({ dbUrl, sqlitePath: '', poolSize: 4 }));
  try {
    await dataSource.runMigrations();
    const services = createServices({
      db: new Db(dataSource),
      loyalty: config.loyalty,
      runtime: config.runtime,
      clock: systemClock,
      dataKey: config.dataKey,
      wechat: noWechat,
      logger: createLogger('silent'),
      limiterStore: LimiterStore.memory(),
      rawPhoneAllowed: false,
    });
    const tokens = new TokenService(config.appSecret);
    const memberTokens: string[] = [];
    const memberIds: string[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const { member } = await services.members.login(`bench-${i}`, null);
      await services.members.register(member.id, { nickname: `压测${i}`, consentVersion: config.loyalty.privacy.consentVersion });
      // Half the members have points expiring within the card's warning window: their card reads lots too.
      if (i % 2 === 0)
        await services.points.credit(member.id, {
          amount: 100,
          reason: 'adjust',
          sourceKey: 'bench:expiring',
          expiresAt: new Date(Date.now() + 10 * 86_400_000),
        });
      memberTokens.push(tokens.issue({ aud: 'member', sub: member.id }, 3600).token);
      memberIds.push(member.id);
    }
    const store = await services.staff.createStore('压测门店');
    const cashier = await services.staff.createStaff({ storeId: store.id, username: 'bench-cashier', password: 'bench-password', role: 'cashier' });
    const cashierToken = tokens.issue({ aud: 'staff', sub: cashier.id, store: cashier.storeId, role: cashier.role }, 3600).token;
    const payers: { ref: string; secret: string }[] = [];
    // Code references are unique: 40 000 random 10-digit ones would collide in about one run in twelve.
    const refs = new Set<string>();
    const now = new Date();
    for (let done = 0; done < PAYERS; done += 500) {
      const rows: MemberRow[] = Array.from({ length: Math.min(500, PAYERS - done) }, (_, i) => {
        const secret = newCodeSecret();
        let ref = randomDigits(10);
        while (refs.has(ref)) ref = randomDigits(10);
        refs.add(ref);
        payers.push({ ref, secret });
        return {
          id: newId(),
          status: 'active',
          openidHash: null,
          openidEnc: null,
          sessionKeyEnc: null,
          codeRef: ref,
          codeSecretEnc: services.crypto.encrypt(secret),
          nickname: `顾客${done + i}`,
          birthday: null,
          birthdaySetAt: null,
          phoneEnc: null,
          phoneHash: null,
          consentVersion: config.loyalty.privacy.consentVersion,
          consentedAt: now,
          inviteCode: null,
          invitedBy: null,
          shareVisitedAt: null,
          tier: 'normal',
          growth: 0,
          qualifyingGrowth: 0,
          qualifyingAgedTo: new Date(0),
          qualifyingAgesAt: null,
          pointsBalance: 0,
          nextExpiryAt: null,
          lastActiveAt: null,
          lastCheckinDay: null,
          checkinStreak: 0,
          registeredAt: now,
          erasedAt: null,
          createdAt: now,
          updatedAt: now,
        };
      });
      await dataSource.manager.insert(MemberEntity, rows);
    }
    return { memberTokens, memberIds, cashierToken, payers, periodSeconds: config.loyalty.dynamicCode.periodSeconds };
  } finally {
    await dataSource.destroy();
  }
}

interface Row {
  name: string;
  baselineName: string;
  subject: Measured[];
  baseline: Measured[];
}

async function compare(
  children: { bff: ChildProcess; bare: ChildProcess },
  name: string,
  baselineName: string,
  subject: (seconds: number, round: number) => Promise<Measured>,
  baseline: (seconds: number) => Promise<Measured>,
): Promise<Row> {
  await baseline(WARMUP_SECONDS);
  await subject(WARMUP_SECONDS, -1);
  const row: Row = { name, baselineName, subject: [], baseline: [] };
  for (let r = 0; r < ROUNDS; r++) {
    row.baseline.push(await measuredWithCpu(children.bare, () => baseline(SECONDS)));
    row.subject.push(await measuredWithCpu(children.bff, () => subject(SECONDS, r)));
  }
  return row;
}

function print(rows: Row[], rss: number): void {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(
    `\n${'path'.padEnd(15)} ${pad('req/s', 8)} ${pad('p99 ms', 7)} ${pad('errors', 7)}   ${pad('baseline', 8)} ${pad('p99 ms', 7)}   ${pad('ratio', 6)}  target`,
  );
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
    const cpu = (ms: Measured[], part: 'server' | 'db') => {
      const xs = ms.map((m) => m.cpuUs?.[part]).filter((x): x is number => typeof x === 'number');
      return xs.length ? `${median(xs)} µs` : 'n/a';
    };
    console.log(
      `${''.padEnd(15)} CPU per request: BFF ${cpu(r.subject, 'server')} + MariaDB ${cpu(r.subject, 'db')}; baseline ${cpu(r.baseline, 'server')} + MariaDB ${cpu(r.baseline, 'db')}`,
    );
  }
  console.log(`\nBFF peak RSS ${rss} MB (target ≤ ${RSS_TARGET_MB} MB) ${rss <= RSS_TARGET_MB ? '✓' : '✗'}`);
}

/** The hot paths beside their bare baselines, in a scratch database of their own. */
async function hotPaths(only: string[]): Promise<void> {
  const dbName = `mc_bench_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(DB_URL);
  await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4`);
  const children: ChildProcess[] = [];
  try {
    const secrets = { APP_SECRET: randomBytes(32).toString('hex'), DATA_KEY: randomBytes(32).toString('hex') };
    const env = { BENCH_DB_URL_WITH_DB: `${DB_URL}/${dbName}`, ...secrets };
    console.log(`\nMember Center BFF benchmark: ${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} rounds per path after a ${WARMUP_SECONDS} s warm-up`);
    console.log(`preparing ${MEMBERS} members and ${PAYERS} counter payers…`);
    const f = await prepare(env.BENCH_DB_URL_WITH_DB, secrets);
    const bff = await start('bff', env);
    children.push(bff.child);
    const bare = await start('bare', { ...env, BENCH_MEMBER_IDS: JSON.stringify(f.memberIds) });
    children.push(bare.child);

    const servers = { bff: bff.child, bare: bare.child };
    const rows: Row[] = [];
    if (only.includes('card'))
      rows.push(
        await compare(
          servers,
          'member card',
          'bare Koa + mysql2 SELECT by primary key',
          (seconds) => load(`${bff.url}/api/v1/me`, { tokens: f.memberTokens, seconds }),
          (seconds) => load(`${bare.url}/select`, { seconds }),
        ),
      );
    const bareWrite = (seconds: number) => load(`${bare.url}/write`, { method: 'POST', seconds });
    if (only.includes('credit'))
      rows.push(
        await compare(
          servers,
          'points credit',
          'bare Koa + mysql2 START; UPDATE; INSERT; COMMIT',
          (seconds) => load(`${bff.url}/bench/credit`, { method: 'POST', tokens: f.memberTokens, body: () => '{}', seconds }),
          bareWrite,
        ),
      );
    // Each round pays with its own slice of payers: a code window pays once.
    const slice = Math.floor(f.payers.length / (ROUNDS + 1));
    let receipt = 0;
    if (only.includes('order'))
      rows.push(
        await compare(
          servers,
          'counter order',
          'bare Koa + mysql2 START; UPDATE; INSERT; COMMIT',
          (seconds, round) => {
            const payers = f.payers.slice((round + 1) * slice, (round + 2) * slice);
            let next = 0;
            return load(`${bff.url}/api/v1/counter/orders`, {
              method: 'POST',
              tokens: [f.cashierToken],
              seconds,
              maxRequests: payers.length,
              body: () => {
                const p = payers[next++ % payers.length];
                const code = generateMemberCode(p.ref, p.secret, Date.now(), f.periodSeconds, false).code;
                return JSON.stringify({ code, amountCents: 12_345, receiptNo: `B${++receipt}` });
              },
            });
          },
          bareWrite,
        ),
      );
    print(rows, await rssOf(bff.child));
  } finally {
    await stop(children);
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
  }
}

/** `--volume` runs the data-volume bench alone; otherwise BENCH_PATHS (every path by default). */
async function main(): Promise<void> {
  const only = process.argv.includes('--volume') ? ['volume'] : (process.env.BENCH_PATHS ?? 'card,credit,order,volume').split(',');
  const started = Date.now();
  if (['card', 'credit', 'order'].some((p) => only.includes(p))) await hotPaths(only);
  if (only.includes('report')) await benchReport();
  if (only.includes('volume') && !(await benchVolume())) process.exitCode = 1;
  console.log(`\nBFF bench (${only.join(', ')}) took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

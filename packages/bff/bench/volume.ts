/**
 * The data-volume bench (`pnpm bench --volume`, or BENCH_PATHS including `volume`): does the BFF keep
 * its speed when the tables are big? Two scratch databases, migrated exactly like production (every
 * index), are seeded in bulk by the same generator at two sizes:
 *
 *   small   BENCH_VOLUME_SMALL members (25 000)
 *   large   BENCH_VOLUME_MEMBERS members (1 000 000)
 *
 * each with 10 points-ledger rows per member (10 000 000 at the large size), the points lots its
 * credits made, one counter order per member with its growth entry, a coupon and a check-in per
 * member, and redemptions and invitations for a share of them. The rows are spread over the past
 * year in time order, ids sort like the time-ordered ids the BFF makes, and every member's balance
 * is the sum of their ledger and of their lots' remainders (checked after seeding, on both).
 *
 * Then one compiled BFF per database (bench/servers.ts) serves the same requests, alternating small
 * and large each round: the member card of members spread over the whole table, counter orders by
 * members spread over the whole table, and the operators' KPI summary (after the `report-rollup`
 * job's first run). A path passes when the large database answers at least half as fast as the
 * small one: the indexes hold, nothing reads in proportion to the table. Seeding takes most of the
 * time (the slices are timed with BENCH_VOLUME_VERBOSE=1).
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { addBusinessDays, businessDate, generateMemberCode } from '@member/shared';
import mysql from 'mysql2/promise';
import { loadConfig } from '../src/config/config';
import { createDataSource, openDataSource } from '../src/db/data-source';
import { Db } from '../src/db/db';
import { createLogger } from '../src/http/logging';
import { TokenService } from '../src/http/tokens';
import type { WechatClient } from '../src/integrations/wechat';
import { systemClock } from '../src/lib/clock';
import { FieldCrypto } from '../src/lib/crypto';
import { newCodeSecret } from '../src/lib/ids';
import { LimiterStore } from '../src/lib/rate-limit';
import { createServices } from '../src/services';
import { load, median, start, stop, type Measured } from './harness';

const DB_URL = process.env.BENCH_DB_URL ?? 'mariadb://root@127.0.0.1:3306';
const LARGE = Number(process.env.BENCH_VOLUME_MEMBERS ?? 1_000_000);
const SMALL = Number(process.env.BENCH_VOLUME_SMALL ?? 25_000);
const PER_MEMBER = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SECONDS = 2;
/** Card readers per database, spread evenly over the members table. */
const READERS = 2000;
/** Counter payers per database (each pays once per code window), spread over the members table. */
const PAYERS = Math.min((ROUNDS + 1) * SECONDS * 1000, SMALL - READERS);
const KPI_RUNS = 5;
/**
 * InnoDB's buffer pool for the run, in MB (`BENCH_VOLUME_BUFFER_POOL_MB`; 0 keeps the server's):
 * the large database is several GB, and a server holding it would be given a pool it fits in, as
 * docs/scaling.md advises. With MariaDB's default 128 MB, or 4 GB, the counter order measured the
 * disk (71 000 pages read in its rounds at 4 GB, 2.1× slower), not the indexes (none read at
 * 8 GB, 1.8×). Restored afterwards.
 */
const BUFFER_POOL_MB = Number(process.env.BENCH_VOLUME_BUFFER_POOL_MB ?? 8192);
/** The target: no path slower than this many times its speed on the small database. */
const MAX_SLOWDOWN = 2;
const SLICE = 100_000;
const YEAR_SECONDS = 365 * 86_400;
/** One code secret for every seeded member (sealed once): each member's codes still differ by their code ref. */
const CODE_SECRET = newCodeSecret();

const noWechat: WechatClient = {
  code2Session: () => Promise.reject(new Error('not used in the benchmark')),
  phoneNumber: () => Promise.reject(new Error('not used in the benchmark')),
  userRiskRank: () => Promise.reject(new Error('not used in the benchmark')),
  getUnlimitedCode: () => Promise.reject(new Error('not used in the benchmark')),
  sendSubscribeMessage: () => Promise.resolve({ outcome: 'not_reached', error: 'benchmark' }),
};

const sqlTime = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
/** Member number n's id (n from 1): sorts before the ids the BFF makes now, as older ids do. */
const memberId = (n: number) => `01H${String(n).padStart(23, '0')}`;

interface Seeded {
  name: string;
  url: string;
  members: number;
  ledgerRows: number;
  seedSeconds: number;
  rollupSeconds: number;
  memberTokens: string[];
  payers: { ref: string; secret: string }[];
  cashierToken: string;
  adminToken: string;
  periodSeconds: number;
}

/** `INSERT … SELECT` over MariaDB's sequence tables, in slices so no statement holds a huge transaction. */
async function bulk(conn: mysql.Connection, total: number, sql: (from: number, to: number) => string): Promise<void> {
  const t0 = Date.now();
  for (let from = 1; from <= total; from += SLICE) await conn.query(sql(from, Math.min(total, from + SLICE - 1)));
  if (process.env.BENCH_VOLUME_VERBOSE)
    console.log(`  ${/INTO (\w+)/.exec(sql(1, 1))?.[1] ?? '?'}: ${total} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * Seeds `n` members and their history. Ledger row s (1 … 10n) is member m = 1 + (s-1) div 10's k-th
 * entry, k = (s-1) mod 10, made at a time growing with s over the past year (ids and times in the
 * same order, as the BFF makes them; members one after the other, so every index is filled in
 * order and 10 000 000 rows load in minutes: a member's history is squeezed into ~30 s, which no
 * measured path depends on — the card and the counter find rows by member, the summary by time). With a = 10 + m mod 90, even entries credit 2a (each making a
 * lot), odd ones spend a: the balance after entry k is 2a·(⌊k/2⌋+1) − a·⌊(k+1)/2⌋, 5a at the end,
 * which is what the lots keep after first-in-first-out spending (the third lot half, the last two
 * whole). Half the members have the third lot expiring within ten days: their card reads lots too.
 */
async function seed(
  conn: mysql.Connection,
  n: number,
  p: { end: Date; storeId: string; staffId: string; codeSecretEnc: string; consentVersion: string },
): Promise<void> {
  const rows = n * PER_MEMBER;
  const end = `'${sqlTime(p.end)}'`;
  const soon = `'${sqlTime(new Date(p.end.getTime() + 10 * 86_400_000))}'`;
  const at = (s: string) => `TIMESTAMPADD(SECOND, -FLOOR((${rows} - (${s})) * ${YEAR_SECONDS} / ${rows}), ${end})`;
  const lotExpiry = (s: string, k: string, m: string) => `IF(${k} = 4 AND ${m} % 2 = 0, ${soon}, ${at(s)} + INTERVAL 365 DAY)`;
  const id = (s: string) => `CONCAT('01J', LPAD(${s}, 23, '0'))`;
  const mid = (m: string) => `CONCAT('01H', LPAD(${m}, 23, '0'))`;
  const tier = (m: string) => `ELT(1 + ${m} % 4, 'normal', 'silver', 'gold', 'diamond')`;
  /** Member m's k-th ledger entry (from 0): the rows are the members' histories one after the other. */
  const first = (m: string, k: number) => `((${m} - 1) * ${PER_MEMBER} + ${k + 1})`;
  const growth = (m: string) => `ELT(1 + ${m} % 4, 100, 1500, 6000, 25000)`;
  /** Member m's one check-in (a streak of 1), on the business day (UTC+8) of their third entry: the member row keeps it too. */
  const checkinDay = (m: string) => `DATE_FORMAT(${at(first(m, 2))} + INTERVAL 8 HOUR, '%Y-%m-%d')`;

  await bulk(
    conn,
    n,
    (a, b) => `INSERT INTO members (id, status, code_ref, code_secret_enc, nickname, consent_version, consented_at, tier, growth, points_balance,
        registered_at, created_at, updated_at, next_expiry_at, qualifying_growth, qualifying_aged_to, last_checkin_day, checkin_streak)
      SELECT ${mid('seq')}, 'active', LPAD(seq, 10, '0'), '${p.codeSecretEnc}', CONCAT('会员', LPAD(seq, 7, '0')), '${p.consentVersion}', ${at(first('seq', 0))},
        ${tier('seq')}, ${growth('seq')}, 5 * (10 + seq % 90), ${at(first('seq', 0))}, ${at(first('seq', 0))}, ${at(first('seq', 9))},
        IF(seq % 2 = 0, ${soon}, ${at(first('seq', 4))} + INTERVAL 365 DAY), ${growth('seq')}, '2000-01-01 00:00:00', ${checkinDay('seq')}, 1
      FROM seq_${a}_to_${b}`,
  );
  // One counter order per member (its code step taken), the first entry of their ledger, and its growth.
  await bulk(
    conn,
    n,
    (a, b) => `INSERT INTO orders (id, store_id, staff_id, member_id, receipt_no, tier_code, gross_cents, tier_discount_cents, coupon_id,
        coupon_discount_cents, points_used, points_discount_cents, due_cents, points_earned, growth_earned, multiplier_pct, code_step, created_at)
      SELECT ${id('seq')}, '${p.storeId}', '${p.staffId}', ${mid('seq')}, CONCAT('V', seq), ${tier('seq')}, 200 * (10 + seq % 90), 0, NULL,
        0, 0, 0, 200 * (10 + seq % 90), 2 * (10 + seq % 90), ${growth('seq')}, 100, seq, ${at(first('seq', 0))}
      FROM seq_${a}_to_${b}`,
  );
  await bulk(
    conn,
    n,
    (a, b) => `INSERT INTO growth_ledger (id, member_id, delta, value_after, reason, source_key, created_at)
      SELECT ${id('seq')}, ${mid('seq')}, ${growth('seq')}, ${growth('seq')}, 'order', CONCAT('order:', ${id('seq')}), ${at(first('seq', 0))}
      FROM seq_${a}_to_${b}`,
  );
  // The ledger, in time order.
  const m = `(1 + (seq - 1) DIV ${PER_MEMBER})`;
  const k = `((seq - 1) % ${PER_MEMBER})`;
  const amount = `(10 + ${m} % 90)`;
  await bulk(
    conn,
    rows,
    (a, b) => `INSERT INTO points_ledger (id, member_id, delta, balance_after, reason, source_key, lot_id, expires_at, note, created_at)
      SELECT ${id('seq')}, ${mid(m)}, IF(${k} % 2 = 0, 2 * ${amount}, -${amount}),
        2 * ${amount} * (FLOOR(${k} / 2) + 1) - ${amount} * FLOOR((${k} + 1) / 2),
        IF(${k} % 2 = 1, 'redeem', ELT(1 + ${k} DIV 2, 'order', 'checkin', 'share', 'checkin', 'review')),
        IF(${k} = 0, CONCAT('order:', ${id(m)}), CONCAT('vol:', seq)),
        IF(${k} % 2 = 0, ${id('seq')}, NULL), IF(${k} % 2 = 0, ${lotExpiry('seq', k, m)}, NULL), NULL, ${at('seq')}
      FROM seq_${a}_to_${b}`,
  );
  // The lots of the credits (entries 0, 2, 4, 6, 8): lot j is entry k = 2·((j-1) div n) of member m.
  const lm = `(1 + (seq - 1) DIV ${PER_MEMBER / 2})`;
  const lk = `(2 * ((seq - 1) % ${PER_MEMBER / 2}))`;
  const ls = `((${lm} - 1) * ${PER_MEMBER} + ${lk} + 1)`;
  await bulk(
    conn,
    (rows / 2) | 0,
    (a, b) => `INSERT INTO points_lots (id, member_id, amount, remaining, earned_at, expires_at, ledger_id)
      SELECT ${id(ls)}, ${mid(lm)}, 2 * (10 + ${lm} % 90), CASE ${lk} WHEN 0 THEN 0 WHEN 2 THEN 0 WHEN 4 THEN 10 + ${lm} % 90 ELSE 2 * (10 + ${lm} % 90) END,
        ${at(ls)}, ${lotExpiry(ls, lk, lm)}, ${id(ls)}
      FROM seq_${a}_to_${b}`,
  );
  // A coupon per member (every second one used), a check-in per member, a redemption for every
  // second member, an invitation for every tenth.
  await bulk(
    conn,
    n,
    (a, b) => `INSERT INTO member_coupons (id, member_id, template_id, kind, title, value_cents, threshold_cents, discount_percent, cap_cents, min_tier,
        valid_from, valid_to, status, lock_ref, locked_until, used_order_id, used_at, source_key, created_at)
      SELECT ${id('seq')}, ${mid('seq')}, 'T', 'cash', '券', 500, NULL, NULL, NULL, NULL,
        ${at(first('seq', 1))}, ${at(first('seq', 1))} + INTERVAL 400 DAY, IF(seq % 2 = 1, 'used', 'available'), NULL, NULL, NULL, NULL,
        CONCAT('vol:', seq), ${at(first('seq', 1))}
      FROM seq_${a}_to_${b}`,
  );
  await bulk(
    conn,
    n,
    (a, b) => `INSERT INTO checkins (id, member_id, day, streak, points, growth, bonus, created_at)
      SELECT ${id('seq')}, ${mid('seq')}, ${checkinDay('seq')}, 1, 2 * (10 + seq % 90), 0, 0, ${at(first('seq', 2))}
      FROM seq_${a}_to_${b}`,
  );
  await bulk(
    conn,
    (n / 2) | 0,
    (a, b) => `INSERT INTO redemptions (id, member_id, item_id, kind, title, quantity, points_spent, status, pickup_code, coupon_ids,
        fulfilled_store_id, fulfilled_by, fulfilled_at, cancelled_at, created_at)
      SELECT ${id('seq')}, ${mid('2 * seq')}, 'I', 'physical', '杯', 1, 10 + (2 * seq) % 90, IF(seq % 10 = 0, 'cancelled', 'fulfilled'),
        NULL, NULL, NULL, NULL, NULL, NULL, ${at(first('2 * seq', 3))}
      FROM seq_${a}_to_${b}`,
  );
  await bulk(
    conn,
    (n / 10) | 0,
    (
      a,
      b,
    ) => `INSERT INTO referrals (id, inviter_id, invitee_id, status, risk_rank, first_order_id, month, slot, inviter_points, inviter_growth, invitee_points,
        milestone_coupon_id, registered_at, ordered_at, rewarded_at, reversed_at)
      SELECT ${id('seq')}, ${mid(`1 + (seq * 7) % ${n}`)}, ${mid(`10 * seq`)}, IF(seq % 2 = 0, 'rewarded', 'registered'),
        NULL, NULL, NULL, NULL, 0, 0, 0, NULL, ${at(first('10 * seq', 0))}, NULL, NULL, NULL
      FROM seq_${a}_to_${b}`,
  );
  for (const table of ['members', 'orders', 'growth_ledger', 'points_ledger', 'points_lots', 'member_coupons', 'checkins', 'redemptions', 'referrals'])
    await conn.query(`ANALYZE TABLE ${table}`);
}

/**
 * Members whose balance is not their ledger sum or their lots' remainders: every member up to
 * 100 000, else 10 000 spread evenly over the table (the generator is the same for all of them).
 */
async function unbalanced(conn: mysql.Connection, n: number): Promise<number> {
  const ids = n <= 100_000 ? null : spread(n, 10_000, 0).map(memberId);
  const [rows] = await conn.query(
    `SELECT COUNT(*) AS bad FROM members m
     WHERE ${ids ? 'm.id IN (?) AND' : ''}
       (m.points_balance <> (SELECT COALESCE(SUM(e.delta), 0) FROM points_ledger e WHERE e.member_id = m.id)
        OR m.points_balance <> (SELECT COALESCE(SUM(l.remaining), 0) FROM points_lots l WHERE l.member_id = m.id))`,
    ids ? [ids] : [],
  );
  return Number((rows as { bad: number | string }[])[0].bad);
}

/** Members 1 … n picked evenly over the table, `count` of them, shifted by `offset` so two picks never meet. */
function spread(n: number, count: number, offset: number): number[] {
  return Array.from({ length: count }, (_, i) => 1 + ((Math.floor((i * n) / count) + offset) % n));
}

async function prepare(name: string, n: number, secrets: { APP_SECRET: string; DATA_KEY: string }, made: string[]): Promise<Seeded> {
  const dbName = `mc_bench_volume_${name}_${randomBytes(4).toString('hex')}`;
  made.push(dbName);
  const server = await mysql.createConnection(DB_URL);
  await server.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4`);
  await server.end();
  const url = `${DB_URL}/${dbName}`;
  const config = loadConfig({ NODE_ENV: 'test', ...secrets, LOG_LEVEL: 'silent' });
  const dataSource = await openDataSource(createDataSource({ dbUrl: url, sqlitePath: '', poolSize: 4 }));
  const conn = await mysql.createConnection(url);
  try {
    await dataSource.runMigrations({ transaction: 'each' });
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
    const store = await services.staff.createStore('压测门店');
    const cashier = await services.staff.createStaff({ storeId: store.id, username: 'vol-cashier', password: 'bench-password', role: 'cashier' });
    const admin = await services.staff.createStaff({ storeId: store.id, username: 'vol-admin', password: 'bench-password', role: 'admin' });
    const now = new Date();
    const t0 = Date.now();
    console.log(`${name}: seeding ${n.toLocaleString('en')} members and ${(n * PER_MEMBER).toLocaleString('en')} ledger rows in bulk…`);
    await seed(conn, n, {
      end: new Date(now.getTime() - 60_000),
      storeId: store.id,
      staffId: cashier.id,
      codeSecretEnc: new FieldCrypto(config.dataKey).encrypt(CODE_SECRET),
      consentVersion: config.loyalty.privacy.consentVersion,
    });
    const seedSeconds = (Date.now() - t0) / 1000;
    const bad = await unbalanced(conn, n);
    if (bad > 0) throw new Error(`${name}: ${bad} members whose balance is not their ledger sum or their lots' remainders`);
    // The rows went in directly, past the use cases that keep the KPI summary's counters: recount them.
    const c0 = Date.now();
    await services.reports.rebuildCounters();
    const countersSeconds = (Date.now() - c0) / 1000;
    const r0 = Date.now();
    await services.reports.rollup(now);
    const rollupSeconds = (Date.now() - r0) / 1000;
    console.log(
      `${name}: seeded in ${seedSeconds.toFixed(1)} s, balances = ledgers = lots checked${n > 100_000 ? ' (10 000 members spread over the table)' : ''}, report counters recounted in ${countersSeconds.toFixed(1)} s, report-rollup first run ${rollupSeconds.toFixed(1)} s`,
    );
    const tokens = new TokenService(config.appSecret);
    return {
      name,
      url,
      members: n,
      ledgerRows: n * PER_MEMBER,
      seedSeconds,
      rollupSeconds,
      memberTokens: spread(n, READERS, 0).map((i) => tokens.issue({ aud: 'member', sub: memberId(i) }, 3600).token),
      payers: spread(n, PAYERS, Math.floor(n / READERS / 2)).map((i) => ({ ref: String(i).padStart(10, '0'), secret: CODE_SECRET })),
      cashierToken: tokens.issue({ aud: 'staff', sub: cashier.id, store: store.id, role: 'cashier' }, 3600).token,
      adminToken: tokens.issue({ aud: 'admin', sub: admin.id, store: store.id, role: 'admin' }, 3600).token,
      periodSeconds: config.loyalty.dynamicCode.periodSeconds,
    };
  } finally {
    await conn.end();
    await dataSource.destroy();
  }
}

/** Median milliseconds of the KPI summary over `days` days, one request at a time. */
async function kpi(url: string, token: string, days: number, runs: number): Promise<number> {
  const tz = loadConfig().loyalty.businessTimeZone;
  const to = businessDate(new Date(), tz);
  const from = addBusinessDays(to, -(days - 1));
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${url}/api/v1/admin/reports/summary?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`KPI summary answered ${res.status}`);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(ms);
}

interface VolumeRow {
  name: string;
  unit: 'req/s' | 'ms';
  small: number[];
  large: number[];
  errors: number;
}

function printVolume(small: Seeded, large: Seeded, rows: VolumeRow[]): boolean {
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  const fmt = (n: number) => n.toLocaleString('en');
  console.log(
    `\nData volume: ${fmt(large.members)} members / ${fmt(large.ledgerRows)} ledger rows (seeded in ${large.seedSeconds.toFixed(0)} s, rollup ${large.rollupSeconds.toFixed(1)} s)` +
      ` beside ${fmt(small.members)} / ${fmt(small.ledgerRows)} (seeded in ${small.seedSeconds.toFixed(0)} s), same generator, same migrations`,
  );
  console.log(`${'path'.padEnd(22)} ${pad('small', 9)} ${pad('large', 9)}  ${pad('slowdown', 8)}  target`);
  let ok = true;
  for (const r of rows) {
    // Per round: how many times slower the large database answered (throughput ratio, or time ratio).
    const slowdowns = r.small.map((s, i) => (r.unit === 'req/s' ? s / r.large[i] : r.large[i] / s));
    const slowdown = median(slowdowns);
    const pass = slowdown <= MAX_SLOWDOWN && r.errors === 0;
    ok &&= pass;
    const v = (xs: number[]) => `${median(xs).toFixed(0)}${r.unit === 'ms' ? ' ms' : '/s'}`;
    console.log(
      `${r.name.padEnd(22)} ${pad(v(r.small), 9)} ${pad(v(r.large), 9)}  ${pad(slowdown.toFixed(2), 7)}×  ≤ ${MAX_SLOWDOWN}×${r.errors ? ` (${r.errors} errors)` : ''} ${pass ? '✓' : '✗'}`,
    );
    console.log(`${''.padEnd(22)} rounds: ${slowdowns.map((x) => `${x.toFixed(2)}×`).join(' ')}`);
  }
  return ok;
}

/** Sets InnoDB's buffer pool to `mb` (when larger than the server's), and how to put it back. */
async function bufferPool(mb: number): Promise<{ before: number; during: number; restore: () => Promise<void> }> {
  const server = await mysql.createConnection(DB_URL);
  try {
    const sizeMb = async () => {
      const [rows] = await server.query('SELECT @@innodb_buffer_pool_size AS b');
      return Math.round(Number((rows as { b: number | string }[])[0].b) / 1024 / 1024);
    };
    const before = await sizeMb();
    if (mb <= before) return { before, during: before, restore: () => Promise.resolve() };
    const resize = async (to: number) => {
      const conn = await mysql.createConnection(DB_URL);
      try {
        await conn.query(`SET GLOBAL innodb_buffer_pool_size = ${Math.trunc(to) * 1024 * 1024}`);
        // The resize runs in the background: wait until the server reports the new size.
        for (let i = 0; i < 600; i++) {
          const [rows] = await conn.query('SELECT @@innodb_buffer_pool_size AS b');
          if (Math.round(Number((rows as { b: number | string }[])[0].b) / 1024 / 1024) === to) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await conn.end();
      }
    };
    try {
      await resize(mb);
    } catch (e) {
      console.warn(`could not resize InnoDB's buffer pool (${String(e)}): measuring with the server's ${before} MB`);
      return { before, during: before, restore: () => Promise.resolve() };
    }
    return { before, during: await sizeMb(), restore: () => resize(before) };
  } finally {
    await server.end();
  }
}

/** Tables the measured paths read or write: their indexes are what a warm server holds in its pool. */
const HOT_TABLES = ['members', 'points_ledger', 'points_lots', 'growth_ledger', 'orders', 'member_coupons', 'checkins', 'outbox', 'report_counters'];

/**
 * Reads every index of the hot tables once, as a server that has been serving for a while holds
 * them in its buffer pool (when the pool is big enough): the rounds then measure the indexes, not
 * a cold start's random disk reads. Returns how long it took.
 */
async function warm(db: Seeded): Promise<number> {
  const started = Date.now();
  const conn = await mysql.createConnection(db.url);
  try {
    for (const table of HOT_TABLES) {
      const [rows] = await conn.query('SELECT DISTINCT INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [
        table,
      ]);
      for (const { i } of rows as { i: string }[]) await conn.query(`SELECT COUNT(*) FROM \`${table}\` FORCE INDEX (\`${i}\`)`);
    }
  } finally {
    await conn.end();
  }
  return (Date.now() - started) / 1000;
}

/** InnoDB's count of pages it had to read from disk so far (server-wide). */
async function diskReads(): Promise<number> {
  const conn = await mysql.createConnection(DB_URL);
  try {
    const [rows] = await conn.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_reads'");
    return Number((rows as { Value: string }[])[0].Value);
  } finally {
    await conn.end();
  }
}

export async function benchVolume(): Promise<boolean> {
  const secrets = { APP_SECRET: randomBytes(32).toString('hex'), DATA_KEY: randomBytes(32).toString('hex') };
  const started = Date.now();
  const dbs: Seeded[] = [];
  const made: string[] = [];
  const children: ChildProcess[] = [];
  const pool = await bufferPool(BUFFER_POOL_MB);
  try {
    console.log(
      `\nData-volume bench: ${SMALL.toLocaleString('en')} members beside ${LARGE.toLocaleString('en')}, InnoDB buffer pool ${pool.during} MB (the server's: ${pool.before} MB)`,
    );
    dbs.push(await prepare('small', SMALL, secrets, made));
    dbs.push(await prepare('large', LARGE, secrets, made));
    const [small, large] = dbs;
    for (const db of dbs) console.log(`${db.name}: indexes of ${HOT_TABLES.join(', ')} read into the buffer pool in ${(await warm(db)).toFixed(1)} s`);
    const servers: string[] = [];
    for (const db of dbs) {
      const s = await start('bff', { BENCH_DB_URL_WITH_DB: db.url, ...secrets });
      children.push(s.child);
      servers.push(s.url);
    }
    const card = (i: number) => (seconds: number) => load(`${servers[i]}/api/v1/me`, { tokens: dbs[i].memberTokens, seconds });
    const slice = Math.floor(PAYERS / (ROUNDS + 1));
    let receipt = 0;
    const order = (i: number) => (seconds: number, round: number) => {
      const payers = dbs[i].payers.slice((round + 1) * slice, (round + 2) * slice);
      let next = 0;
      return load(`${servers[i]}/api/v1/counter/orders`, {
        method: 'POST',
        tokens: [dbs[i].cashierToken],
        seconds,
        maxRequests: payers.length,
        body: () => {
          const p = payers[next++ % payers.length];
          const code = generateMemberCode(p.ref, p.secret, Date.now(), dbs[i].periodSeconds, false).code;
          return JSON.stringify({ code, amountCents: 12_345, receiptNo: `W${++receipt}` });
        },
      });
    };
    const rows: VolumeRow[] = [];
    const paths: [string, (i: number) => (seconds: number, round: number) => Promise<Measured>][] = [
      ['member card', card],
      ['counter order', order],
    ];
    for (const [name, run] of paths) {
      await run(0)(WARMUP_SECONDS, -1);
      await run(1)(WARMUP_SECONDS, -1);
      const row: VolumeRow = { name, unit: 'req/s', small: [], large: [], errors: 0 };
      const reads = { small: 0, large: 0 };
      for (let r = 0; r < ROUNDS; r++) {
        let before = await diskReads();
        const s = await run(0)(SECONDS, r);
        reads.small += (await diskReads()) - before;
        before = await diskReads();
        const l = await run(1)(SECONDS, r);
        reads.large += (await diskReads()) - before;
        row.small.push(s.rps);
        row.large.push(l.rps);
        row.errors += s.errors + l.errors;
      }
      console.log(`${name}: pages read from disk during the rounds: small ${reads.small}, large ${reads.large}`);
      rows.push(row);
    }
    for (const days of [30, 365]) {
      await kpi(servers[0], small.adminToken, days, 1);
      await kpi(servers[1], large.adminToken, days, 1);
      const row: VolumeRow = { name: `KPI summary ${days} days`, unit: 'ms', small: [], large: [], errors: 0 };
      for (let r = 0; r < ROUNDS; r++) {
        row.small.push(await kpi(servers[0], small.adminToken, days, KPI_RUNS));
        row.large.push(await kpi(servers[1], large.adminToken, days, KPI_RUNS));
      }
      rows.push(row);
    }
    const ok = printVolume(small, large, rows);
    console.log(`data-volume bench took ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
    return ok;
  } finally {
    await stop(children);
    await pool.restore();
    if (process.env.BENCH_VOLUME_KEEP) {
      // Kept for probing (EXPLAIN, timing single statements): drop them yourself.
      console.log(`kept: ${made.map((name) => `${DB_URL}/${name}`).join(' ')}`);
    } else {
      const server = await mysql.createConnection(DB_URL);
      for (const name of made) await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await server.end();
    }
  }
}

if (require.main === module) {
  benchVolume().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}

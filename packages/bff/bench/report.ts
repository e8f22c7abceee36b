/**
 * The operators' KPI summary at scale: 100 000 members, 1 000 000 points-ledger rows and a year of
 * coupons, check-ins, referrals and redemptions, inserted in bulk (MariaDB's sequence tables) into
 * a scratch database migrated like production; then the `report-rollup` job's work runs once
 * (timed: the first run on a database rolls up every closed day), and the summary's figures
 * (`ReportService.figures`, what the route answers with) are timed over 30, 90 and 365 days beside
 * the 1 s target. Every statement of the 365-day summary is shown timed alone with its EXPLAIN plan
 * (access type, index, rows examined), so a full scan shows up at once.
 *
 * Part of `pnpm bench` (BENCH_PATHS includes `report`); on its own: `tsx bench/report.ts`.
 * BENCH_DB_URL (default the local MariaDB), BENCH_REPORT_MEMBERS (100 000), BENCH_REPORT_LEDGER (1 000 000).
 */
import { randomBytes } from 'node:crypto';
import { addBusinessDays, startOfBusinessDay } from '@member/shared';
import mysql from 'mysql2/promise';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { createDataSource, openDataSource } from '../src/db/data-source';
import { Db } from '../src/db/db';
import { ReportRepository } from '../src/db/repositories/admin.repository';
import { ReportCounterRepository } from '../src/db/repositories/report-counter.repository';
import { ReportService } from '../src/services/report.service';

const DB_URL = process.env.BENCH_DB_URL ?? 'mariadb://root@127.0.0.1:3306';
const MEMBERS = Number(process.env.BENCH_REPORT_MEMBERS ?? 100_000);
const LEDGER = Number(process.env.BENCH_REPORT_LEDGER ?? 1_000_000);
const RUNS = 5;
const TZ = 'Asia/Shanghai';
/** The last day of the seeded year. */
const LAST_DAY = '2026-11-20';

class Capture implements TypeOrmLogger {
  on = false;
  statements: { sql: string; params: unknown[] }[] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    if (this.on) this.statements.push({ sql: query, params: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** `INSERT … SELECT` over a sequence table, in slices so no statement holds a huge transaction. */
async function bulk(conn: mysql.Connection, total: number, slice: number, sql: (from: number, to: number) => string): Promise<void> {
  for (let from = 1; from <= total; from += slice) await conn.query(sql(from, Math.min(total, from + slice - 1)));
}

export async function seed(conn: mysql.Connection): Promise<void> {
  const end = `'${LAST_DAY} 12:00:00'`;
  // Members: ids sort like time-ordered ids; registered over the year; tiers spread.
  await bulk(
    conn,
    MEMBERS,
    50_000,
    (a, b) => `INSERT INTO members (id, status, code_ref, code_secret_enc, nickname, tier, growth, points_balance, registered_at, created_at, updated_at)
      SELECT LPAD(seq, 26, '0'), 'active', LPAD(seq, 10, '0'), 'x', CONCAT('会员', seq),
        ELT(1 + seq % 4, 'normal', 'silver', 'gold', 'diamond'), 0, 0,
        ${end} - INTERVAL (seq % 365) DAY, ${end} - INTERVAL (seq % 365) DAY, ${end}
      FROM seq_${a}_to_${b}`,
  );
  // The ledger: credits of every kind, spends and expiries, over the year.
  await bulk(
    conn,
    LEDGER,
    100_000,
    (a, b) => `INSERT INTO points_ledger (id, member_id, delta, balance_after, reason, source_key, lot_id, expires_at, note, created_at)
      SELECT CONCAT('L', LPAD(seq, 25, '0')), LPAD(1 + seq % ${MEMBERS}, 26, '0'),
        CASE seq % 6 WHEN 0 THEN -100 WHEN 1 THEN -20 ELSE 10 + seq % 90 END, 0,
        ELT(1 + seq % 6, 'redeem', 'expire', 'order', 'checkin', 'order', 'refund_return'),
        CONCAT('bench:', seq), NULL, NULL, NULL,
        ${end} - INTERVAL (seq % 365) DAY - INTERVAL (seq % 86400) SECOND
      FROM seq_${a}_to_${b}`,
  );
  const third = Math.floor(MEMBERS * 3);
  await bulk(
    conn,
    third,
    100_000,
    (a, b) => `INSERT INTO member_coupons (id, member_id, template_id, kind, title, value_cents, threshold_cents, discount_percent, cap_cents, min_tier,
        valid_from, valid_to, status, lock_ref, locked_until, used_order_id, used_at, source_key, created_at)
      SELECT CONCAT('C', LPAD(seq, 25, '0')), LPAD(1 + seq % ${MEMBERS}, 26, '0'), 'T', 'cash', '券', 500, NULL, NULL, NULL, NULL,
        ${end} - INTERVAL (seq % 365) DAY, ${end} + INTERVAL 30 DAY, IF(seq % 3 = 0, 'used', 'available'), NULL, NULL, NULL, NULL,
        CONCAT('bench:', seq), ${end} - INTERVAL (seq % 365) DAY
      FROM seq_${a}_to_${b}`,
  );
  await bulk(
    conn,
    MEMBERS * 2,
    100_000,
    (a, b) => `INSERT INTO checkins (id, member_id, day, streak, points, growth, bonus, created_at)
      SELECT CONCAT('K', LPAD(seq, 25, '0')), LPAD(1 + seq % ${MEMBERS}, 26, '0'), DATE_FORMAT(${end} - INTERVAL (seq DIV ${MEMBERS}) * 7 + seq % 7 DAY, '%Y-%m-%d'),
        1, 5, 2, 0, ${end} - INTERVAL (seq DIV ${MEMBERS}) * 7 + seq % 7 DAY
      FROM seq_${a}_to_${b}`,
  );
  await bulk(
    conn,
    Math.floor(MEMBERS / 5),
    100_000,
    (
      a,
      b,
    ) => `INSERT INTO referrals (id, inviter_id, invitee_id, status, risk_rank, first_order_id, month, slot, inviter_points, inviter_growth, invitee_points,
        milestone_coupon_id, registered_at, ordered_at, rewarded_at, reversed_at)
      SELECT CONCAT('R', LPAD(seq, 25, '0')), LPAD(1 + (seq * 7) % ${MEMBERS}, 26, '0'), LPAD(seq, 26, '0'), IF(seq % 2 = 0, 'rewarded', 'registered'),
        NULL, NULL, NULL, NULL, 0, 0, 0, NULL, ${end} - INTERVAL (seq % 365) DAY, NULL, NULL, NULL
      FROM seq_${a}_to_${b}`,
  );
  await bulk(
    conn,
    MEMBERS,
    100_000,
    (a, b) => `INSERT INTO redemptions (id, member_id, item_id, kind, title, quantity, points_spent, status, pickup_code, coupon_ids,
        fulfilled_store_id, fulfilled_by, fulfilled_at, cancelled_at, created_at)
      SELECT CONCAT('D', LPAD(seq, 25, '0')), LPAD(1 + seq % ${MEMBERS}, 26, '0'), 'I', 'physical', '杯', 1, 100, IF(seq % 10 = 0, 'cancelled', 'fulfilled'),
        NULL, NULL, NULL, NULL, NULL, NULL, ${end} - INTERVAL (seq % 365) DAY
      FROM seq_${a}_to_${b}`,
  );
  for (const table of ['members', 'points_ledger', 'member_coupons', 'checkins', 'referrals', 'redemptions']) await conn.query(`ANALYZE TABLE ${table}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The target: the summary answers in under 1 s over any range up to a year. */
const TARGET_MS = 1000;
const RANGES = [30, 90, 365];

export interface ReportBench {
  rollupMs: number;
  /** Median milliseconds per range length (days). */
  medians: Record<number, number>;
}

/** Seeds, rolls up, times and explains; returns the rollup's and each range's median milliseconds. */
export async function benchReport(): Promise<ReportBench> {
  const dbName = `mc_bench_report_${randomBytes(4).toString('hex')}`;
  const server = await mysql.createConnection(DB_URL);
  await server.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4`);
  const capture = new Capture();
  const dataSource = await openDataSource(createDataSource({ dbUrl: `${DB_URL}/${dbName}`, sqlitePath: '', poolSize: 5, logger: capture }));
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const conn = await mysql.createConnection(`${DB_URL}/${dbName}`);
    const seeding = Date.now();
    console.log(`\nKPI summary: seeding ${MEMBERS} members and ${LEDGER} ledger rows in bulk…`);
    await seed(conn);
    console.log(`seeded in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
    const settings = loadConfig().runtime.reports;
    const db = new Db(dataSource);
    const reports = new ReportService(db, new ReportRepository(db), new ReportCounterRepository(db), TZ, settings);
    // The rows went in directly, past the use cases that keep the counters: recount them.
    const counting = Date.now();
    await reports.rebuildCounters();
    console.log(`report counters recounted in ${((Date.now() - counting) / 1000).toFixed(1)} s`);
    // Midday of the last seeded day: that day is today (read live), the days before it are closed.
    const now = new Date(startOfBusinessDay(LAST_DAY, TZ).getTime() + 12 * 3_600_000);

    const rolling = process.hrtime.bigint();
    const rolled = await reports.rollup(now);
    const rollupMs = Number(process.hrtime.bigint() - rolling) / 1e6;
    console.log(`report-rollup job, first run: ${rolled.days} days rolled up in ${(rollupMs / 1000).toFixed(1)} s`);
    const again = process.hrtime.bigint();
    const rerun = await reports.rollup(now);
    console.log(
      `report-rollup job, next run: ${rerun.days} days recomputed in ${(Number(process.hrtime.bigint() - again) / 1e6).toFixed(0)} ms (the last ${settings.recomputeDays} closed days)`,
    );

    const medians: Record<number, number> = {};
    for (const days of RANGES) {
      const fromDay = addBusinessDays(LAST_DAY, -(days - 1));
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = process.hrtime.bigint();
        await reports.figures(fromDay, LAST_DAY, now);
        ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      medians[days] = median(ms);
    }
    console.log(`\nsummary medians (${RUNS} runs each, target < ${TARGET_MS} ms):`);
    for (const days of RANGES)
      console.log(
        `  ${String(days).padStart(3)} days: ${medians[days].toFixed(1).padStart(7)} ms  ${medians[days] < TARGET_MS ? 'under' : 'OVER'} the ${TARGET_MS} ms target`,
      );

    capture.on = true;
    await reports.figures(addBusinessDays(LAST_DAY, -364), LAST_DAY, now);
    capture.on = false;
    console.log('\nEach statement of the 365-day summary, timed alone, with its EXPLAIN: table, type, key, rows, Extra');
    for (const s of capture.statements) {
      const t0 = process.hrtime.bigint();
      await conn.query(s.sql, s.params);
      const took = Number(process.hrtime.bigint() - t0) / 1e6;
      const plan = (await conn.query(`EXPLAIN ${s.sql}`, s.params))[0] as Record<string, unknown>[];
      console.log(`- ${took.toFixed(1).padStart(6)} ms  ${s.sql.replace(/\s+/g, ' ').slice(0, 110)}…`);
      for (const r of plan)
        console.log(`    ${String(r.table)}  ${String(r.type)}  ${String(r.key)}  rows≈${String(r.rows)}  ${typeof r.Extra === 'string' ? r.Extra : ''}`);
    }
    await conn.end();
    return { rollupMs, medians };
  } finally {
    await dataSource.destroy();
    await server.query(`DROP DATABASE \`${dbName}\``);
    await server.end();
  }
}

if (require.main === module) {
  benchReport().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}

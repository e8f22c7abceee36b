import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import { entities } from './entities';
import { Foundation1732000000000 } from './migrations/1732000000000-foundation';
import { Counter1732100000000 } from './migrations/1732100000000-counter';
import { Mall1732200000000 } from './migrations/1732200000000-mall';
import { Core1732300000000 } from './migrations/1732300000000-core';
import { RefundApprovals1732450000000 } from './migrations/1732450000000-refund-approvals';
import { StaffThrottle1732480000000 } from './migrations/1732480000000-staff-throttle';
import { Engagement1732500000000 } from './migrations/1732500000000-engagement';
import { ShareReferral1732600000000 } from './migrations/1732600000000-share-referral';
import { QualifyingGrowth1732700000000 } from './migrations/1732700000000-qualifying-growth';
import { Admin1732720000000 } from './migrations/1732720000000-admin';
import { JobRuns1732710000000 } from './migrations/1732710000000-job-runs';
import { Notifications1732730000000 } from './migrations/1732730000000-notifications';
import { ShareLinkReuse1732740000000 } from './migrations/1732740000000-share-link-reuse';
import { ReportDays1732750000000 } from './migrations/1732750000000-report-days';
import { StaffSessions1732760000000 } from './migrations/1732760000000-staff-sessions';
import { ReportCounters1732770000000 } from './migrations/1732770000000-report-counters';
import { ReportOpenDay1732780000000 } from './migrations/1732780000000-report-open-day';
import { MemberCheckinState1732790000000 } from './migrations/1732790000000-member-checkin-state';

export const migrations = [
  Foundation1732000000000,
  Counter1732100000000,
  Mall1732200000000,
  Core1732300000000,
  RefundApprovals1732450000000,
  StaffThrottle1732480000000,
  Engagement1732500000000,
  ShareReferral1732600000000,
  QualifyingGrowth1732700000000,
  JobRuns1732710000000,
  Admin1732720000000,
  Notifications1732730000000,
  ShareLinkReuse1732740000000,
  ReportDays1732750000000,
  StaffSessions1732760000000,
  ReportCounters1732770000000,
  ReportOpenDay1732780000000,
  MemberCheckinState1732790000000,
];

/** Prepared statements kept per pooled connection: 200 for the default pool of 20, never fewer than 16. */
export function preparedPerConnection(poolSize: number): number {
  return Math.max(16, Math.min(200, Math.floor(4000 / poolSize)));
}

export interface DbOptions {
  dbUrl: string | null;
  sqlitePath: string;
  poolSize: number;
  /** Sees every statement TypeORM sends (the statement-budget tests count them). */
  logger?: TypeOrmLogger;
}

/**
 * MySQL when a `mysql://` URL is given (MariaDB: `mariadb://`), otherwise the embedded SQLite file. Migrations only,
 * never `synchronize`. mysql2 runs in UTC (`timezone: 'Z'`) and returns numbers for numeric types.
 */
export function createDataSource(opts: DbOptions): DataSource {
  const logging = opts.logger ? { logger: opts.logger } : { logging: false as const };
  if (opts.dbUrl) {
    return new DataSource({
      // Same driver (mysql2) for both; `mariadb://` tells TypeORM which dialect of schema metadata to expect.
      type: opts.dbUrl.startsWith('mariadb://') ? 'mariadb' : 'mysql',
      url: opts.dbUrl,
      entities,
      migrations,
      migrationsTableName: 'schema_migrations',
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
      poolSize: opts.poolSize,
      // Db sends a transaction's queued writes with its next statement as one query (see Db).
      multipleStatements: true,
      // Db runs single statements as prepared statements: at most this many kept per connection,
      // about 4 000 per pool whatever its size (MariaDB allows 16 382 server-wide by default).
      extra: { connectionLimit: opts.poolSize, decimalNumbers: true, maxPreparedStatements: preparedPerConnection(opts.poolSize) },
      ...logging,
    });
  }
  if (opts.sqlitePath !== ':memory:') mkdirSync(path.dirname(opts.sqlitePath), { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: opts.sqlitePath,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    enableWAL: opts.sqlitePath !== ':memory:',
    ...logging,
  });
}

interface PoolConnection {
  query(sql: string, cb: (err: Error | null) => void): void;
  release(): void;
}
interface Pool {
  on(event: 'connection', listener: (c: PoolConnection) => void): void;
  getConnection(cb: (err: Error | null, c: PoolConnection) => void): void;
}

const READ_COMMITTED = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';

/**
 * Opens the data source and, on MySQL, sets READ COMMITTED once per pooled connection rather than
 * with a `SET TRANSACTION` round trip before every transaction.
 *
 * Why READ COMMITTED and not InnoDB's REPEATABLE READ: correctness comes from the member row lock
 * and conditional updates, and every read must see the latest committed rows. Under REPEATABLE
 * READ, a read made before a lock wait freezes the snapshot, so after waiting for a concurrent
 * transaction a use case would count redemptions or compute a balanceAfter from stale data (the
 * concurrency tests caught exactly that).
 */
export async function openDataSource(dataSource: DataSource): Promise<DataSource> {
  await dataSource.initialize();
  if (dataSource.options.type !== 'mysql' && dataSource.options.type !== 'mariadb') return dataSource;
  const pool = (dataSource.driver as unknown as { pool: Pool }).pool;
  // Connections opened from now on get the setting before any other statement (mysql2 queues in order).
  pool.on('connection', (c) => c.query(READ_COMMITTED, () => undefined));
  // TypeORM opened (and returned to the pool) one connection while initialising: set it there too.
  await new Promise<void>((resolve, reject) =>
    pool.getConnection((err, c) => {
      if (err) {
        reject(err);
        return;
      }
      c.query(READ_COMMITTED, (qErr) => {
        c.release();
        if (qErr) reject(qErr);
        else resolve();
      });
    }),
  );
  return dataSource;
}

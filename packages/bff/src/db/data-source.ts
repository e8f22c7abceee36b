import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { entities } from './entities';
import { Foundation1732000000000 } from './migrations/1732000000000-foundation';
import { Counter1732100000000 } from './migrations/1732100000000-counter';
import { Mall1732200000000 } from './migrations/1732200000000-mall';

export const migrations = [Foundation1732000000000, Counter1732100000000, Mall1732200000000];

export interface DbOptions {
  dbUrl: string | null;
  sqlitePath: string;
  poolSize: number;
}

/**
 * MySQL when a `mysql://` URL is given, otherwise the embedded SQLite file. Migrations only,
 * never `synchronize`. mysql2 runs in UTC (`timezone: 'Z'`) and returns numbers for numeric types.
 */
export function createDataSource(opts: DbOptions): DataSource {
  if (opts.dbUrl) {
    return new DataSource({
      type: 'mysql',
      url: opts.dbUrl,
      entities,
      migrations,
      migrationsTableName: 'schema_migrations',
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
      poolSize: opts.poolSize,
      extra: { connectionLimit: opts.poolSize, decimalNumbers: true },
      logging: false,
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
    logging: false,
  });
}

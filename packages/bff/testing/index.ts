/**
 * `@member/bff/testing`: what every test tier of the project shares to stand up real databases and
 * scenes — the BFF's integration tests and the mini-program's browser tests alike. Test code only;
 * it is not part of the BFF's build.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { Services } from '../src/services';
import { runBirthdayCoupons } from '../src/jobs/birthday-coupons';

/** The MySQL-compatible server the tests use (MariaDB on these machines); override with TEST_DB_URL. */
export const TEST_DB_URL = process.env.TEST_DB_URL ?? 'mariadb://root@127.0.0.1:3306';

export interface TestDatabase {
  name: string;
  /** `mysql://…/<name>`: give it to the BFF as DB_URL. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty utf8mb4 database on the test server, so concurrent test files never share state. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection(TEST_DB_URL);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `${TEST_DB_URL}/${name}`,
    drop: async () => {
      const a = await mysql.createConnection(TEST_DB_URL);
      try {
        await a.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await a.end();
      }
    },
  };
}

/**
 * Runs `fn` with the BFF's own services over the database a running BFF uses (its environment:
 * DB_URL, DATA_KEY, APP_SECRET…), to set up a scene the way the product would have made it.
 */
export async function withServices<T>(env: Record<string, string>, fn: (services: Services) => Promise<T>): Promise<T> {
  Object.assign(process.env, env);
  const { bootstrap } = await import('../src/cli/bootstrap');
  const { systemClock } = await import('../src/lib/clock');
  const { services, close } = await bootstrap(systemClock);
  try {
    return await fn(services);
  } finally {
    await close();
  }
}

/** Scenes built through the real services (never by writing rows behind their back). */
export const scenes = {
  /** Points and growth as a purchase of `yuan` would earn them (¥1 = 1 point, 1 growth). */
  async earn(s: Services, memberId: string, yuan: number, key: string): Promise<void> {
    await s.points.credit(memberId, { amount: yuan, reason: 'order', sourceKey: `${key}:points` });
    await s.points.addGrowth(memberId, { delta: yuan, reason: 'order', sourceKey: `${key}:growth` });
  },

  /** The birthday-coupons job, run now: this business month's birthday gifts, as the scheduler issues them. */
  async birthdayCoupons(s: Services): Promise<void> {
    await runBirthdayCoupons(s, { now: s.clock.now() });
  },

  /** A points gift (an operator's adjustment). */
  async givePoints(s: Services, memberId: string, amount: number, key: string): Promise<void> {
    await s.points.credit(memberId, { amount, reason: 'adjust', sourceKey: key });
  },

  /** A staff account in a store (created on first mention). */
  async staff(s: Services, input: { store: string; username: string; password: string; role: 'cashier' | 'manager' | 'admin' }) {
    const store = (await s.staff.storeByName(input.store)) ?? (await s.staff.createStore(input.store));
    return s.staff.createStaff({ storeId: store.id, username: input.username, password: input.password, role: input.role });
  },
};

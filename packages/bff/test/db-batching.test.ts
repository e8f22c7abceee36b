import { beforeAll, describe, expect, it } from '@jest/globals';
import { isDuplicateKey, type Db } from '../src/db/db';
import { useTestApp, type TestApp } from './support/test-app';

// Db holds back a transaction's answer-less writes (`write`) and sends them with its next
// statement or its COMMIT, as one multi-statement query. These tests pin down what that must not
// change: order, visibility, failure and rollback, on a table of their own.

const TABLE = 'batch_probe';

async function probeTable(t: TestApp): Promise<void> {
  await t.db.execute(`DROP TABLE IF EXISTS ${TABLE}`);
  await t.db.execute(`CREATE TABLE ${TABLE} (id VARCHAR(40) PRIMARY KEY, n INT NOT NULL)`);
}

const ids = async (db: Db) => (await db.rows<{ id: string }>(`SELECT id FROM ${TABLE} ORDER BY id`)).map((r) => r.id);
const insert = (db: Db, id: string, n = 1) => db.write(`INSERT INTO ${TABLE} (id, n) VALUES (?, ?)`, [id, n]);

describe('batched writes in a MariaDB transaction', () => {
  const t = useTestApp();
  beforeAll(async () => probeTable(t));

  it('are read back by the next statement of the same transaction, in the order they were written', async () => {
    const seen = await t.db.transaction(async () => {
      await insert(t.db, 'a-1', 1);
      await t.db.execute(`UPDATE ${TABLE} SET n = n + 10 WHERE id = ?`, ['a-1']);
      await insert(t.db, 'a-2', 2);
      return t.db.rows<{ id: string; n: number }>(`SELECT id, n FROM ${TABLE} WHERE id LIKE 'a-%' ORDER BY id`);
    });
    expect(seen).toEqual([
      { id: 'a-1', n: 11 },
      { id: 'a-2', n: 2 },
    ]);
  });

  it('travel with the next statement or COMMIT: fewer round trips, every statement still sent', async () => {
    const trips = await t.roundTripsOf(() =>
      t.db.transaction(async () => {
        await insert(t.db, 'b-1');
        await insert(t.db, 'b-2');
        expect(await t.db.changedOne(`UPDATE ${TABLE} SET n = 5 WHERE id = ?`, ['b-1'])).toBe(true);
        await insert(t.db, 'b-3');
      }),
    );
    expect(trips).toHaveLength(2);
    expect(trips[0].split(';\n')).toEqual([
      'START TRANSACTION',
      `INSERT INTO ${TABLE} (id, n) VALUES (?, ?)`,
      `INSERT INTO ${TABLE} (id, n) VALUES (?, ?)`,
      `UPDATE ${TABLE} SET n = 5 WHERE id = ?`,
    ]);
    expect(trips[1].split(';\n')).toEqual([`INSERT INTO ${TABLE} (id, n) VALUES (?, ?)`, 'COMMIT']);
    expect((await ids(t.db)).filter((id) => id.startsWith('b-'))).toEqual(['b-1', 'b-2', 'b-3']);
  });

  it('a conditional update travelling with queued writes reports its own row count', async () => {
    const changed = await t.db.transaction(async () => {
      await insert(t.db, 'c-1');
      return t.db.changedOne(`UPDATE ${TABLE} SET n = n + 1 WHERE id = ? AND n > 100`, ['c-1']);
    });
    expect(changed).toBe(false);
    expect(await ids(t.db)).toContain('c-1');
  });

  it('a duplicate key in a queued write fails the transaction where it is sent, and nothing of it stays', async () => {
    await insert(t.db, 'd-taken');
    let error: unknown;
    try {
      await t.db.transaction(async () => {
        await t.db.execute(`INSERT INTO ${TABLE} (id, n) VALUES ('d-1', 1)`);
        await insert(t.db, 'd-2');
        await insert(t.db, 'd-taken');
        await insert(t.db, 'd-3');
        await t.db.rows(`SELECT id FROM ${TABLE}`);
        throw new Error('the read after the duplicate must not answer');
      });
    } catch (e) {
      error = e;
    }
    expect(isDuplicateKey(error)).toBe(true);
    expect((await ids(t.db)).filter((id) => id.startsWith('d-'))).toEqual(['d-taken']);
  });

  it('a duplicate key in the writes sent with COMMIT rolls everything back', async () => {
    await insert(t.db, 'e-taken');
    await expect(
      t.db.transaction(async () => {
        await t.db.execute(`UPDATE ${TABLE} SET n = 99 WHERE id = ?`, ['e-taken']);
        await insert(t.db, 'e-1');
        await insert(t.db, 'e-taken');
      }),
    ).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect((await ids(t.db)).filter((id) => id.startsWith('e-'))).toEqual(['e-taken']);
    expect(await t.db.row(`SELECT n FROM ${TABLE} WHERE id = ?`, ['e-taken'])).toEqual({ n: 1 });
  });

  it('a transaction that throws before anything was sent sends nothing at all', async () => {
    const trips = await t.roundTripsOf(async () => {
      await expect(
        t.db.transaction(async () => {
          await insert(t.db, 'f-1');
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
    });
    expect(trips).toEqual([]);
    expect(await ids(t.db)).not.toContain('f-1');
  });

  it('a transaction that throws after a round trip rolls back what was sent and drops what was not', async () => {
    await expect(
      t.db.transaction(async () => {
        await insert(t.db, 'g-1');
        await t.db.rows(`SELECT id FROM ${TABLE} WHERE id = 'g-1'`);
        await insert(t.db, 'g-2');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect((await ids(t.db)).filter((id) => id.startsWith('g-'))).toEqual([]);
  });

  it('outside a transaction a write runs at once, and the next transaction on the pool starts clean', async () => {
    await insert(t.db, 'h-1');
    expect(await ids(t.db)).toContain('h-1');
    // Twenty transactions (the pool's size) each leave a queued write unsent by throwing: none leaks
    // into a later transaction on the same pooled connection.
    for (let i = 0; i < 20; i++)
      await t.db
        .transaction(async () => {
          await t.db.rows('SELECT 1');
          await insert(t.db, `h-leak-${i}`);
          throw new Error('stop');
        })
        .catch(() => undefined);
    await t.db.transaction(async () => {
      await insert(t.db, 'h-2');
    });
    expect((await ids(t.db)).filter((id) => id.startsWith('h-'))).toEqual(['h-1', 'h-2']);
  });

  it('concurrent transactions each commit their own writes', async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.db.transaction(async () => {
          await insert(t.db, `k-${String(i).padStart(2, '0')}`, i);
          await t.db.row(`SELECT COUNT(*) AS n FROM ${TABLE}`);
          await insert(t.db, `k-${String(i).padStart(2, '0')}-b`, i);
        }),
      ),
    );
    const rows = (await ids(t.db)).filter((id) => id.startsWith('k-'));
    expect(rows).toHaveLength(60);
  });
});

describe('writes on SQLite', () => {
  const t = useTestApp({ dialect: 'sqlite' });
  beforeAll(async () => probeTable(t));

  it('run at once, one statement each, and roll back with their transaction', async () => {
    const trips = await t.roundTripsOf(() =>
      t.db
        .transaction(async () => {
          await insert(t.db, 's-1');
          await insert(t.db, 's-2');
          throw new Error('undo');
        })
        .catch(() => undefined),
    );
    expect(trips.filter((q) => q.startsWith('INSERT'))).toHaveLength(2);
    expect(trips.some((q) => q.includes(';\n'))).toBe(false);
    expect(await ids(t.db)).toEqual([]);
  });
});

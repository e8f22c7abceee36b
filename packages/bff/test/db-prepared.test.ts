import { describe, expect, it } from '@jest/globals';
import { useTestApp, type TestApp } from './support/test-app';

// Db runs a statement that travels alone as a server-side prepared statement (mysql2 `execute`).
// These tests pin down that it does, that values come back exactly as from a plain query, and that
// a statement the server will not prepare runs as a plain query instead of failing the request.
// (The other refusals — the server-wide limit, an unsupported command — take the same path; the
// limit is not provoked here: it is a server-wide setting that other test files would feel.)

/** The running connection's count of executed prepared statements (read on that connection). */
async function executedOnThisConnection(t: TestApp): Promise<number> {
  const rows = await t.db.rows<{ Value: string }>("SHOW SESSION STATUS LIKE 'Com_stmt_execute'");
  return Number(rows[0].Value);
}

describe('statements that travel alone are prepared on MariaDB', () => {
  const t = useTestApp();

  it('runs single statements as prepared statements, and a batch as a plain query', async () => {
    const executed = await t.db.transaction(async () => {
      await t.db.rows('SELECT 1'); // travels with START TRANSACTION: a plain multi-statement query
      const before = await executedOnThisConnection(t);
      for (let i = 0; i < 3; i++) await t.db.row('SELECT id FROM members WHERE id = ?', [`none-${i}`]);
      return (await executedOnThisConnection(t)) - before;
    });
    // The three SELECTs and the second SHOW itself.
    expect(executed).toBe(4);
  });

  it('answers with the same values as a plain query: dates, numbers, sums, nulls and text', async () => {
    const member = await t.member({ nickname: '张三' });
    await t.services.points.credit(member.id, { amount: 250, reason: 'adjust', sourceKey: 'prepared:values' });
    const sql = `SELECT m.id, m.nickname, m.birthday, m.registered_at, m.points_balance, m.next_expiry_at,
        (SELECT SUM(e.delta) FROM points_ledger e WHERE e.member_id = m.id) AS total,
        (SELECT COUNT(*) FROM points_ledger e WHERE e.member_id = m.id) AS entries,
        (SELECT COUNT(*) FROM points_ledger e WHERE e.member_id = m.id AND e.created_at <= ?) AS upTo,
        ? AS flag, ? AS nothing
      FROM members m WHERE m.id = ?`;
    // (A Date parameter compares the same either way. Selected back as a column it would differ:
    // text from a plain query, a Date from a prepared one; no statement of ours does that.)
    const params = [new Date(Date.now() + 60_000), true, null, member.id];
    const prepared = await t.db.row(sql, params);
    const runner = t.dataSource.createQueryRunner();
    let plain: unknown;
    try {
      plain = ((await runner.query(sql, params)) as unknown[])[0];
    } finally {
      await runner.release();
    }
    expect(prepared).toEqual(plain);
    const row = prepared as { points_balance: number; total: number; entries: number };
    expect(prepared).toMatchObject({ nickname: '张三', flag: 1, nothing: null });
    expect(row.total).toBe(row.points_balance);
    expect(row.points_balance).toBeGreaterThanOrEqual(250);
    expect(typeof row.entries).toBe('number');
    expect(prepared).toMatchObject({ upTo: row.entries });
    expect((prepared as { registered_at: unknown }).registered_at).toBeInstanceOf(Date);
  });

  it('runs a statement the server will not prepare (more than 65 535 placeholders) as a plain query, logged once', async () => {
    const n = 70_000;
    const sql = `SELECT COUNT(*) AS n FROM members WHERE id IN (${Array.from({ length: n }, () => '?').join(', ')})`;
    const trips = await t.roundTripsOf(async () =>
      expect(
        await t.db.row(
          sql,
          Array.from({ length: n }, (_, i) => `none-${i}`),
        ),
      ).toEqual({ n: 0 }),
    );
    expect(trips).toHaveLength(1);
  });

  it('binds undefined as NULL, as a plain query does', async () => {
    expect(await t.db.row('SELECT ? IS NULL AS missing', [undefined])).toEqual({ missing: 1 });
  });
});

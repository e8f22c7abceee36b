import { describe, expect, it } from '@jest/globals';
import { useTestApp } from './support/test-app';

/**
 * The entities (what the code believes) and the migrations (what the database has) must agree.
 * On MariaDB, TypeORM's schema builder compares the two in full after the migrations ran and must
 * find nothing to change. On SQLite its comparison is unreliable (it rebuilds tables over `int`
 * versus `integer`, which SQLite treats alike), so there the test compares what matters directly:
 * the same tables, columns (with nullability) and indexes (with uniqueness), in both directions.
 */
type T = ReturnType<typeof useTestApp>;

async function builderChanges(t: T): Promise<string[]> {
  const sql = await t.dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

async function structuralDifferences(t: T): Promise<string[]> {
  const runner = t.dataSource.createQueryRunner();
  try {
    const tables = await runner.getTables(t.dataSource.entityMetadatas.map((m) => m.tableName));
    const described = (cols: string[]) => [...cols].sort().join(',');
    const declared = new Set<string>();
    const found = new Set<string>();
    for (const m of t.dataSource.entityMetadatas) {
      for (const c of m.columns) declared.add(`${m.tableName}.${c.databaseName} ${c.isNullable ? 'NULL' : 'NOT NULL'}`);
      for (const i of m.indices)
        declared.add(`${m.tableName} index ${i.name} (${described(i.columns.map((c) => c.databaseName))})${i.isUnique ? ' unique' : ''}`);
    }
    for (const table of tables) {
      for (const c of table.columns) found.add(`${table.name}.${c.name} ${c.isNullable ? 'NULL' : 'NOT NULL'}`);
      for (const i of table.indices) found.add(`${table.name} index ${i.name ?? '?'} (${described(i.columnNames)})${i.isUnique ? ' unique' : ''}`);
    }
    const tableNames = await runner.query(
      t.dialect === 'sqlite'
        ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
    );
    const known = new Set([...t.dataSource.entityMetadatas.map((m) => m.tableName), 'schema_migrations']);
    return [
      ...[...declared].filter((d) => !found.has(d)).map((d) => `declared by an entity, not in the database: ${d}`),
      ...[...found].filter((f) => !declared.has(f)).map((f) => `in the database, not declared by an entity: ${f}`),
      ...(tableNames as { name: string }[]).filter((r) => !known.has(r.name)).map((r) => `table without an entity: ${r.name}`),
    ];
  } finally {
    await runner.release();
  }
}

describe('entities and migrations', () => {
  describe('on MariaDB', () => {
    const t = useTestApp();
    it('describe the same schema (the schema builder finds nothing to change)', async () => {
      expect(await builderChanges(t)).toEqual([]);
      expect(await structuralDifferences(t)).toEqual([]);
    });
  });

  describe('on SQLite', () => {
    const t = useTestApp({ dialect: 'sqlite' });
    it('describe the same tables, columns and indexes', async () => {
      expect(await structuralDifferences(t)).toEqual([]);
    });
  });
});

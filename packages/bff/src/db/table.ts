import type { EntitySchema } from 'typeorm';
import { dateOf, type RawRow } from './db';

/**
 * What raw SQL needs to know of a table, read from its TypeORM entity so the two never disagree:
 * the column list (`SELECT` with camelCase aliases), the row mapper (datetimes come back as Date
 * from mysql2 and as text from SQLite) and multi-row INSERTs.
 */
export interface Table<Row> {
  readonly name: string;
  /** `a.col_name AS colName, …` for every column (or only those of `only`); `prefix` is put before each alias (for joins). */
  select(alias?: string, prefix?: string, only?: readonly (keyof Row & string)[]): string;
  /** Maps a raw row selected with `select(alias)`; `prefix` strips a prefix added to the aliases in joins. */
  map(raw: RawRow, prefix?: string): Row;
  /** One INSERT for any number of rows. */
  insert(rows: readonly Row[]): [string, unknown[]];
  /** The database name of a property. */
  col(property: keyof Row & string): string;
}

interface ColumnOptions {
  name?: string;
  type?: unknown;
  nullable?: boolean;
}

export function tableOf<Row extends object>(entity: EntitySchema<Row>): Table<Row> {
  const name = entity.options.tableName ?? entity.options.name;
  const columns = Object.entries(entity.options.columns as Record<string, ColumnOptions>).map(([prop, opts]) => ({
    prop,
    col: opts.name ?? prop,
    date: opts.type === 'datetime',
  }));
  const byProp = new Map(columns.map((c) => [c.prop, c]));
  // The SQL is the same on every call of a hot path: built once per shape (column lists are constants).
  const selects = new Map<string, string>();
  const selectsOf = new WeakMap<readonly string[], Map<string, string>>();
  const colList = columns.map((c) => c.col).join(', ');
  const one = `(${columns.map(() => '?').join(', ')})`;
  const inserts: string[] = [];
  const insertSql = (n: number) => `INSERT INTO ${name} (${colList}) VALUES ${Array.from({ length: n }, () => one).join(', ')}`;
  return {
    name,
    select(alias, prefix = '', only) {
      let cache = selects;
      if (only) {
        const known = selectsOf.get(only);
        if (known) cache = known;
        else selectsOf.set(only, (cache = new Map<string, string>()));
      }
      const key = `${alias ?? ''}|${prefix}`;
      let sql = cache.get(key);
      if (sql === undefined) {
        sql = (only ? only.map((p) => byProp.get(p) ?? missing(name, p)) : columns)
          .map((c) => `${alias ? `${alias}.` : ''}${c.col} AS ${prefix}${c.prop}`)
          .join(', ');
        cache.set(key, sql);
      }
      return sql;
    },
    map(raw, prefix = '') {
      const row: Record<string, unknown> = {};
      for (const c of columns) {
        const key = prefix ? `${prefix}${c.prop}` : c.prop;
        if (!(key in raw)) continue;
        const v = raw[key];
        row[c.prop] = c.date && v !== null && v !== undefined ? dateOf(v) : v;
      }
      return row as Row;
    },
    insert(rows) {
      const params: unknown[] = [];
      for (const r of rows) for (const c of columns) params.push((r as Record<string, unknown>)[c.prop] ?? null);
      const n = rows.length;
      const sql = n <= 16 ? (inserts[n] ??= insertSql(n)) : insertSql(n);
      return [sql, params];
    },
    col(property) {
      return (byProp.get(property) ?? missing(name, property)).col;
    },
  };
}

function missing(table: string, property: string): never {
  throw new Error(`${table} has no column ${property}`);
}

import { DomainError } from '@member/shared';
import type { Db } from '../db';
import type { Table } from '../table';

/** An opaque cursor as the client sent it (base64url of the last id seen), or undefined for page one. */
export type Cursor = string | undefined;

export interface RowPage<T> {
  rows: T[];
  nextCursor: string | null;
}

/**
 * Keyset pagination over time-ordered ids, newest first. A malformed cursor is a 400, not a 500.
 * `where` is trusted SQL written by a repository; values go in `params`.
 */
export async function pageById<T extends { id: string }>(
  db: Db,
  table: Table<T>,
  where: string,
  params: unknown[],
  cursor: Cursor,
  limit: number,
): Promise<RowPage<T>> {
  let clause = where;
  const values = [...params];
  if (cursor !== undefined) {
    const last = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!/^[0-9A-Z]{26}$/.test(last)) {
      throw new DomainError('VALIDATION_FAILED', 'invalid cursor', { issues: [{ in: 'query', path: ['cursor'], message: 'malformed cursor' }] });
    }
    clause += ' AND id < ?';
    values.push(last);
  }
  const raw = await db.rows(`SELECT ${table.select()} FROM ${table.name} WHERE ${clause} ORDER BY id DESC LIMIT ${Math.trunc(limit) + 1}`, values);
  const rows = raw.map((r) => table.map(r));
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, nextCursor: more ? Buffer.from(page[page.length - 1].id, 'utf8').toString('base64url') : null };
}

import { DomainError } from '@member/shared';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Keyset pagination over time-ordered ids, newest first. The cursor is opaque to clients
 * (base64url of the last id) and a malformed one is a 400, not a 500.
 */
export async function pageById<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  cursor: string | undefined,
  limit: number,
): Promise<{ rows: T[]; nextCursor: string | null }> {
  if (cursor !== undefined) {
    const last = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!/^[0-9A-Z]{26}$/.test(last)) {
      throw new DomainError('VALIDATION_FAILED', 'invalid cursor', { issues: [{ in: 'query', path: ['cursor'], message: 'malformed cursor' }] });
    }
    qb.andWhere(`${alias}.id < :cursorId`, { cursorId: last });
  }
  const rows = await qb.orderBy(`${alias}.id`, 'DESC').take(limit + 1).getMany();
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, nextCursor: more ? Buffer.from(page[page.length - 1].id, 'utf8').toString('base64url') : null };
}

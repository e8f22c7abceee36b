import { DomainError } from '@member/shared';
import type { EntityManager } from 'typeorm';
import type { Db } from '../db/db';
import { MemberEntity, type MemberRow } from '../db/entities';

/**
 * Loads a member row and holds its lock until the transaction ends. Every write that moves a
 * member's points or growth takes this lock first, so per-member writes are serialised and the
 * ledgers are always appended in balance order (and no two lock orders can deadlock).
 */
export async function lockMember(db: Db, em: EntityManager, memberId: string): Promise<MemberRow> {
  const qb = em.createQueryBuilder(MemberEntity, 'm').where('m.id = :memberId', { memberId });
  if (db.dialect === 'mysql') qb.setLock('pessimistic_write');
  const row = await qb.getOne();
  if (!row) throw new DomainError('NOT_FOUND', 'member not found');
  return row;
}

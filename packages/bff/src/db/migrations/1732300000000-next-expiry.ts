import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * `members.next_expiry_at`: the earliest expiry among a member's live lots, kept by the same
 * statements that move points. The counter and the card learn from the member row alone whether
 * any points have lapsed and need settling, instead of probing the lots on every request; the
 * expiry job finds due members by an index.
 */
export class NextExpiry1732300000000 implements MigrationInterface {
  name = 'NextExpiry1732300000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.addColumn('members', new TableColumn(c('next_expiry_at', 'datetime', { isNullable: true })));
    await runner.query(
      'UPDATE members SET next_expiry_at = (SELECT MIN(l.expires_at) FROM points_lots l WHERE l.member_id = members.id AND l.remaining > 0)',
    );
    await runner.createIndex('members', new TableIndex({ name: 'ix_members_next_expiry', columnNames: ['next_expiry_at'] }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('members', 'ix_members_next_expiry');
    await runner.dropColumn('members', 'next_expiry_at');
  }
}

import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * The member's latest check-in on the member row (`last_checkin_day`, `checkin_streak`), moved in
 * the check-in's own transaction under the member's row lock: the member card and the next
 * check-in read it with the row instead of searching `checkins`. Existing members get theirs from
 * their latest `checkins` row.
 */
/** Every member's latest check-in from `checkins` (MariaDB and SQLite alike). */
export async function backfillCheckinState(runner: { query(sql: string): Promise<unknown> }): Promise<void> {
  await runner.query(
    `UPDATE members SET
       last_checkin_day = (SELECT MAX(k.day) FROM checkins k WHERE k.member_id = members.id),
       checkin_streak = COALESCE((SELECT k.streak FROM checkins k WHERE k.member_id = members.id ORDER BY k.day DESC LIMIT 1), 0)
     WHERE EXISTS (SELECT 1 FROM checkins k WHERE k.member_id = members.id)`,
  );
}

export class MemberCheckinState1732790000000 implements MigrationInterface {
  name = 'MemberCheckinState1732790000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.addColumn('members', new TableColumn(c('last_checkin_day', { varchar: 10 }, { isNullable: true })));
    await runner.addColumn('members', new TableColumn(c('checkin_streak', 'int', { default: 0 })));
    await backfillCheckinState(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('members', 'checkin_streak');
    await runner.dropColumn('members', 'last_checkin_day');
  }
}

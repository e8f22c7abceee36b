import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * Qualifying growth (tiers follow the growth of the trailing window, not lifetime growth):
 * - `members.qualifying_growth`: the sum of the member's growth entries created after
 *   `members.qualifying_aged_to`, moved in the same UPDATE as `growth`;
 * - `members.qualifying_aged_to`: entries created at or before it no longer count;
 * - `members.qualifying_ages_at`: no counting entry leaves the window before this (NULL: none
 *   counts); like `next_expiry_at` it may be early, never late, and the aging job and the member
 *   lock look at it;
 * - `tier_history.review_period`: the review (`2026-Q4`) that dropped a member, unique per member,
 *   so a review never drops anyone twice;
 * - `tier_reviews`: one row per review period, finished once every member was reviewed.
 *
 * The backfill counts every existing entry (nothing aged yet) and marks the member due for aging
 * from their first entry on: the trailing window is a setting the migration does not read, so the
 * aging (run by the job, and by the member lock before any tier decision) applies it.
 */
export class QualifyingGrowth1732700000000 implements MigrationInterface {
  name = 'QualifyingGrowth1732700000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    const nullable = { isNullable: true };
    await runner.addColumn('members', new TableColumn(c('qualifying_growth', 'int', { default: 0 })));
    await runner.addColumn('members', new TableColumn(c('qualifying_aged_to', 'datetime', nullable)));
    await runner.addColumn('members', new TableColumn(c('qualifying_ages_at', 'datetime', nullable)));
    await runner.query(
      `UPDATE members SET qualifying_aged_to = '1970-01-01 00:00:00.000',
        qualifying_growth = (SELECT COALESCE(SUM(g.delta), 0) FROM growth_ledger g WHERE g.member_id = members.id),
        qualifying_ages_at = (SELECT MIN(g.created_at) FROM growth_ledger g WHERE g.member_id = members.id)`,
    );
    await runner.createIndex('members', new TableIndex({ name: 'ix_members_qualifying_ages_at', columnNames: ['qualifying_ages_at'] }));

    await runner.addColumn('tier_history', new TableColumn(c('review_period', { varchar: 8 }, nullable)));
    await runner.createIndex('tier_history', new TableIndex({ name: 'uq_tier_history_review', columnNames: ['member_id', 'review_period'], isUnique: true }));

    await runner.createTable(
      new Table({
        name: 'tier_reviews',
        columns: [
          c('period', { varchar: 8 }, { isPrimary: true }),
          c('started_at', 'datetime'),
          c('finished_at', 'datetime', nullable),
          c('dropped', 'int', { default: 0 }),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('tier_reviews');
    await runner.dropIndex('tier_history', 'uq_tier_history_review');
    await runner.dropColumn('tier_history', 'review_period');
    await runner.dropIndex('members', 'ix_members_qualifying_ages_at');
    for (const col of ['qualifying_ages_at', 'qualifying_aged_to', 'qualifying_growth']) await runner.dropColumn('members', col);
  }
}

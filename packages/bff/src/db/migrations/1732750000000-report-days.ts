import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * The KPI summary at scale:
 * - `report_days`: one row per closed business day with the figures of that day that never change
 *   once the day is over (points issued, spent and expired; coupons issued; check-ins; invitations;
 *   redemptions and the points they spent, whatever became of them). Written by the `report-rollup`
 *   job (recomputed and upserted, so re-runs are harmless); the summary adds them up instead of
 *   reading a year of ledger, and reads the days not rolled up yet live.
 * - indexes leading with the status, so the figures that depend on a row's current status (coupons
 *   used, invitations converted, redemptions cancelled) read only the rows in that status.
 */
export class ReportDays1732750000000 implements MigrationInterface {
  name = 'ReportDays1732750000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createTable(
      new Table({
        name: 'report_days',
        columns: [
          { ...c('day', { varchar: 10 }), isPrimary: true },
          c('points_issued', 'int'),
          c('points_spent', 'int'),
          c('points_expired', 'int'),
          c('coupons_issued', 'int'),
          c('checkins', 'int'),
          c('referrals_invited', 'int'),
          c('redemptions', 'int'),
          c('redemption_points', 'int'),
          c('computed_at', 'datetime'),
        ],
      }),
    );
    const indexes: [string, string, string[]][] = [
      ['member_coupons', 'ix_member_coupons_status_created', ['status', 'created_at']],
      ['referrals', 'ix_referrals_status_registered', ['status', 'registered_at']],
      ['redemptions', 'ix_redemptions_status_created', ['status', 'created_at', 'points_spent']],
    ];
    for (const [table, name, columnNames] of indexes) await runner.createIndex(table, new TableIndex({ name, columnNames }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('redemptions', 'ix_redemptions_status_created');
    await runner.dropIndex('referrals', 'ix_referrals_status_registered');
    await runner.dropIndex('member_coupons', 'ix_member_coupons_status_created');
    await runner.dropTable('report_days');
  }
}

import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * The operators' API:
 * - `campaigns`: points campaigns created by operators (a day of the month and/or a window of
 *   business days, a multiplier in hundredths, optional tiers), beside the configured ones;
 * - member lookup: nickname prefixes;
 * - the audit log filtered by actor or action (newest first: InnoDB secondary indexes end with the id);
 * - the KPI summary: every figure is a range on an indexed time column (or a count over a narrow
 *   covering index), never a scan of a whole ledger. The ledger index covers what the summary sums.
 */
export class Admin1732720000000 implements MigrationInterface {
  name = 'Admin1732720000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    const nullable = { isNullable: true };
    await runner.createTable(
      new Table({
        name: 'campaigns',
        columns: [
          c('id', 'id'),
          c('code', { varchar: 64 }),
          c('name', { varchar: 40 }),
          c('day_of_month', 'int', nullable),
          c('multiplier_pct', 'int'),
          c('tiers', { varchar: 255 }, nullable),
          c('starts_on', { varchar: 10 }, nullable),
          c('ends_on', { varchar: 10 }, nullable),
          c('active', 'int', { default: 1 }),
          c('created_at', 'datetime'),
          c('updated_at', 'datetime'),
        ],
        indices: [new TableIndex({ name: 'uq_campaigns_code', columnNames: ['code'], isUnique: true })],
      }),
    );
    const indexes: [string, string, string[]][] = [
      ['members', 'ix_members_nickname', ['nickname']],
      ['members', 'ix_members_status_registered', ['status', 'registered_at']],
      ['members', 'ix_members_status_tier', ['status', 'tier']],
      ['points_ledger', 'ix_points_ledger_created', ['created_at', 'reason', 'delta', 'member_id']],
      ['member_coupons', 'ix_member_coupons_created', ['created_at', 'status']],
      ['checkins', 'ix_checkins_day', ['day', 'member_id']],
      ['referrals', 'ix_referrals_registered', ['registered_at', 'status']],
      ['redemptions', 'ix_redemptions_created', ['created_at', 'status', 'points_spent']],
      ['audit_log', 'ix_audit_log_actor', ['actor_id']],
      ['audit_log', 'ix_audit_log_action', ['action']],
    ];
    for (const [table, name, columnNames] of indexes) await runner.createIndex(table, new TableIndex({ name, columnNames }));
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const [table, name] of [
      ['audit_log', 'ix_audit_log_action'],
      ['audit_log', 'ix_audit_log_actor'],
      ['redemptions', 'ix_redemptions_created'],
      ['referrals', 'ix_referrals_registered'],
      ['checkins', 'ix_checkins_day'],
      ['member_coupons', 'ix_member_coupons_created'],
      ['points_ledger', 'ix_points_ledger_created'],
      ['members', 'ix_members_status_tier'],
      ['members', 'ix_members_status_registered'],
      ['members', 'ix_members_nickname'],
    ])
      await runner.dropIndex(table, name);
    await runner.dropTable('campaigns');
  }
}

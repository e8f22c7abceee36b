import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * Scheduled jobs keep a record of every run:
 * - `job_runs`: one row per run (by the scheduler or an operator), written when the run starts
 *   (`outcome` 'running') and completed when it ends ('ok' or 'failed', with the job's counts as
 *   JSON in `result`, member ids a check found in `details`, and an error summary without personal
 *   data). A run whose instance died stays 'running' until the next holder of the job's lease marks
 *   it 'failed'.
 * - `member_coupons (status, valid_to)`: the coupon expiry and lock-release jobs find their rows
 *   by status without reading every member's coupons.
 */
export class JobRuns1732710000000 implements MigrationInterface {
  name = 'JobRuns1732710000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    const nullable = { isNullable: true };
    await runner.createTable(
      new Table({
        name: 'job_runs',
        columns: [
          c('id', 'id'),
          c('job', { varchar: 64 }),
          c('holder', { varchar: 64 }),
          c('triggered_by', { varchar: 16 }),
          c('as_of', 'datetime'),
          c('started_at', 'datetime'),
          c('finished_at', 'datetime', nullable),
          c('outcome', { varchar: 16 }),
          c('result', 'text', nullable),
          c('details', 'text', nullable),
          c('error', { varchar: 255 }, nullable),
        ],
        indices: [new TableIndex({ name: 'ix_job_runs_job_started', columnNames: ['job', 'started_at'] })],
      }),
    );
    await runner.createIndex('member_coupons', new TableIndex({ name: 'ix_member_coupons_status_valid_to', columnNames: ['status', 'valid_to'] }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('member_coupons', 'ix_member_coupons_status_valid_to');
    await runner.dropTable('job_runs');
  }
}

import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * The KPI summary's current business day from a rollup too, not from a whole day of ledger:
 * - `report_days.until_at`: when set, the row holds the figures of the rows created on its day
 *   before that instant only (the `report-rollup` job refreshes the current day's row up to
 *   `closeAfterMinutes` before each run); NULL, the whole day's, as before;
 * - `checkins (day, created_at)`: check-ins are counted by their day, and the part of a day before
 *   or after such an instant is then a range of this index.
 */
export class ReportOpenDay1732780000000 implements MigrationInterface {
  name = 'ReportOpenDay1732780000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.addColumn('report_days', new TableColumn(c('until_at', 'datetime', { isNullable: true })));
    await runner.createIndex('checkins', new TableIndex({ name: 'ix_checkins_day_created', columnNames: ['day', 'created_at'] }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('checkins', 'ix_checkins_day_created');
    await runner.dropColumn('report_days', 'until_at');
  }
}

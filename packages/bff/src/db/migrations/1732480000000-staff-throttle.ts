import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * Staff sign-in failures are no longer counted on the account: a count per account let anyone
 * lock a cashier out from anywhere. They are counted per username and client address in the
 * rate-limit store (memory, or Redis shared by every instance), so `failed_attempts` and
 * `locked_until` go. Locks in force when this runs are dropped with them.
 */
export class StaffThrottle1732480000000 implements MigrationInterface {
  name = 'StaffThrottle1732480000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('staff', 'locked_until');
    await runner.dropColumn('staff', 'failed_attempts');
  }

  async down(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.addColumn('staff', new TableColumn(c('failed_attempts', 'int', { default: 0 })));
    await runner.addColumn('staff', new TableColumn(c('locked_until', 'datetime', { isNullable: true })));
  }
}

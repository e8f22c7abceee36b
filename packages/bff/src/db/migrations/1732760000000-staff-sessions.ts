import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * `staff.sessions_valid_from`: staff tokens issued before it are refused. An operator's change to an
 * account (deactivation, role, store, password) moves it to that moment, so a token revoked once
 * stays revoked when the account is reactivated or promoted back, and a reset password ends the
 * sessions signed in with the old one.
 */
export class StaffSessions1732760000000 implements MigrationInterface {
  name = 'StaffSessions1732760000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.addColumn('staff', new TableColumn(c('sessions_valid_from', 'datetime', { isNullable: true })));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('staff', 'sessions_valid_from');
  }
}

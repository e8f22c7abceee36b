import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * `refunds.approved_by`: the manager (or admin) of the store who approved a refund above
 * `refunds.managerApprovalAboveCents` or one that completed its order (the refunding manager
 * themself when a manager refunded). NULL for refunds that needed no approval, and for refunds
 * recorded before approvals existed.
 */
export class RefundApprovals1732450000000 implements MigrationInterface {
  name = 'RefundApprovals1732450000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.addColumn('refunds', new TableColumn(c('approved_by', 'ref', { isNullable: true })));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('refunds', 'approved_by');
  }
}

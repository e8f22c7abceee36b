import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * What the hot paths need to do less:
 * - `members.next_expiry_at`: the earliest expiry among a member's live lots, kept by the same
 *   statements that move points. The counter and the card learn from the member row alone whether
 *   any points have lapsed (or expire soon), instead of probing the lots on every request; the
 *   expiry job finds due members by an index.
 * - `UNIQUE(orders.member_id, code_step)`: a dynamic code pays for one order, enforced by the
 *   order row itself. The `used_codes` table said the same thing with one more INSERT per order.
 * - Two indexes nothing reads any more, each maintained on every insert of a hot path:
 *   `points_lots(expires_at)` (the expiry job now finds due members by `next_expiry_at`) and
 *   `orders(member_id, created_at)` (a member's orders are found through the new unique index).
 */
export class Core1732300000000 implements MigrationInterface {
  name = 'Core1732300000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.addColumn('members', new TableColumn(c('next_expiry_at', 'datetime', { isNullable: true })));
    await runner.query('UPDATE members SET next_expiry_at = (SELECT MIN(l.expires_at) FROM points_lots l WHERE l.member_id = members.id AND l.remaining > 0)');
    await runner.createIndex('members', new TableIndex({ name: 'ix_members_next_expiry', columnNames: ['next_expiry_at'] }));
    await runner.createIndex('orders', new TableIndex({ name: 'uq_orders_member_step', columnNames: ['member_id', 'code_step'], isUnique: true }));
    await runner.dropTable('used_codes');
    await runner.dropIndex('points_lots', 'ix_points_lots_expiry');
    await runner.dropIndex('orders', 'ix_orders_member');
  }

  async down(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createIndex('orders', new TableIndex({ name: 'ix_orders_member', columnNames: ['member_id', 'created_at'] }));
    await runner.createIndex('points_lots', new TableIndex({ name: 'ix_points_lots_expiry', columnNames: ['expires_at'] }));
    await runner.createTable(
      new Table({
        name: 'used_codes',
        columns: [c('id', 'id'), c('member_id', 'ref'), c('step', 'int'), c('order_id', 'ref'), c('created_at', 'datetime')],
        indices: [new TableIndex({ name: 'uq_used_codes_member_step', columnNames: ['member_id', 'step'], isUnique: true })],
      }),
    );
    await runner.query('INSERT INTO used_codes (id, member_id, step, order_id, created_at) SELECT id, member_id, code_step, id, created_at FROM orders');
    await runner.dropIndex('orders', 'uq_orders_member_step');
    await runner.dropIndex('members', 'ix_members_next_expiry');
    await runner.dropColumn('members', 'next_expiry_at');
  }
}

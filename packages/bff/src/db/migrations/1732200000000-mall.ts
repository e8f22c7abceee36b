import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/** Points mall items and redemptions (with pickup codes), and the operators' audit log. */
export class Mall1732200000000 implements MigrationInterface {
  name = 'Mall1732200000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    const nullable = { isNullable: true };

    await runner.createTable(
      new Table({
        name: 'mall_items',
        columns: [
          c('id', 'id'),
          c('kind', { varchar: 16 }),
          c('title', { varchar: 80 }),
          c('description', { varchar: 500 }),
          c('image_url', { varchar: 255 }, nullable),
          c('points_cost', 'int'),
          c('stock', 'int'),
          c('per_member_limit', 'int', nullable),
          c('sale_from', 'datetime', nullable),
          c('sale_to', 'datetime', nullable),
          c('min_tier', { varchar: 32 }, nullable),
          c('coupon_template_code', { varchar: 64 }, nullable),
          c('active', 'int', { default: 1 }),
          c('created_at', 'datetime'),
          c('updated_at', 'datetime'),
        ],
        indices: [new TableIndex({ name: 'ix_mall_items_active', columnNames: ['active', 'points_cost'] })],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'redemptions',
        columns: [
          c('id', 'id'),
          c('member_id', 'ref'),
          c('item_id', 'ref'),
          c('kind', { varchar: 16 }),
          c('title', { varchar: 80 }),
          c('quantity', 'int'),
          c('points_spent', 'int'),
          c('status', { varchar: 24 }),
          c('pickup_code', { varchar: 16 }, nullable),
          c('coupon_ids', { varchar: 255 }, nullable),
          c('fulfilled_store_id', 'ref', nullable),
          c('fulfilled_by', 'ref', nullable),
          c('fulfilled_at', 'datetime', nullable),
          c('cancelled_at', 'datetime', nullable),
          c('created_at', 'datetime'),
        ],
        indices: [
          new TableIndex({ name: 'ix_redemptions_member', columnNames: ['member_id', 'item_id', 'status'] }),
          new TableIndex({ name: 'uq_redemptions_pickup_code', columnNames: ['pickup_code'], isUnique: true }),
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          c('id', 'id'),
          c('actor_id', 'ref'),
          c('action', { varchar: 64 }),
          c('target_type', { varchar: 32 }),
          c('target_id', { varchar: 64 }),
          c('details', 'text'),
          c('created_at', 'datetime'),
        ],
        indices: [new TableIndex({ name: 'ix_audit_log_target', columnNames: ['target_type', 'target_id'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const t of ['audit_log', 'redemptions', 'mall_items']) await runner.dropTable(t);
  }
}

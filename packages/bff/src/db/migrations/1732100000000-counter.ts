import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/** Stores and staff, coupon templates and members' coupons, counter orders, used codes, refunds. */
export class Counter1732100000000 implements MigrationInterface {
  name = 'Counter1732100000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    const nullable = { isNullable: true };
    const zero = { default: 0 };
    // What a coupon gives: the same columns on a template and on each coupon issued from it.
    const couponTerms = [
      c('kind', { varchar: 16 }),
      c('title', { varchar: 80 }),
      c('value_cents', 'int', nullable),
      c('threshold_cents', 'int', nullable),
      c('discount_percent', 'int', nullable),
      c('cap_cents', 'int', nullable),
    ];

    await runner.createTable(new Table({ name: 'stores', columns: [c('id', 'id'), c('name', { varchar: 64 }), c('created_at', 'datetime')] }));

    await runner.createTable(
      new Table({
        name: 'staff',
        columns: [
          c('id', 'id'),
          c('store_id', 'ref'),
          c('username', { varchar: 64 }),
          c('password_hash', { varchar: 255 }),
          c('role', { varchar: 16 }),
          c('failed_attempts', 'int', zero),
          c('locked_until', 'datetime', nullable),
          c('disabled_at', 'datetime', nullable),
          c('created_at', 'datetime'),
        ],
        indices: [new TableIndex({ name: 'uq_staff_username', columnNames: ['username'], isUnique: true })],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'coupon_templates',
        columns: [
          c('id', 'id'),
          c('code', { varchar: 64 }),
          ...couponTerms,
          c('validity_days', 'int', nullable),
          c('valid_from', 'datetime', nullable),
          c('valid_to', 'datetime', nullable),
          c('total_stock', 'int', nullable),
          c('issued_count', 'int', zero),
          c('per_member_limit', 'int', nullable),
          c('min_tier', { varchar: 32 }, nullable),
          c('source', { varchar: 16 }),
          c('created_at', 'datetime'),
          c('updated_at', 'datetime'),
        ],
        indices: [new TableIndex({ name: 'uq_coupon_templates_code', columnNames: ['code'], isUnique: true })],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'member_coupons',
        columns: [
          c('id', 'id'),
          c('member_id', 'ref'),
          c('template_id', 'ref'),
          ...couponTerms,
          c('min_tier', { varchar: 32 }, nullable),
          c('valid_from', 'datetime'),
          c('valid_to', 'datetime'),
          c('status', { varchar: 16 }),
          c('lock_ref', { varchar: 64 }, nullable),
          c('locked_until', 'datetime', nullable),
          c('used_order_id', 'ref', nullable),
          c('used_at', 'datetime', nullable),
          c('source_key', { varchar: 191 }),
          c('created_at', 'datetime'),
        ],
        indices: [
          new TableIndex({ name: 'uq_member_coupons_source', columnNames: ['member_id', 'source_key'], isUnique: true }),
          new TableIndex({ name: 'ix_member_coupons_member_status', columnNames: ['member_id', 'status', 'valid_to'] }),
          new TableIndex({ name: 'ix_member_coupons_template_member', columnNames: ['template_id', 'member_id'] }),
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'orders',
        columns: [
          c('id', 'id'),
          c('store_id', 'ref'),
          c('staff_id', 'ref'),
          c('member_id', 'ref'),
          c('receipt_no', { varchar: 64 }),
          c('tier_code', { varchar: 32 }),
          c('gross_cents', 'int'),
          c('tier_discount_cents', 'int'),
          c('coupon_id', 'ref', nullable),
          c('coupon_discount_cents', 'int'),
          c('points_used', 'int'),
          c('points_discount_cents', 'int'),
          c('due_cents', 'int'),
          c('points_earned', 'int'),
          c('growth_earned', 'int'),
          c('multiplier_pct', 'int'),
          c('code_step', 'int'),
          c('refunded_cents', 'int', zero),
          c('points_reversed', 'int', zero),
          c('growth_reversed', 'int', zero),
          c('points_returned', 'int', zero),
          c('created_at', 'datetime'),
        ],
        indices: [
          new TableIndex({ name: 'uq_orders_store_receipt', columnNames: ['store_id', 'receipt_no'], isUnique: true }),
          new TableIndex({ name: 'ix_orders_member', columnNames: ['member_id', 'created_at'] }),
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'used_codes',
        columns: [c('id', 'id'), c('member_id', 'ref'), c('step', 'int'), c('order_id', 'ref'), c('created_at', 'datetime')],
        indices: [new TableIndex({ name: 'uq_used_codes_member_step', columnNames: ['member_id', 'step'], isUnique: true })],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'refunds',
        columns: [
          c('id', 'id'),
          c('order_id', 'ref'),
          c('store_id', 'ref'),
          c('staff_id', 'ref'),
          c('refund_no', { varchar: 64 }),
          c('amount_cents', 'int'),
          c('points_reversed', 'int'),
          c('growth_reversed', 'int'),
          c('points_returned', 'int'),
          c('coupon_restored', 'int'),
          c('created_at', 'datetime'),
        ],
        indices: [
          new TableIndex({ name: 'uq_refunds_store_no', columnNames: ['store_id', 'refund_no'], isUnique: true }),
          new TableIndex({ name: 'ix_refunds_order', columnNames: ['order_id'] }),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const t of ['refunds', 'used_codes', 'orders', 'member_coupons', 'coupon_templates', 'staff', 'stores']) await runner.dropTable(t);
  }
}

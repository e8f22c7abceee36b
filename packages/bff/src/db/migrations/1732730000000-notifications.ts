import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * Notifications (WeChat subscribe messages):
 * - `outbox`: one row per notification, written in the transaction of the event it tells about.
 *   `dedupe_key` is unique, so an event replayed (a retried request, a job run twice) queues
 *   once. The sender claims a row by moving it from `pending` to `sending` with a conditional
 *   update, so two senders never both send it; `claimed_until` bounds how long a claim may stay
 *   unsettled. `payload` holds the message's fields as JSON text, never a phone number or openid.
 * - `subscription_credits`: per member and kind, how many one-time subscriptions the member
 *   accepted and the sender has not used yet (unique member + kind).
 * - `member_coupons` (status, valid_to): the coupon-expiring warnings find coupons ending soon.
 */
export class Notifications1732730000000 implements MigrationInterface {
  name = 'Notifications1732730000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    const nullable = { isNullable: true };
    await runner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          c('id', 'id'),
          c('member_id', 'ref'),
          c('kind', { varchar: 24 }),
          c('payload', 'text'),
          c('dedupe_key', { varchar: 160 }),
          c('status', { varchar: 16 }),
          c('attempts', 'int', { default: 0 }),
          c('next_attempt_at', 'datetime'),
          c('claimed_until', 'datetime', nullable),
          c('sent_at', 'datetime', nullable),
          c('last_error', { varchar: 32 }, nullable),
          c('created_at', 'datetime'),
          c('updated_at', 'datetime'),
        ],
        indices: [
          new TableIndex({ name: 'uq_outbox_dedupe_key', columnNames: ['dedupe_key'], isUnique: true }),
          new TableIndex({ name: 'ix_outbox_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'ix_outbox_member', columnNames: ['member_id', 'created_at'] }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'subscription_credits',
        columns: [c('id', 'id'), c('member_id', 'ref'), c('kind', { varchar: 24 }), c('credits', 'int', { default: 0 }), c('updated_at', 'datetime')],
        indices: [new TableIndex({ name: 'uq_subscription_credits_member_kind', columnNames: ['member_id', 'kind'], isUnique: true })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('subscription_credits');
    await runner.dropTable('outbox');
  }
}

import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * Check-ins and reviews. `UNIQUE(member_id, day)` on check-ins is what allows one check-in per
 * member per business day (concurrent requests race on it, not on a read); `UNIQUE(order_id)` on
 * reviews, one review per order. Their rewards are ledger entries like any other.
 */
export class Engagement1732500000000 implements MigrationInterface {
  name = 'Engagement1732500000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.createTable(
      new Table({
        name: 'checkins',
        columns: [
          c('id', 'id'),
          c('member_id', 'ref'),
          c('day', { varchar: 10 }),
          c('streak', 'int'),
          c('points', 'int'),
          c('growth', 'int'),
          c('bonus', 'int'),
          c('created_at', 'datetime'),
        ],
        indices: [new TableIndex({ name: 'uq_checkins_member_day', columnNames: ['member_id', 'day'], isUnique: true })],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'reviews',
        columns: [
          c('id', 'id'),
          c('order_id', 'ref'),
          c('member_id', 'ref'),
          c('stars', 'int'),
          c('answers', { varchar: 100 }),
          c('comment', { varchar: 255 }, { isNullable: true }),
          c('points', 'int'),
          c('growth', 'int'),
          c('created_at', 'datetime'),
        ],
        indices: [
          new TableIndex({ name: 'uq_reviews_order', columnNames: ['order_id'], isUnique: true }),
          new TableIndex({ name: 'ix_reviews_member', columnNames: ['member_id', 'created_at'] }),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('reviews');
    await runner.dropTable('checkins');
  }
}

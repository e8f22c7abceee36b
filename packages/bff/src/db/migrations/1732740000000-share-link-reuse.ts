import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * One share link per member, page (and item) and business day: `shares.link_key` is
 * `<day>:<page>:<item id or empty>`, unique per member, so sharing the same page again that day
 * returns the link already made instead of adding a row. Links made before this have no key (NULL
 * never collides) and keep working.
 */
export class ShareLinkReuse1732740000000 implements MigrationInterface {
  name = 'ShareLinkReuse1732740000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.addColumn('shares', new TableColumn(c('link_key', { varchar: 64 }, { isNullable: true })));
    await runner.createIndex('shares', new TableIndex({ name: 'uq_shares_member_link', columnNames: ['member_id', 'link_key'], isUnique: true }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('shares', 'uq_shares_member_link');
    await runner.dropColumn('shares', 'link_key');
  }
}

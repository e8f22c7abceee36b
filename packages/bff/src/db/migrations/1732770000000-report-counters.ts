import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { columnsFor } from './1732000000000-foundation';

/**
 * The KPI summary in O(days), not O(table): the figures that depend on a row's current status or
 * count distinct members are kept as pre-aggregated counters, moved in the transaction of the
 * change they count (see ReportCounterRepository):
 * - `report_counters (metric, day, shard, n)`: signed counts per metric and business day, spread
 *   over a few shards (a random one per write) so concurrent transactions do not queue on one row;
 * - `members.last_active_at`: the instant of the member's latest ledger entry other than an expiry,
 *   what the `active_last` counter needs to move a member from their previous last active day.
 *
 * Nothing is backfilled here: the business time zone is a setting the migration does not read. The
 * counters of existing data are built by a recount at the next start (`ReportService.ensureCounters`),
 * which runs while the `built` marker row is missing.
 */
export class ReportCounters1732770000000 implements MigrationInterface {
  name = 'ReportCounters1732770000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    await runner.addColumn('members', new TableColumn(c('last_active_at', 'datetime', { isNullable: true })));
    await runner.createTable(
      new Table({
        name: 'report_counters',
        columns: [
          c('metric', { varchar: 40 }, { isPrimary: true }),
          c('day', { varchar: 10 }, { isPrimary: true }),
          { name: 'shard', type: 'smallint', isPrimary: true, isNullable: false },
          { name: 'n', type: 'bigint', isNullable: false },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('report_counters');
    await runner.dropColumn('members', 'last_active_at');
  }
}

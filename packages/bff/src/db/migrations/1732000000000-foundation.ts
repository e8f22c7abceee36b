import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

// Hand-written and dialect-neutral: the same migration runs on MySQL/MariaDB and SQLite.
// Text columns carry utf8mb4 explicitly on MySQL so nicknames in Chinese (and emoji) fit
// whatever the server's default character set is; SQLite ignores charsets.

type ColumnKind = 'id' | 'ref' | 'int' | 'datetime' | 'text' | { varchar: number };

export function columnsFor(runner: QueryRunner) {
  const mysql = runner.connection.driver.options.type === 'mysql';
  return (name: string, kind: ColumnKind, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => {
    const text = (o: TableColumnOptions): TableColumnOptions => (mysql ? { ...o, charset: 'utf8mb4', collation: 'utf8mb4_bin' } : o);
    const base: TableColumnOptions =
      kind === 'id'
        ? text({ name, type: 'varchar', length: '26', isPrimary: true })
        : kind === 'ref'
          ? text({ name, type: 'varchar', length: '26' })
          : kind === 'int'
            ? { name, type: 'int' }
            : kind === 'datetime'
              ? { name, type: 'datetime', precision: 3 }
              : kind === 'text'
                ? text({ name, type: 'text' })
                : text({ name, type: 'varchar', length: String(kind.varchar) });
    return { isNullable: false, ...base, ...extra };
  };
}

export class Foundation1732000000000 implements MigrationInterface {
  name = 'Foundation1732000000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columnsFor(runner);
    const nullable = { isNullable: true };

    await runner.createTable(
      new Table({
        name: 'members',
        columns: [
          c('id', 'id'),
          c('status', { varchar: 16 }),
          c('openid_hash', { varchar: 64 }, nullable),
          c('openid_enc', { varchar: 255 }, nullable),
          c('session_key_enc', { varchar: 255 }, nullable),
          c('code_ref', { varchar: 10 }),
          c('code_secret_enc', { varchar: 255 }),
          c('nickname', { varchar: 40 }, nullable),
          c('birthday', { varchar: 10 }, nullable),
          c('birthday_set_at', 'datetime', nullable),
          c('phone_enc', { varchar: 255 }, nullable),
          c('phone_hash', { varchar: 64 }, nullable),
          c('consent_version', { varchar: 32 }, nullable),
          c('consented_at', 'datetime', nullable),
          c('invite_code', { varchar: 12 }, nullable),
          c('tier', { varchar: 32 }),
          c('growth', 'int', { default: 0 }),
          c('points_balance', 'int', { default: 0 }),
          c('registered_at', 'datetime', nullable),
          c('erased_at', 'datetime', nullable),
          c('created_at', 'datetime'),
          c('updated_at', 'datetime'),
        ],
        indices: [
          new TableIndex({ name: 'uq_members_openid_hash', columnNames: ['openid_hash'], isUnique: true }),
          new TableIndex({ name: 'uq_members_phone_hash', columnNames: ['phone_hash'], isUnique: true }),
          new TableIndex({ name: 'uq_members_code_ref', columnNames: ['code_ref'], isUnique: true }),
          new TableIndex({ name: 'uq_members_invite_code', columnNames: ['invite_code'], isUnique: true }),
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'former_identities',
        columns: [c('id', 'id'), c('kind', { varchar: 16 }), c('hash', { varchar: 64 }), c('member_id', 'ref'), c('created_at', 'datetime')],
        indices: [new TableIndex({ name: 'ix_former_identities_hash', columnNames: ['kind', 'hash'] })],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'points_ledger',
        columns: [
          c('id', 'id'),
          c('member_id', 'ref'),
          c('delta', 'int'),
          c('balance_after', 'int'),
          c('reason', { varchar: 32 }),
          c('source_key', { varchar: 191 }),
          c('lot_id', 'ref', nullable),
          c('expires_at', 'datetime', nullable),
          c('note', { varchar: 255 }, nullable),
          c('created_at', 'datetime'),
        ],
        indices: [
          new TableIndex({ name: 'uq_points_ledger_source', columnNames: ['member_id', 'source_key'], isUnique: true }),
          new TableIndex({ name: 'ix_points_ledger_member_created', columnNames: ['member_id', 'created_at'] }),
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'points_lots',
        columns: [
          c('id', 'id'),
          c('member_id', 'ref'),
          c('amount', 'int'),
          c('remaining', 'int'),
          c('earned_at', 'datetime'),
          c('expires_at', 'datetime'),
          c('ledger_id', 'ref'),
        ],
        indices: [
          new TableIndex({ name: 'ix_points_lots_member_expiry', columnNames: ['member_id', 'expires_at'] }),
          new TableIndex({ name: 'ix_points_lots_expiry', columnNames: ['expires_at'] }),
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'points_allocations',
        columns: [c('id', 'id'), c('ledger_id', 'ref'), c('lot_id', 'ref'), c('amount', 'int')],
        indices: [new TableIndex({ name: 'ix_points_allocations_ledger', columnNames: ['ledger_id'] })],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'growth_ledger',
        columns: [
          c('id', 'id'),
          c('member_id', 'ref'),
          c('delta', 'int'),
          c('value_after', 'int'),
          c('reason', { varchar: 32 }),
          c('source_key', { varchar: 191 }),
          c('created_at', 'datetime'),
        ],
        indices: [
          new TableIndex({ name: 'uq_growth_ledger_source', columnNames: ['member_id', 'source_key'], isUnique: true }),
          new TableIndex({ name: 'ix_growth_ledger_member_created', columnNames: ['member_id', 'created_at'] }),
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'tier_history',
        columns: [
          c('id', 'id'),
          c('member_id', 'ref'),
          c('from_tier', { varchar: 32 }, nullable),
          c('to_tier', { varchar: 32 }),
          c('reason', { varchar: 16 }),
          c('created_at', 'datetime'),
        ],
        indices: [new TableIndex({ name: 'ix_tier_history_member', columnNames: ['member_id', 'created_at'] })],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'idempotency_records',
        columns: [
          c('id', 'id'),
          c('scope', { varchar: 128 }),
          c('idem_key', { varchar: 255 }),
          c('request_hash', { varchar: 64 }),
          c('status_code', 'int'),
          c('response_body', 'text', nullable),
          c('created_at', 'datetime'),
        ],
        indices: [new TableIndex({ name: 'uq_idempotency_scope_key', columnNames: ['scope', 'idem_key'], isUnique: true })],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'job_leases',
        columns: [
          c('name', { varchar: 64 }, { isPrimary: true }),
          c('holder', { varchar: 64 }),
          c('lease_until', 'datetime'),
          c('last_run_at', 'datetime', nullable),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const t of [
      'job_leases',
      'idempotency_records',
      'tier_history',
      'growth_ledger',
      'points_allocations',
      'points_lots',
      'points_ledger',
      'former_identities',
      'members',
    ]) {
      await runner.dropTable(t);
    }
  }
}

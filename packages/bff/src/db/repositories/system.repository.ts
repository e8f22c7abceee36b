import type { Db } from '../db';
import { AuditEntity, IdempotencyEntity, type AuditRow, type IdempotencyRow } from '../entities';
import { tableOf } from '../table';
import { pageById, type Cursor } from './paging';

/** What the audit log may be filtered by (each exact). */
export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
}

const audit = tableOf(AuditEntity);
const idempotency = tableOf(IdempotencyEntity);

/** The operators' audit log. */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async insert(row: AuditRow): Promise<void> {
    const [sql, params] = audit.insert([row]);
    await this.db.execute(sql, params);
  }

  /** A page of the log, newest first, filtered by exact action, actor and target (each indexed). */
  page(filter: AuditFilter, cursor: Cursor, limit: number) {
    const where = ['1 = 1'];
    const params: unknown[] = [];
    for (const [key, column] of [
      ['action', 'action'],
      ['actorId', 'actor_id'],
      ['targetType', 'target_type'],
      ['targetId', 'target_id'],
    ] as const) {
      const v = filter[key];
      if (v === undefined) continue;
      where.push(`${column} = ?`);
      params.push(v);
    }
    return pageById(this.db, audit, where.join(' AND '), params, cursor, limit);
  }
}

/** Idempotency-Key records: one per (scope, key), holding the first response. */
export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

  /** Claims the key for a request; a key already claimed fails with a duplicate key. */
  async claim(row: IdempotencyRow): Promise<void> {
    const [sql, params] = idempotency.insert([row]);
    await this.db.execute(sql, params);
  }

  async complete(id: string, statusCode: number, responseBody: string): Promise<void> {
    await this.db.execute('UPDATE idempotency_records SET status_code = ?, response_body = ? WHERE id = ?', [statusCode, responseBody, id]);
  }

  async find(scope: string, key: string): Promise<IdempotencyRow | null> {
    const raw = await this.db.row(`SELECT ${idempotency.select()} FROM idempotency_records WHERE scope = ? AND idem_key = ?`, [scope, key]);
    return raw ? idempotency.map(raw) : null;
  }
}

/** Job leases: which instance may run a scheduled job now. */
export class JobLeaseRepository {
  constructor(private readonly db: Db) {}

  /** Takes the lease when it has lapsed (or is already ours); false when another holder has it. */
  async take(name: string, holder: string, until: Date, now: Date): Promise<boolean> {
    const taken = await this.db.changedOne('UPDATE job_leases SET holder = ?, lease_until = ? WHERE name = ? AND (lease_until < ? OR holder = ?)', [
      holder,
      until,
      name,
      now,
      holder,
    ]);
    if (taken) return true;
    try {
      await this.db.execute('INSERT INTO job_leases (name, holder, lease_until, last_run_at) VALUES (?, ?, ?, NULL)', [name, holder, until]);
      return true;
    } catch {
      return false;
    }
  }

  async finished(name: string, at: Date): Promise<void> {
    await this.db.execute('UPDATE job_leases SET last_run_at = ? WHERE name = ?', [at, name]);
  }
}

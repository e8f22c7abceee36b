import { Db, isDuplicateKey } from '../db';
import {
  AuditEntity,
  IdempotencyEntity,
  JobLeaseEntity,
  JobRunEntity,
  type AuditRow,
  type IdempotencyRow,
  type JobLeaseRow,
  type JobRunRow,
} from '../entities';
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
const leases = tableOf(JobLeaseEntity);
const runs = tableOf(JobRunEntity);

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

/**
 * Job leases: one row per job; whoever holds an unexpired lease may run that job, nobody else.
 * A holder renews its lease while its run progresses and releases it when the run ends; a holder
 * that dies simply stops renewing, and once `lease_until` has passed anyone may take the lease.
 */
export class JobLeaseRepository {
  constructor(private readonly db: Db) {}

  /**
   * Takes the lease until `until` if it has lapsed (or the job never ran); false only when another
   * holder has it. Any other failure (the database unreachable, a bad statement) is thrown, never
   * mistaken for "held".
   */
  async take(name: string, holder: string, until: Date, now: Date): Promise<boolean> {
    if (await this.db.changedOne('UPDATE job_leases SET holder = ?, lease_until = ? WHERE name = ? AND lease_until <= ?', [holder, until, name, now])) {
      return true;
    }
    try {
      await this.db.execute('INSERT INTO job_leases (name, holder, lease_until, last_run_at) VALUES (?, ?, ?, NULL)', [name, holder, until]);
      return true;
    } catch (e) {
      // The row exists and the update above found its lease in force: someone else holds it.
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  /** Extends a lease this holder still has; false when it lapsed and another holder took it. */
  async renew(name: string, holder: string, until: Date): Promise<boolean> {
    return await this.db.changedOne('UPDATE job_leases SET lease_until = ? WHERE name = ? AND holder = ?', [until, name, holder]);
  }

  /** Ends this holder's lease at `at` (free for the next run at once) and notes the run; a lease taken over meanwhile is left alone. */
  async release(name: string, holder: string, at: Date): Promise<void> {
    await this.db.execute('UPDATE job_leases SET lease_until = ?, last_run_at = ? WHERE name = ? AND holder = ?', [at, at, name, holder]);
  }

  async all(): Promise<JobLeaseRow[]> {
    return (await this.db.rows(`SELECT ${leases.select()} FROM job_leases ORDER BY name`)).map((r) => leases.map(r));
  }
}

/** The record of every job run, one row per run. */
export class JobRunRepository {
  constructor(private readonly db: Db) {}

  async insert(row: JobRunRow): Promise<void> {
    const [sql, params] = runs.insert([row]);
    await this.db.execute(sql, params);
  }

  async finish(id: string, end: Pick<JobRunRow, 'finishedAt' | 'outcome' | 'result' | 'details' | 'error'>): Promise<void> {
    await this.db.execute('UPDATE job_runs SET finished_at = ?, outcome = ?, result = ?, details = ?, error = ? WHERE id = ?', [
      end.finishedAt,
      end.outcome,
      end.result,
      end.details,
      end.error,
      id,
    ]);
  }

  /** Marks runs of a job still 'running' as failed: called by a new lease holder, so nobody is running them any more. */
  async abandon(job: string, at: Date, error: string): Promise<number> {
    return await this.db.execute("UPDATE job_runs SET outcome = 'failed', finished_at = ?, error = ? WHERE job = ? AND outcome = 'running'", [at, error, job]);
  }

  /** Whether a scheduled run of a job started at or after `since` (whatever its outcome). */
  async scheduledSince(job: string, since: Date): Promise<boolean> {
    const row = await this.db.row("SELECT id FROM job_runs WHERE job = ? AND started_at >= ? AND triggered_by = 'schedule' LIMIT 1", [job, since]);
    return row !== null;
  }

  async byId(id: string): Promise<JobRunRow | null> {
    const raw = await this.db.row(`SELECT ${runs.select()} FROM job_runs WHERE id = ?`, [id]);
    return raw ? runs.map(raw) : null;
  }

  /** Deletes up to `limit` records of a job that started before `before`, oldest first; returns how many. */
  async prune(job: string, before: Date, limit: number): Promise<number> {
    const old = await this.db.rows<{ id: string }>(`SELECT id FROM job_runs WHERE job = ? AND started_at < ? ORDER BY started_at LIMIT ${Math.trunc(limit)}`, [
      job,
      before,
    ]);
    if (old.length === 0) return 0;
    return await this.db.execute(
      `DELETE FROM job_runs WHERE id IN (${Db.placeholders(old.length)})`,
      old.map((r) => r.id),
    );
  }

  /** The latest runs of a job, newest first. */
  async latest(job: string, limit: number): Promise<JobRunRow[]> {
    return (await this.db.rows(`SELECT ${runs.select()} FROM job_runs WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT ${Math.trunc(limit)}`, [job])).map(
      (r) => runs.map(r),
    );
  }
}

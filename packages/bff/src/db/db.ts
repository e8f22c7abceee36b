import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

export type Dialect = 'mysql' | 'sqlite';
/** A row as the driver returns it, before a repository maps it. */
export type RawRow = Record<string, unknown>;

/**
 * The one way the BFF reaches the database. A use case runs in `transaction(fn)`: the transaction
 * is ambient (AsyncLocalStorage), so repositories called anywhere inside `fn` run on it, and a
 * `transaction` started inside another joins it (the idempotency middleware wraps a service's
 * transaction this way). Nothing passes managers around: repositories ask `Db` for the current
 * connection, and outside any transaction they get a pooled one.
 *
 * MySQL runs transactions concurrently and a deadlock victim is retried. SQLite (TypeORM shares
 * one connection) runs them one after another through a queue.
 */
export class Db {
  private readonly als = new AsyncLocalStorage<EntityManager>();
  private readonly committed = new WeakMap<EntityManager, (() => Promise<void>)[]>();
  private readonly committing = new WeakMap<EntityManager, (() => Promise<void>)[]>();
  private queue: Promise<unknown> = Promise.resolve();
  readonly dialect: Dialect;

  constructor(
    readonly dataSource: DataSource,
    private readonly deadlockRetries = 3,
  ) {
    this.dialect = dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb' ? 'mysql' : 'sqlite';
  }

  /** TypeORM's manager of the running transaction, or the plain one outside any: for cold paths in repositories. */
  get manager(): EntityManager {
    return this.als.getStore() ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return this.als.getStore() !== undefined;
  }

  /**
   * Runs `fn` in a transaction (or in the one already running). On MySQL a deadlock victim is run
   * again, so `fn` must be safe to re-run: everything it did was rolled back. `retry: false` is for
   * callers whose `fn` cannot be repeated (the idempotency middleware runs the rest of a request).
   */
  transaction<T>(fn: () => Promise<T>, opts: { retry?: boolean } = {}): Promise<T> {
    if (this.als.getStore()) return fn();
    // Work queued by afterCommit during the attempt that commits (a rolled-back attempt's is dropped).
    let after: (() => Promise<void>)[] = [];
    const attempt = () =>
      this.dataSource.transaction((em) => {
        after = [];
        this.committed.set(em, after);
        const before: (() => Promise<void>)[] = [];
        this.committing.set(em, before);
        return this.als.run(em, async () => {
          const result = await fn();
          // Work queued by beforeCommit, in the order queued (work it queues itself runs too).
          for (let i = 0; i < before.length; i++) await before[i]();
          return result;
        });
      });
    const committed = this.dialect === 'sqlite' ? this.queued(attempt) : opts.retry === false ? attempt() : this.withDeadlockRetry(attempt);
    return committed.then(async (result) => {
      for (const work of after) {
        try {
          await work();
        } catch (e) {
          this.afterCommitFailed(e);
        }
      }
      return result;
    });
  }

  /**
   * Runs `work` once the running transaction (the outermost one it joined) has committed, before
   * that transaction's caller resumes; at once outside a transaction. For consequences that take
   * other members' locks or may fail on their own (engagement rewards): they must not hold up,
   * deadlock or undo what caused them. A failure is reported to `afterCommitFailed`, never to the
   * caller, whose work is already committed.
   */
  async afterCommit(work: () => Promise<void>): Promise<void> {
    const em = this.als.getStore();
    const queue = em ? this.committed.get(em) : undefined;
    if (queue) {
      queue.push(work);
      return;
    }
    try {
      await work();
    } catch (e) {
      this.afterCommitFailed(e);
    }
  }

  /**
   * Runs `work` inside the running transaction (the outermost one it joined) once its `fn` has
   * returned, just before the COMMIT: for writes that gather what a whole use case did into one
   * statement taking its row locks last (the KPI summary's counters). Dropped with a rollback; a
   * failure fails the transaction. Only inside a transaction.
   */
  beforeCommit(work: () => Promise<void>): void {
    const em = this.als.getStore();
    const queue = em ? this.committing.get(em) : undefined;
    if (!queue) throw new Error('beforeCommit needs a running transaction');
    queue.push(work);
  }

  /** Where failures of after-commit work go (the app sets its logger). */
  afterCommitFailed: (e: unknown) => void = () => undefined;

  /**
   * SQLite: TypeORM shares one connection, so everything — transactions and single statements
   * alike — takes its turn. A statement run beside an open transaction would otherwise become part
   * of it (and be lost with its rollback, or read its uncommitted rows).
   */
  private queued<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async withDeadlockRetry<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (e) {
        if (attempt >= this.deadlockRetries || !isDeadlock(e)) throw e;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
  }

  /** Rows of a SELECT, on the ambient transaction or a pooled connection. */
  async rows<T = RawRow>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const r = await this.run(sql, params);
    return r.records as T[];
  }

  /** The first row of a SELECT, or null. */
  async row<T = RawRow>(sql: string, params: readonly unknown[] = []): Promise<T | null> {
    return (await this.rows<T>(sql, params))[0] ?? null;
  }

  /**
   * A conditional write that must change exactly one row: `UPDATE … WHERE id = ? AND <condition>`.
   * True when it did; false when the condition said no (sold out, not enough points, already used…),
   * which the caller turns into the contract's refusal. The one place this pattern is written.
   */
  async changedOne(sql: string, params: readonly unknown[] = []): Promise<boolean> {
    return (await this.execute(sql, params)) === 1;
  }

  /** Runs an INSERT, UPDATE or DELETE and returns the number of rows it changed. */
  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.run(sql, params)).affected ?? 0;
  }

  private async run(sql: string, params: readonly unknown[]) {
    const bound = this.dialect === 'sqlite' ? params.map(toSqlite) : [...params];
    const em = this.als.getStore();
    if (em?.queryRunner) return em.queryRunner.query(sql, bound, true);
    const alone = async () => {
      const runner: QueryRunner = this.dataSource.createQueryRunner();
      try {
        return await runner.query(sql, bound, true);
      } finally {
        await runner.release();
      }
    };
    return this.dialect === 'sqlite' ? this.queued(alone) : alone();
  }

  /** Whether the database answers (readiness). */
  async ping(): Promise<boolean> {
    await this.rows('SELECT 1');
    return true;
  }

  /** `sql FOR UPDATE` where the dialect has row locks (SQLite's queue already serialises writers). */
  forUpdate(sql: string): string {
    return this.dialect === 'mysql' ? `${sql} FOR UPDATE` : sql;
  }

  /** `IN (?, ?, …)` for n values. */
  static placeholders(n: number): string {
    return Array.from({ length: n }, () => '?').join(', ');
  }
}

/** SQLite has no date type: TypeORM stores UTC `YYYY-MM-DD HH:MM:SS.SSS` text, and so must raw SQL. */
function toSqlite(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** A datetime column read by raw SQL: a Date from mysql2, UTC text from SQLite. */
export function dateOf(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'string') return new Date(`${v.replace(' ', 'T')}Z`);
  throw new Error(`not a datetime: ${String(v)}`);
}

export function dateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : dateOf(v);
}

/** A numeric column read by raw SQL (COUNT and SUM may arrive as strings or bigints). */
export function numberOf(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0);
}

export function driverCode(e: unknown): string | undefined {
  const err = e as { code?: string; driverError?: { code?: string } } | null;
  return err?.driverError?.code ?? err?.code;
}

export function isDeadlock(e: unknown): boolean {
  const code = driverCode(e);
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
}

/** A unique key said no: the database's way of telling us an event already happened. */
export function isDuplicateKey(e: unknown): boolean {
  const code = driverCode(e);
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The database is away (refused, reset, closed mid-query, shutting down, out of connections):
 * the request can be retried once it is back, so the caller hears 503, not a 500 of ours.
 */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
]);

export function isDatabaseUnavailable(e: unknown): boolean {
  const code = driverCode(e);
  if (code !== undefined && UNAVAILABLE.has(code)) return true;
  // MariaDB's own numbers where the driver has no name for them: 1927 the connection was killed (a
  // server going down ends its connections so), 1053 shutting down, 1040 out of connections.
  const err = e as { fatal?: boolean; errno?: number; driverError?: { fatal?: boolean; errno?: number } } | null;
  const errno = err?.driverError?.errno ?? err?.errno;
  if (errno === 1927 || errno === 1053 || errno === 1040) return true;
  // mysql2 marks errors that end a connection as fatal ("connection is in closed state" has no code).
  return err?.fatal === true || err?.driverError?.fatal === true;
}

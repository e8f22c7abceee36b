import { AsyncLocalStorage } from 'node:async_hooks';
import { QueryFailedError, type DataSource, type QueryRunner } from 'typeorm';

export type Dialect = 'mysql' | 'sqlite';
/** A row as the driver returns it, before a repository maps it. */
export type RawRow = Record<string, unknown>;

/** A statement and its parameters, waiting to go with the next one. */
interface Pending {
  sql: string;
  params: unknown[];
}

/** The running transaction: its connection, what waits to be sent, and what runs once it commits. */
interface Tx {
  runner: QueryRunner;
  /**
   * MySQL: statements held back to travel with the next one, in order (`START TRANSACTION`, then
   * the writes queued by `write`). Always empty on SQLite.
   */
  pending: Pending[];
  /** Whether anything of this transaction reached the server (then a failure must roll back). */
  sent: boolean;
  /** Work to run inside the transaction once its `fn` returned, just before COMMIT (`beforeCommit`). */
  before: (() => Promise<void>)[];
  after: (() => Promise<void>)[];
}

/** What a statement answered: its rows (a SELECT) or how many rows it changed. */
interface Answer {
  records: unknown[];
  affected?: number;
}

/** Joins a batch into one multi-statement query: `;` then a newline between statements. */
export const BATCH_SEPARATOR = ';\n';

/**
 * The one way the BFF reaches the database. A use case runs in `transaction(fn)`: the transaction
 * is ambient (AsyncLocalStorage), so repositories called anywhere inside `fn` run on it, and a
 * `transaction` started inside another joins it (the idempotency middleware wraps a service's
 * transaction this way). Nothing passes managers around: repositories ask `Db` for the current
 * connection, and outside any transaction they get a pooled one.
 *
 * MySQL runs transactions concurrently and a deadlock victim is retried. SQLite (TypeORM shares
 * one connection) runs them one after another through a queue.
 *
 * Round trips (MySQL): a statement costs a round trip to the server, and on these machines the
 * system calls of a round trip cost more than the statement itself. So a transaction sends
 * `START TRANSACTION` together with its first statement, and the writes a use case does not need
 * an answer from (`write`: plain inserts of ledger rows, lots, orders, outbox rows; the
 * unguarded update of a member row the transaction has locked) wait and go
 * together with the next statement that does, or with `COMMIT`, as one multi-statement query.
 * Order is kept and nothing is read before the writes queued ahead of it have run, so the
 * transaction sees exactly what it would statement by statement. A queued write that fails (a
 * duplicate key, say) fails the statement it travelled with, inside the same transaction, which
 * then rolls back: callers that turn a duplicate key into an answer catch it around the whole
 * transaction, never around the write. The mysql2 pool has `multipleStatements` on for this;
 * every statement is built from fixed SQL with `?` parameters, never from input.
 *
 * A statement that travels alone runs as a server-side prepared statement (`prepared`): MariaDB
 * parses it once per connection instead of on every call. Batches are plain multi-statement
 * queries (the prepared-statement protocol carries one statement).
 */
export class Db {
  private readonly als = new AsyncLocalStorage<Tx>();
  private queue: Promise<unknown> = Promise.resolve();
  readonly dialect: Dialect;

  constructor(
    readonly dataSource: DataSource,
    private readonly deadlockRetries = 3,
  ) {
    this.dialect = dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb' ? 'mysql' : 'sqlite';
  }

  get inTransaction(): boolean {
    return this.als.getStore() !== undefined;
  }

  /** An object that stands for the running transaction (the same for everything inside it), or undefined outside one. */
  get transactionScope(): object | undefined {
    return this.als.getStore();
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
    const attempt = async () => {
      const r = this.dialect === 'sqlite' ? await this.sqliteAttempt(fn) : await this.mysqlAttempt(fn);
      after = r.after;
      return r.result;
    };
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

  /** One MySQL attempt on a pooled connection: `START TRANSACTION` goes with the first statement, the last writes with `COMMIT`. */
  private async mysqlAttempt<T>(fn: () => Promise<T>): Promise<{ result: T; after: Tx['after'] }> {
    const runner = this.dataSource.createQueryRunner();
    const tx: Tx = { runner, pending: [{ sql: 'START TRANSACTION', params: [] }], sent: false, before: [], after: [] };
    try {
      const result = await this.als.run(tx, () => this.runThenBeforeCommit(tx, fn));
      if (tx.sent || tx.pending.length > 1) await this.send(tx, 'COMMIT', []);
      return { result, after: tx.after };
    } catch (e) {
      if (tx.sent) await runner.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
    }
  }

  private async sqliteAttempt<T>(fn: () => Promise<T>): Promise<{ result: T; after: Tx['after'] }> {
    let tx: Tx | undefined;
    const result = await this.dataSource.transaction((em) => {
      if (!em.queryRunner) throw new Error('a transaction without a query runner');
      const t: Tx = { runner: em.queryRunner, pending: [], sent: true, before: [], after: [] };
      tx = t;
      return this.als.run(t, () => this.runThenBeforeCommit(t, fn));
    });
    return { result, after: tx?.after ?? [] };
  }

  /** `fn`, then the work queued by `beforeCommit`, in the order queued (work it queues itself runs too). */
  private async runThenBeforeCommit<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
    const result = await fn();
    for (let i = 0; i < tx.before.length; i++) await tx.before[i]();
    return result;
  }

  /**
   * Runs `work` inside the running transaction (the outermost one it joined) once its `fn` has
   * returned, just before the COMMIT: for writes that gather what a whole use case did into one
   * statement taking its row locks last (the KPI summary's counters). Dropped with a rollback; a
   * failure fails the transaction. Only inside a transaction.
   */
  beforeCommit(work: () => Promise<void>): void {
    const tx = this.als.getStore();
    if (!tx) throw new Error('beforeCommit needs a running transaction');
    tx.before.push(work);
  }

  /**
   * Runs `work` once the running transaction (the outermost one it joined) has committed, before
   * that transaction's caller resumes; at once outside a transaction. For consequences that take
   * other members' locks or may fail on their own (engagement rewards): they must not hold up,
   * deadlock or undo what caused them. A failure is reported to `afterCommitFailed`, never to the
   * caller, whose work is already committed.
   */
  async afterCommit(work: () => Promise<void>): Promise<void> {
    const tx = this.als.getStore();
    if (tx) {
      tx.after.push(work);
      return;
    }
    try {
      await work();
    } catch (e) {
      this.afterCommitFailed(e);
    }
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

  /**
   * A write whose answer nobody needs (an INSERT that can only fail, by a duplicate key or a
   * broken constraint, which fails the transaction; or an UPDATE by key of a row the transaction
   * holds locked, which changes exactly that row). In a MySQL transaction it is queued and sent
   * with the transaction's next statement or its COMMIT (one round trip for several statements);
   * elsewhere it runs at once. Its failure surfaces where it is sent, inside the same transaction.
   */
  async write(sql: string, params: readonly unknown[] = []): Promise<void> {
    const tx = this.als.getStore();
    if (tx && this.dialect === 'mysql') {
      tx.pending.push({ sql, params: [...params] });
      return;
    }
    await this.run(sql, params);
  }

  private async run(sql: string, params: readonly unknown[]): Promise<Answer> {
    const tx = this.als.getStore();
    if (tx) return this.send(tx, sql, this.dialect === 'sqlite' ? params.map(toSqlite) : [...params]);
    const bound = this.dialect === 'sqlite' ? params.map(toSqlite) : [...params];
    const alone = async () => {
      const runner: QueryRunner = this.dataSource.createQueryRunner();
      try {
        return this.dialect === 'mysql' ? await this.prepared(runner, sql, bound) : answerOf(await runner.query(sql, bound, true));
      } finally {
        await runner.release();
      }
    };
    return this.dialect === 'sqlite' ? this.queued(alone) : alone();
  }

  /** Sends `sql` on the transaction's connection, after what is pending, as one query; its own answer. */
  private async send(tx: Tx, sql: string, params: unknown[]): Promise<Answer> {
    if (tx.pending.length === 0) return this.dialect === 'mysql' ? this.prepared(tx.runner, sql, params) : answerOf(await tx.runner.query(sql, params, true));
    const batch = [...tx.pending, { sql, params }];
    tx.pending = [];
    tx.sent = true;
    const r = (await tx.runner.query(
      batch.map((s) => s.sql).join(BATCH_SEPARATOR),
      batch.flatMap((s) => s.params),
      true,
    )) as { raw: unknown };
    const answers = r.raw as unknown[];
    const last = answers[answers.length - 1];
    return Array.isArray(last) ? { records: last } : { records: [], affected: (last as { affectedRows?: number } | undefined)?.affectedRows };
  }

  /**
   * MySQL: one statement as a server-side prepared statement (mysql2 `execute`). mysql2 prepares
   * it on a connection's first use and keeps it (`maxPreparedStatements` per connection, least
   * recently used closed first), so the server parses it once and only the parameters travel: for
   * the member card this took MariaDB's CPU per card from about 240 to 150 µs. A statement the
   * server will not prepare (a command the protocol lacks, too many placeholders, or the
   * server-wide prepared-statement limit reached) runs as a plain query instead. Logged like every statement TypeORM sends, and
   * failures come wrapped as TypeORM's, so callers see one kind of failure.
   */
  private async prepared(runner: QueryRunner, sql: string, params: unknown[]): Promise<Answer> {
    const conn = (await runner.connect()) as PreparingConnection;
    this.dataSource.logger.logQuery(sql, params, runner);
    // The text protocol binds undefined as NULL; the binary one refuses it: keep the text protocol's meaning.
    const bound = params.map((p) => (p === undefined ? null : p));
    const answer = (resolve: (a: Answer) => void, reject: (e: unknown) => void) => (err: Error | null, raw: unknown[] | { affectedRows: number }) => {
      if (err) reject(err);
      else if (Array.isArray(raw)) resolve({ records: raw });
      else resolve({ records: [], affected: raw.affectedRows });
    };
    try {
      try {
        return await new Promise<Answer>((resolve, reject) => conn.execute(sql, bound, answer(resolve, reject)));
      } catch (e) {
        const errno = (e as { errno?: number }).errno;
        if (errno === undefined || !NOT_PREPARABLE.has(errno)) throw e;
        // On the same connection, as a plain query (not logged again: it is the same statement).
        return await new Promise<Answer>((resolve, reject) => conn.query(sql, bound, answer(resolve, reject)));
      }
    } catch (e) {
      this.dataSource.logger.logQueryError(e as Error, sql, params, runner);
      throw new QueryFailedError(sql, params, e as Error);
    }
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

/**
 * Why MariaDB/MySQL may refuse to run a statement as a prepared one that runs fine as a plain
 * query: 1295 the command is not supported by the prepared-statement protocol, 1390 more than
 * 65 535 placeholders (a large multi-row insert), 1461 the server holds `max_prepared_stmt_count`
 * statements already, 1615 a prepared statement must be prepared again (its tables changed).
 */
const NOT_PREPARABLE = new Set([1295, 1390, 1461, 1615]);

/** The part of a mysql2 (callback API) connection `prepared` uses. */
interface PreparingConnection {
  execute(sql: string, params: unknown[], cb: (err: Error | null, raw: unknown[] | { affectedRows: number }) => void): void;
  query(sql: string, params: unknown[], cb: (err: Error | null, raw: unknown[] | { affectedRows: number }) => void): void;
}

function answerOf(r: { records?: unknown[]; affected?: number }): Answer {
  return { records: r.records ?? [], affected: r.affected };
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

import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The one way the BFF touches the database inside a use case. `transaction(fn)` opens a
 * transaction, or joins the one already running in this async context, so a service can be
 * called alone or as part of a bigger use case (the idempotency wrapper, say) without
 * threading managers through every call.
 *
 * MySQL runs transactions concurrently and a deadlock victim is retried. SQLite (TypeORM shares
 * one connection) runs them one after another through a queue.
 */
export class Db {
  private readonly als = new AsyncLocalStorage<EntityManager>();
  private queue: Promise<unknown> = Promise.resolve();
  readonly dialect: 'mysql' | 'sqlite';

  constructor(
    readonly dataSource: DataSource,
    private readonly deadlockRetries = 3,
  ) {
    this.dialect = dataSource.options.type === 'mysql' ? 'mysql' : 'sqlite';
  }

  /** The manager of the running transaction, or the plain one outside any. */
  get manager(): EntityManager {
    return this.als.getStore() ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return this.als.getStore() !== undefined;
  }

  async transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    const current = this.als.getStore();
    if (current) return fn(current);
    if (this.dialect === 'sqlite') {
      const run = () => this.dataSource.transaction((em) => this.als.run(em, () => fn(em)));
      const result = this.queue.then(run, run);
      this.queue = result.catch(() => undefined);
      return result;
    }
    // READ COMMITTED, not InnoDB's default REPEATABLE READ: a use case reads (say, who the caller
    // is) before it takes the member lock, and under REPEATABLE READ that first read would freeze
    // the snapshot, so after waiting for the lock it would count redemptions or compute a
    // balanceAfter from data older than the transaction it waited for. Locks and conditional
    // updates carry the correctness; every read must see the latest committed rows.
    const run = () => this.dataSource.transaction('READ COMMITTED', (em) => this.als.run(em, () => fn(em)));
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (e) {
        if (attempt >= this.deadlockRetries || !isDeadlock(e)) throw e;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
  }

  /** Appends ` FOR UPDATE` where the dialect has row locks (SQLite's queue already serialises). */
  forUpdate(sql: string): string {
    return this.dialect === 'mysql' ? `${sql} FOR UPDATE` : sql;
  }
}

function driverCode(e: unknown): string | undefined {
  const err = e as { code?: string; driverError?: { code?: string } };
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

/** Number of rows an UPDATE changed, on either dialect. */
export function affectedRows(result: { affected?: number | null }): number {
  return result.affected ?? 0;
}

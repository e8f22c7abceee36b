import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DomainError } from '@member/shared';
import { driverCode } from '../db/db';
import type { JobRunRow, JobTrigger } from '../db/entities';
import { newId } from '../lib/ids';
import type { Services } from '../services';
import { jobs as allJobs, type Job, type JobResult } from '.';

/** Most old run records one run deletes. */
const PRUNE_BATCH = 1000;

/** The error a run whose lease was taken over by another instance ends with. */
export class LeaseLost extends Error {
  constructor(job: string) {
    super(`the lease of ${job} lapsed and another instance took it over during the run`);
    this.name = 'LeaseLost';
  }
}

/**
 * What a run record says went wrong, without personal data: a refusal's code and message, a
 * database error's code only (its message may quote values), otherwise the error's own message.
 */
export function errorSummary(e: unknown): string {
  if (e instanceof DomainError) return `${e.code}: ${e.message}`.slice(0, 255);
  const code = driverCode(e);
  if (code) return `database error (${code})`;
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 255);
  return 'unknown error';
}

/** This process and a random part: two app instances in one process (tests) are two holders. */
function instanceHolder(): string {
  return `${hostname().slice(0, 32)}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export interface RunOptions {
  trigger: JobTrigger;
  /** Work as of this instant instead of the clock's now (refused in production by the caller's service). */
  asOf?: Date;
  /**
   * A scheduled tick: the instant its schedule fired for, which starts the period the tick stands
   * for. The run is skipped (`null`) when a scheduled run of the job started at or after it, on
   * any instance: each period runs once, however late another instance's tick comes.
   */
  period?: Date;
}

/**
 * Runs jobs under their leases, for the scheduler and for operators alike. A run takes the job's
 * lease (refused with JOB_RUNNING while another holder's lease is in force), records itself in
 * `job_runs`, renews the lease every third of `jobs.leaseSeconds` while the job works, and records
 * the outcome and releases the lease when it ends. A holder that dies stops renewing: its lease
 * lapses, and the next holder marks its unfinished run failed and runs the job again (every job is
 * idempotent, so a half-done run is simply completed). A renewal that finds the lease taken aborts
 * the job's signal; the job stops at its next batch.
 */
export class JobRunner {
  readonly holder: string;
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(
    private readonly s: Services,
    private readonly registry: Readonly<Record<string, Job>> = allJobs,
    holder: string = instanceHolder(),
  ) {
    this.holder = holder;
  }

  names(): string[] {
    return Object.keys(this.registry);
  }

  has(name: string): boolean {
    return Object.hasOwn(this.registry, name);
  }

  /** Runs a job now under its lease and returns its run record (outcome 'ok' or 'failed'). */
  async run(name: string, opts: Omit<RunOptions, 'period'>): Promise<JobRunRow> {
    const row = await this.runOnce(name, opts);
    // Only a scheduled tick (with a period) is ever skipped.
    if (!row) throw new Error(`job ${name} was skipped without a period`);
    return row;
  }

  /**
   * Runs the tick of a schedule that fired for `period` under the job's lease, unless a scheduled
   * run of the job already started in that period (on this instance or another: null). The check
   * is made while holding the lease, so two instances whose ticks come one after the other (the
   * first run over and its lease released before the second tick) still run the period once.
   */
  async runScheduled(name: string, period: Date): Promise<JobRunRow | null> {
    return this.runOnce(name, { trigger: 'schedule', period });
  }

  private async runOnce(name: string, opts: RunOptions): Promise<JobRunRow | null> {
    if (!this.has(name)) throw new DomainError('NOT_FOUND', `no job named ${name}`);
    const job = this.registry[name];
    const { repos, clock, logger } = this.s;
    const now = clock.now();
    const asOf = opts.asOf ?? now;
    let taken: boolean;
    try {
      taken = await repos.jobLeases.take(name, this.holder, this.leaseEnd(now), now);
    } catch (e) {
      // Not "held": the lease could not be asked for at all. Logged, and recorded if the database lets us.
      logger.error({ err: e, job: name }, 'job lease could not be taken');
      await this.recordUnstarted(name, opts.trigger, asOf, now, e);
      throw e;
    }
    if (!taken) throw new DomainError('JOB_RUNNING', `job ${name} is running on another instance`, { job: name });
    if (opts.period && (await this.ranInPeriod(name, opts.period, now))) return null;

    const controller = new AbortController();
    let ended: () => void = () => undefined;
    this.running.set(name, { controller, done: new Promise<void>((r) => (ended = r)) });
    const beat = setInterval(() => void this.renew(name, controller), (this.s.runtime.jobs.leaseSeconds * 1000) / 3);
    beat.unref();
    try {
      await repos.jobRuns.abandon(name, now, 'the instance running it stopped before it finished (its lease lapsed)');
      const row: JobRunRow = {
        id: newId(),
        job: name,
        holder: this.holder,
        triggeredBy: opts.trigger,
        asOf,
        startedAt: now,
        finishedAt: null,
        outcome: 'running',
        result: null,
        details: null,
        error: null,
      };
      await repos.jobRuns.insert(row);
      const details: Record<string, string[]> = {};
      let result: JobResult | null = null;
      let error: string | null = null;
      try {
        result = await job(this.s, { now: asOf, signal: controller.signal, report: (kind, ids) => (details[kind] = [...ids]) });
        // Finished, but another instance may have run it meanwhile: say so. (Stopping after the end is no failure.)
        if (controller.signal.reason instanceof LeaseLost) throw controller.signal.reason;
      } catch (e) {
        // Aborted (lease lost, or this instance stopping): that is why it ended, whatever the job threw.
        error = errorSummary(controller.signal.aborted ? controller.signal.reason : e);
        logger.error({ err: e, job: name, run: row.id }, 'job failed');
      }
      const end = {
        finishedAt: clock.now(),
        outcome: error === null ? ('ok' as const) : ('failed' as const),
        result: result ? JSON.stringify(result) : null,
        details: Object.keys(details).length ? JSON.stringify(details) : null,
        error,
      };
      await repos.jobRuns.finish(row.id, end);
      if (error === null) logger.info({ job: name, run: row.id, ...result }, 'job finished');
      await this.prune(name, end.finishedAt);
      return { ...row, ...end };
    } finally {
      clearInterval(beat);
      this.running.delete(name);
      await repos.jobLeases.release(name, this.holder, clock.now()).catch((e: unknown) => logger.error({ err: e, job: name }, 'job lease not released'));
      ended();
    }
  }

  /**
   * For shutting down: aborts every run in progress in this instance (each stops at its next batch,
   * is recorded failed and releases its lease, so another instance may run the job at once) and
   * waits for them to end.
   */
  async stop(): Promise<void> {
    const runs = [...this.running.values()];
    for (const r of runs) r.controller.abort(new Error('the instance is shutting down'));
    await Promise.all(runs.map((r) => r.done));
  }

  /**
   * Renews the lease of every run in progress in this instance (the timer of each run calls this
   * for its job every third of the lease). A lease found taken by another holder aborts that run.
   */
  async renewLeases(): Promise<void> {
    await Promise.all([...this.running].map(([name, { controller }]) => this.renew(name, controller)));
  }

  private async renew(name: string, controller: AbortController): Promise<void> {
    try {
      if (!(await this.s.repos.jobLeases.renew(name, this.holder, this.leaseEnd(this.s.clock.now())))) {
        this.s.logger.error({ job: name }, 'job lease lost to another instance: stopping the run');
        controller.abort(new LeaseLost(name));
      }
    } catch (e) {
      // The next beat tries again; if the database stays away, the lease lapses as it would on a crash.
      this.s.logger.error({ err: e, job: name }, 'job lease could not be renewed');
    }
  }

  /** Whether a scheduled run of the job started in the period; if so the lease just taken is given back (no run noted). */
  private async ranInPeriod(name: string, period: Date, now: Date): Promise<boolean> {
    const { repos } = this.s;
    try {
      if (!(await repos.jobRuns.scheduledSince(name, period))) return false;
    } catch (e) {
      await repos.jobLeases.renew(name, this.holder, now).catch(() => undefined);
      throw e;
    }
    // Ending the lease now (a renewal to this instant) frees it at once and leaves last_run_at alone.
    await repos.jobLeases.renew(name, this.holder, now);
    return true;
  }

  /** Keeps `jobs.keepRunsDays` of a job's run records: a bounded batch per run, so a backlog clears over a few runs. */
  private async prune(name: string, now: Date): Promise<void> {
    const before = new Date(now.getTime() - this.s.runtime.jobs.keepRunsDays * 86_400_000);
    try {
      await this.s.repos.jobRuns.prune(name, before, PRUNE_BATCH);
    } catch (e) {
      this.s.logger.error({ err: e, job: name }, 'old job run records not pruned');
    }
  }

  private leaseEnd(now: Date): Date {
    return new Date(now.getTime() + this.s.runtime.jobs.leaseSeconds * 1000);
  }

  private async recordUnstarted(name: string, trigger: JobTrigger, asOf: Date, now: Date, e: unknown): Promise<void> {
    try {
      await this.s.repos.jobRuns.insert({
        id: newId(),
        job: name,
        holder: this.holder,
        triggeredBy: trigger,
        asOf,
        startedAt: now,
        finishedAt: now,
        outcome: 'failed',
        result: null,
        details: null,
        error: `lease not taken: ${errorSummary(e)}`.slice(0, 255),
      });
    } catch (again) {
      this.s.logger.error({ err: again, job: name }, 'job failure could not be recorded');
    }
  }
}

import { DomainError } from '@member/shared';
import type { RuntimeConfig } from '../config/config';
import type { JobLeaseRow, JobRunRow } from '../db/entities';
import type { AuditRepository, JobLeaseRepository, JobRunRepository } from '../db/repositories';
import type { JobRunner } from '../jobs/runner';
import { nextRunOf } from '../jobs/scheduler';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';

/** How many recent runs the list shows per job. */
const RUNS_LISTED = 5;

export interface JobOverview {
  name: string;
  schedule: string | null;
  scheduled: boolean;
  nextRunAt: Date | null;
  lease: JobLeaseRow | null;
  lastRuns: JobRunRow[];
  now: Date;
}

/** The operators' view of the scheduled jobs: what exists, when it runs, how its last runs went; and running one now. */
export class JobsService {
  constructor(
    private readonly runner: JobRunner,
    private readonly repos: { jobLeases: JobLeaseRepository; jobRuns: JobRunRepository; audit: AuditRepository },
    private readonly settings: RuntimeConfig['jobs'],
    private readonly timeZone: string,
    private readonly clock: Clock,
    /** Whether `asOf` is accepted (never in production: expiry as of a future date destroys value). */
    private readonly asOfAllowed: boolean,
  ) {}

  async list(): Promise<JobOverview[]> {
    const now = this.clock.now();
    const leases = new Map((await this.repos.jobLeases.all()).map((l) => [l.name, l]));
    return Promise.all(
      this.runner.names().map(async (name) => {
        const schedule = Object.hasOwn(this.settings.schedules, name) ? this.settings.schedules[name] : null;
        return {
          name,
          schedule,
          scheduled: this.settings.scheduler && schedule !== null,
          nextRunAt: schedule && this.settings.scheduler ? nextRunOf(schedule, this.timeZone, now) : null,
          lease: leases.get(name) ?? null,
          lastRuns: await this.repos.jobRuns.latest(name, RUNS_LISTED),
          now,
        };
      }),
    );
  }

  /**
   * Runs a job now, under its lease like a scheduled tick; JOB_RUNNING while another instance runs
   * it. The audit log says who ran it, as of when, and how it went: a run as of another date moves
   * value (expiry, reviews) and must be traceable to the operator.
   */
  async runNow(name: string, asOf: Date | undefined, actorId: string): Promise<JobRunRow> {
    if (!this.runner.has(name)) throw new DomainError('NOT_FOUND', `no job named ${name}`);
    if (asOf && !this.asOfAllowed) {
      throw new DomainError('VALIDATION_FAILED', 'asOf is not accepted in production: jobs run as of now', {
        issues: [{ path: ['asOf'], message: 'not accepted in production' }],
      });
    }
    const run = await this.runner.run(name, { trigger: 'manual', asOf });
    await this.repos.audit.insert({
      id: newId(),
      actorId,
      action: 'job.run',
      targetType: 'job',
      targetId: name,
      details: JSON.stringify({ runId: run.id, asOf: asOf?.toISOString() ?? null, outcome: run.outcome }),
      createdAt: this.clock.now(),
    });
    return run;
  }
}

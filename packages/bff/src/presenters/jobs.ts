import type { JobRun, JobSummary } from '@member/shared';
import type { JobRunRow } from '../db/entities';
import type { JobOverview } from '../services/jobs.service';

export function presentJobRun(r: JobRunRow): JobRun {
  return {
    id: r.id,
    job: r.job,
    holder: r.holder,
    trigger: r.triggeredBy,
    asOf: r.asOf.toISOString(),
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    outcome: r.outcome,
    result: r.result === null ? null : (JSON.parse(r.result) as Record<string, number>),
    details: r.details === null ? null : (JSON.parse(r.details) as Record<string, string[]>),
    error: r.error,
  };
}

export function presentJobSummary(j: JobOverview): JobSummary {
  return {
    name: j.name,
    schedule: j.schedule,
    scheduled: j.scheduled,
    nextRunAt: j.nextRunAt?.toISOString() ?? null,
    lease: j.lease
      ? {
          holder: j.lease.holder,
          until: j.lease.leaseUntil.toISOString(),
          inForce: j.lease.leaseUntil > j.now,
          lastRunAt: j.lease.lastRunAt?.toISOString() ?? null,
        }
      : null,
    lastRuns: j.lastRuns.map(presentJobRun),
  };
}

import { z } from 'zod';
import { Id, IsoDateTime, StoredDateTime } from './common';

/** A scheduled job's name, as the BFF registers it (kebab-case). */
export const JobName = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'a job name (kebab-case)');

/** Any name up to a column's length: a name that is no job is 404 NOT_FOUND, not a validation error. */
export const JobNameParams = z.object({ name: z.string().min(1).max(64) });

/**
 * Run a job now. `asOf` makes it work as of another instant (tests and rehearsals); a server in
 * production refuses it, since expiry as of a future date would destroy members' value.
 */
export const JobRunBody = z.object({ asOf: StoredDateTime.optional() }).strict();
export type JobRunBody = z.infer<typeof JobRunBody>;

export const JobRun = z.object({
  id: Id,
  job: JobName,
  /** The instance (host, process and a random part) that held the job's lease. */
  holder: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  asOf: IsoDateTime,
  startedAt: IsoDateTime,
  finishedAt: IsoDateTime.nullable(),
  /** 'running' until it ends; a run whose instance died is marked failed by the next holder. */
  outcome: z.enum(['running', 'ok', 'failed']),
  /** The job's counts. */
  result: z.record(z.string(), z.number().int()).nullable(),
  /** Ids a check reported, per kind (the ledger check's members). */
  details: z.record(z.string(), z.array(Id)).nullable(),
  /** What went wrong, without personal data. */
  error: z.string().nullable(),
});
export type JobRun = z.infer<typeof JobRun>;

export const JobSummary = z.object({
  name: JobName,
  /** Cron pattern in the business time zone; null when the job runs only when asked. */
  schedule: z.string().nullable(),
  /** Whether this instance runs schedules at all (`jobs.scheduler`). */
  scheduled: z.boolean(),
  nextRunAt: IsoDateTime.nullable(),
  /** The lease: who holds or last held it, until when (in force when later than now). */
  lease: z.object({ holder: z.string(), until: IsoDateTime, inForce: z.boolean(), lastRunAt: IsoDateTime.nullable() }).nullable(),
  lastRuns: z.array(JobRun),
});
export type JobSummary = z.infer<typeof JobSummary>;

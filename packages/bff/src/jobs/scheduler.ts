import { DomainError } from '@member/shared';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/config';
import type { JobRunRow } from '../db/entities';
import type { JobRunner } from './runner';

/**
 * One tick of a job's schedule: run it under its lease. Another instance holding the lease is the
 * normal case with several instances (skipped quietly); anything else is logged (the runner has
 * recorded it in `job_runs` when the database let it).
 */
export async function tick(runner: JobRunner, name: string, logger: Logger): Promise<JobRunRow | null> {
  try {
    return await runner.run(name, { trigger: 'schedule' });
  } catch (e) {
    if (e instanceof DomainError && e.code === 'JOB_RUNNING') {
      logger.debug({ job: name }, 'job skipped: running on another instance');
      return null;
    }
    logger.error({ err: e, job: name }, 'scheduled job could not run');
    return null;
  }
}

/** The next instant a pattern fires, in the business time zone (null for a pattern that never fires again). */
export function nextRunOf(pattern: string, timeZone: string, after: Date): Date | null {
  const cron = new Cron(pattern, { paused: true, timezone: timeZone });
  try {
    return cron.nextRun(after);
  } finally {
    cron.stop();
  }
}

/**
 * Starts the schedules of `jobs.schedules` (cron patterns in the business time zone) in this
 * instance, when `jobs.scheduler` is on. Every instance may run the scheduler: the lease lets one
 * of them run each tick. A tick that comes while this instance still runs the job's previous tick
 * is skipped (croner's `protect`). A schedule naming no registered job stops the start-up.
 */
export function startScheduler(runner: JobRunner, settings: RuntimeConfig['jobs'], timeZone: string, logger: Logger): { stop: () => void } {
  const unknown = Object.keys(settings.schedules).filter((name) => !runner.has(name));
  if (unknown.length) {
    throw new Error(`Invalid runtime configuration: jobs.schedules names no such job: ${unknown.join(', ')} (jobs: ${runner.names().join(', ')})`);
  }
  if (!settings.scheduler) {
    logger.info('job scheduler off (jobs.scheduler): jobs run only when an operator asks');
    return { stop: () => undefined };
  }
  const crons = Object.entries(settings.schedules).map(
    ([name, pattern]) =>
      new Cron(pattern, { name: `job:${name}`, timezone: timeZone, protect: true, unref: true }, async () => {
        await tick(runner, name, logger);
      }),
  );
  logger.info({ jobs: Object.fromEntries(Object.entries(settings.schedules)), timeZone }, 'job scheduler started');
  return { stop: () => crons.forEach((c) => c.stop()) };
}

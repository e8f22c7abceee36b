import { DomainError } from '@member/shared';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/config';
import type { JobRunRow } from '../db/entities';
import type { JobRunner } from './runner';

/**
 * One tick of a job's schedule, fired for `period` (the schedule's instant): run it under its
 * lease unless a scheduled run of the job already started in that period. Another instance holding
 * the lease or having run the period is the normal case with several instances (skipped quietly);
 * anything else is logged (the runner has recorded it in `job_runs` when the database let it).
 * Without a period (tests, a tick standing alone) only the lease decides.
 */
export async function tick(runner: JobRunner, name: string, logger: Logger, period?: Date): Promise<JobRunRow | null> {
  try {
    if (!period) return await runner.run(name, { trigger: 'schedule' });
    const ran = await runner.runScheduled(name, period);
    if (!ran) logger.debug({ job: name }, 'job skipped: this period ran on another instance');
    return ran;
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
 * The instant a pattern last fired at or before `at` (whole seconds): the start of the period `at`
 * falls in, so a tick that comes late still stands for the period it was scheduled in (until the
 * next one starts).
 */
export function periodOf(cron: Cron, at: Date): Date | null {
  // previousRuns looks strictly before the (whole) second it is given: one second on includes `at`'s own.
  return cron.previousRuns(1, new Date(at.getTime() + 1000))[0] ?? null;
}

/**
 * Starts the schedules of `jobs.schedules` (cron patterns in the business time zone) in this
 * instance, when `jobs.scheduler` is on. Every instance may run the scheduler: the lease and the
 * run records let one of them run each period, once. A tick that comes while this instance still
 * runs the job's previous tick is skipped (croner's `protect`). A schedule naming no registered job
 * stops the start-up.
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
      new Cron(pattern, { name: `job:${name}`, timezone: timeZone, protect: true, unref: true }, async (self: Cron) => {
        await tick(runner, name, logger, periodOf(self, new Date()) ?? undefined);
      }),
  );
  logger.info({ jobs: Object.fromEntries(Object.entries(settings.schedules)), timeZone }, 'job scheduler started');
  return { stop: () => crons.forEach((c) => c.stop()) };
}

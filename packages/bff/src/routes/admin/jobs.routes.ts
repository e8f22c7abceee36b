import { JobNameParams, JobRun, JobRunBody, JobSummary, Paths } from '@member/shared';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route';
import { presentJobRun, presentJobSummary } from '../../presenters/jobs';
import type { JobsService } from '../../services/jobs.service';

const tag = 'admin';
const admin = { audience: 'admin' } as const;

/** Scheduled jobs for operators (admin tokens only): what runs when, and running one now. */
export function adminJobsRoutes(d: { jobs: JobsService }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: Paths.adminJobs,
      tag,
      summary: 'Scheduled jobs: schedule, lease and last runs',
      auth: admin,
      response: z.array(JobSummary),
      handler: async () => (await d.jobs.list()).map(presentJobSummary),
    }),
    defineRoute({
      method: 'post',
      path: Paths.adminJobRun,
      tag,
      summary: 'Run a scheduled job now, under its lease (asOf only outside production); returns the run record',
      auth: admin,
      params: JobNameParams,
      body: JobRunBody,
      response: JobRun,
      errors: ['NOT_FOUND', 'JOB_RUNNING'],
      handler: async ({ caller, params, body }) => presentJobRun(await d.jobs.runNow(params.name, body.asOf ? new Date(body.asOf) : undefined, caller.staffId)),
    }),
  ];
}

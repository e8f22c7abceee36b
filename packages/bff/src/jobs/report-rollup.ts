import type { Services } from '../services';
import type { JobContext, JobResult } from '.';

/**
 * The KPI summary's daily rollups (see ReportService): fills every closed business day without a
 * rollup and computes the last few closed days again, one upsert per day. Safe to re-run, to run
 * twice at once and after a crash half-way: a day's row is always recomputed whole from the tables.
 */
export async function runReportRollup(s: Services, ctx: JobContext): Promise<JobResult> {
  return s.reports.rollup(ctx.now, ctx.signal);
}

import type { Services } from '../services';

/**
 * Qualifying growth aging: members whose oldest counting growth entry has left the trailing
 * window (`tierReview.trailingDays`) get it taken off `qualifying_growth`, in batches of
 * `jobs.growthAgingBatch`, one short transaction per member. Safe to re-run after a crash and to
 * run twice at once: a member's update applies only if their aging mark has not moved since it
 * was read, so every entry is taken off once. Never changes a tier (only the review drops one).
 */
export async function runGrowthAging(s: Services, ctx: { now: Date }): Promise<Record<string, number>> {
  let members = 0;
  let growth = 0;
  const seen = new Set<string>();
  for (;;) {
    const batch = (await s.points.membersDueForAging(ctx.now, s.runtime.jobs.growthAgingBatch)).filter((id) => !seen.has(id));
    // A member another run is ageing at this moment may still look due: each is visited once per run.
    if (batch.length === 0) break;
    for (const memberId of batch) {
      seen.add(memberId);
      growth += await s.points.ageMember(memberId, ctx.now);
      members++;
    }
  }
  return { members, growth };
}

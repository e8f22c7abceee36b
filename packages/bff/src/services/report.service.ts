import { addBusinessDays, businessDate, startOfBusinessDay } from '@member/shared';
import type { Db } from '../db/db';
import type { DayFigures, ReportRepository } from '../db/repositories/admin.repository';
import type { ReportCounterRepository } from '../db/repositories/report-counter.repository';

/** `reports` in config/runtime.json: when a day counts as closed, and what the rollup job covers. */
export interface ReportSettings {
  /** A business day is closed (rolled up, then read from its rollup) once it ended at least this many minutes ago. */
  closeAfterMinutes: number;
  /** Each rollup run computes the last this many closed days again, whether rolled up or not. */
  recomputeDays: number;
  /** The rollup job fills missing days at most this many days back from the last closed day. */
  backfillDays: number;
}

/** The summary's figures before ratios and tier names are added (the response's numbers). */
export interface ReportFigures {
  members: { total: number; new: number; active30d: number };
  tiers: { code: string; members: number }[];
  points: { issued: number; spent: number; expired: number };
  coupons: { issued: number; used: number };
  checkins: { checkins: number; members: number };
  referrals: { invited: number; converted: number };
  mall: { redemptions: number; cancelled: number; pointsSpent: number };
}

const ZERO: DayFigures = {
  pointsIssued: 0,
  pointsSpent: 0,
  pointsExpired: 0,
  couponsIssued: 0,
  checkins: 0,
  referralsInvited: 0,
  redemptions: 0,
  redemptionPoints: 0,
};

function add(a: DayFigures, b: DayFigures): DayFigures {
  const sum = { ...a };
  for (const k of Object.keys(ZERO) as (keyof DayFigures)[]) sum[k] = a[k] + b[k];
  return sum;
}

/**
 * The KPI summary over business days, and the daily rollups that keep it fast over a year: its
 * cost grows with the days asked for, not with the tables.
 *
 * The figures that only grow with what happens on a day and never change once it is over (points
 * issued, spent, expired; coupons issued; check-ins; invitations; redemptions and their points)
 * come from `report_days` for the days rolled up, and from the tables themselves for the rest
 * (today, days not closed yet, any day missing): the span from the first day not rolled up to the
 * last is read live as one range, and rollups inside that span are ignored, so no day is ever
 * counted twice or left out. Only closed days' whole-day rollups are read, whatever the job wrote;
 * and the rollup of the current day's first hours that each run of the job writes (up to
 * `closeAfterMinutes` before the run: the rows a closed day would count as final), when the live
 * span starts on its day and it is final at `now` too: the span is then read from where it ends.
 * So a period ending today reads the last hour or two of the ledger, not the whole day's.
 *
 * The figures that depend on a row's current status or count distinct members come from the
 * pre-aggregated counters (`report_counters`, see ReportCounterRepository), moved by every use case
 * in its own transaction, summed over the period's days:
 * - members: new = registered on F…T (and still active); total = all active members (the tier
 *   counters) less those registered after T; the tier distribution is always the current one;
 * - coupons used, invitations converted, redemptions cancelled (and their points): by the day the
 *   coupon was issued, the invitation registered, the redemption made;
 * - members active (`active30d`: a ledger entry other than an expiry on any of the 30 business
 *   days ending T, not the last 30×24 h) and members who checked in on F…T: members by their LAST
 *   active (check-in) day, summed from T−29 (F) on. That is exact only when T is today or later
 *   (no one's last day can be after today); for a period ending in the past these two are counted
 *   from the tables (COUNT(DISTINCT) over the period's index range), the one part of a past
 *   period's summary whose cost grows with the activity of those days.
 * A period ending today reads no table row beyond the day figures of the days not rolled up.
 */
export class ReportService {
  constructor(
    private readonly db: Db,
    private readonly reports: ReportRepository,
    private readonly counters: ReportCounterRepository,
    private readonly timeZone: string,
    private readonly settings: ReportSettings,
  ) {}

  /** The last business day closed at `now`: it ended at least `closeAfterMinutes` before `now`. */
  lastClosedDay(now: Date): string {
    return addBusinessDays(businessDate(new Date(now.getTime() - this.settings.closeAfterMinutes * 60_000), this.timeZone), -1);
  }

  /** Instants [from, to) of the business days `fromDay`…`toDay`. */
  private span(fromDay: string, toDay: string): { from: Date; to: Date } {
    return { from: startOfBusinessDay(fromDay, this.timeZone), to: startOfBusinessDay(addBusinessDays(toDay, 1), this.timeZone) };
  }

  /** The summary's figures over business days `fromDay`…`toDay` (inclusive), as of `now`. */
  async figures(fromDay: string, toDay: string, now: Date): Promise<ReportFigures> {
    const past = toDay < businessDate(now, this.timeZone);
    const activeFrom = addBusinessDays(toDay, -29);
    const inPeriod = { from: fromDay, to: toDay };
    const [day, counted, distinct] = await Promise.all([
      this.dayFigures(fromDay, toDay, now),
      this.counters.sums([
        { metric: 'registered', ...inPeriod },
        { metric: 'registered', from: addBusinessDays(toDay, 1) },
        { metric: 'coupons_used', ...inPeriod },
        { metric: 'referrals_converted', ...inPeriod },
        { metric: 'redemptions_cancelled', ...inPeriod },
        { metric: 'redemption_cancelled_points', ...inPeriod },
        // Members by their last active (check-in) day: exact only for a period ending today or later.
        ...(past
          ? []
          : [
              { metric: 'active_last' as const, from: activeFrom },
              { metric: 'checkin_last' as const, from: fromDay },
            ]),
      ]),
      past
        ? this.reports.distinctMembers({
            activeSince: startOfBusinessDay(activeFrom, this.timeZone),
            to: startOfBusinessDay(addBusinessDays(toDay, 1), this.timeZone),
            fromDay,
            toDay,
          })
        : null,
    ]);
    const [fresh, registeredAfter, couponsUsed, converted, cancelled, cancelledPoints, activeLast, checkinLast] = counted.sums;
    const tiers = [...counted.tiers].filter(([, n]) => n !== 0).map(([code, members]) => ({ code, members }));
    const current = tiers.reduce((sum, t) => sum + t.members, 0);
    return {
      members: { total: current - registeredAfter, new: fresh, active30d: distinct ? distinct.active : activeLast },
      tiers,
      points: { issued: day.pointsIssued, spent: day.pointsSpent, expired: day.pointsExpired },
      coupons: { issued: day.couponsIssued, used: couponsUsed },
      checkins: { checkins: day.checkins, members: distinct ? distinct.checkedIn : checkinLast },
      referrals: { invited: day.referralsInvited, converted },
      mall: { redemptions: day.redemptions, cancelled, pointsSpent: day.redemptionPoints - cancelledPoints },
    };
  }

  /**
   * Builds the counters from the tables when no recount ever did (the `built` marker is missing):
   * at start-up, after the migration that added them to a database with data. Returns whether it ran.
   */
  async ensureCounters(): Promise<boolean> {
    if (await this.counters.built()) return false;
    await this.counters.rebuild(this.timeZone);
    return true;
  }

  /** Replaces every counter with a recount from the tables (one transaction); returns how many it wrote. */
  rebuildCounters(): Promise<number> {
    return this.counters.rebuild(this.timeZone);
  }

  /**
   * The counters that differ from a recount (`metric|day`, stored and recounted), and the members
   * whose `last_active_at` is not their latest activity: all read in one transaction, so from one
   * snapshot (a use case writes its counters in the transaction of its change). Changes nothing.
   */
  async checkCounters(): Promise<{ counters: { key: string; stored: number; recounted: number }[]; lastActiveMismatches: number }> {
    return this.db.transaction(async () => {
      const stored = await this.counters.stored();
      const recounted = await this.counters.recount(this.timeZone);
      const lastActiveMismatches = await this.counters.lastActiveMismatches();
      const counters: { key: string; stored: number; recounted: number }[] = [];
      for (const k of new Set([...stored.keys(), ...recounted.keys()])) {
        const a = stored.get(k) ?? 0;
        const b = recounted.get(k) ?? 0;
        if (a !== b) counters.push({ key: k, stored: a, recounted: b });
      }
      return { counters: counters.sort((x, y) => (x.key < y.key ? -1 : 1)), lastActiveMismatches };
    });
  }

  /** Rows created before this instant are final at `now`: a write lands at most `closeAfterMinutes` after the instant it records. */
  private finalBefore(now: Date): Date {
    return new Date(now.getTime() - this.settings.closeAfterMinutes * 60_000);
  }

  /**
   * The day figures of `fromDay`…`toDay`: closed days' whole-day rollups, and the span from the
   * first day without one to the last summed live (rollups inside that span are ignored). When
   * the span's first day has a rollup of its first hours (the current day's, refreshed by each
   * run of the job) that is final (it ends `closeAfterMinutes` before `now` or earlier), the span
   * is read live only from where that rollup ends: a period ending today reads the last hour or
   * two of activity, not the whole day's.
   */
  private async dayFigures(fromDay: string, toDay: string, now: Date): Promise<DayFigures> {
    const closedThrough = this.lastClosedDay(now);
    const rows = await this.reports.rolledDays(fromDay, toDay);
    const whole = rows.filter((r) => r.until === null && r.day <= closedThrough);
    const have = new Set(whole.map((r) => r.day));
    let firstLive: string | null = null;
    let lastLive: string | null = null;
    for (let d = fromDay; d <= toDay; d = addBusinessDays(d, 1)) {
      if (have.has(d)) continue;
      firstLive ??= d;
      lastLive = d;
    }
    let sum = ZERO;
    for (const r of whole) if (firstLive === null || lastLive === null || r.day < firstLive || r.day > lastLive) sum = add(sum, r);
    if (firstLive === null || lastLive === null) return sum;
    const live = this.span(firstLive, lastLive);
    // The first live day's rollup of its first hours, if final at `now` and inside that day.
    const first = firstLive;
    const firstEnd = this.span(first, first).to;
    const final = this.finalBefore(now);
    const head = rows.find((r) => r.day === first && r.until !== null && r.until > live.from && r.until <= firstEnd && r.until <= final);
    if (!head?.until) return add(sum, await this.reports.dayFigures(live.from, live.to, firstLive, lastLive));
    return add(add(sum, head), await this.reports.dayFigures(head.until, live.to, firstLive, lastLive, { from: true }));
  }

  /** Computes one day's figures from the tables and writes them over its rollup (idempotent). */
  async rollupDay(day: string, now: Date): Promise<void> {
    const { from, to } = this.span(day, day);
    const figures = await this.reports.dayFigures(from, to, day, day);
    await this.reports.upsertDay({ day, ...figures, until: null, computedAt: now });
  }

  /**
   * The current business day's rollup of the rows final at `now` (created `closeAfterMinutes`
   * before it or earlier), written over that day's row; nothing in the day's first
   * `closeAfterMinutes`. Returns the instant it covers up to, or null.
   */
  async rollupOpenDay(now: Date): Promise<Date | null> {
    const day = businessDate(now, this.timeZone);
    const { from } = this.span(day, day);
    const until = this.finalBefore(now);
    if (until <= from) return null;
    const figures = await this.reports.dayFigures(from, until, day, day, { to: true });
    await this.reports.upsertDay({ day, ...figures, until, computedAt: now });
    return until;
  }

  /**
   * The rollup job's work: every closed day since the first activity (at most `backfillDays` back)
   * that has no rollup, and the last `recomputeDays` closed days again (a write that landed late in
   * a closed day is counted by the next run); then the current day up to `closeAfterMinutes`
   * before `now` (rollupOpenDay). Each day is computed and upserted on its own, so a re-run, a
   * concurrent run or a run after a crash half-way writes the same figures (a run older than the
   * last writes a row that is still right for what it covers).
   */
  async rollup(now: Date, signal?: AbortSignal): Promise<{ days: number; filled: number; openDay?: number }> {
    const last = this.lastClosedDay(now);
    const earliest = await this.reports.earliestActivity();
    const starts = [earliest.at ? businessDate(earliest.at, this.timeZone) : null, earliest.day].filter((d): d is string => d !== null).sort();
    if (starts.length === 0) return { days: 0, filled: 0 };
    const floor = addBusinessDays(last, -(this.settings.backfillDays - 1));
    const first = starts[0] < floor ? floor : starts[0];
    let days = 0;
    let filled = 0;
    if (first <= last) {
      const have = await this.reports.rolledDayNames(first, last);
      const recomputeFrom = addBusinessDays(last, -this.settings.recomputeDays + 1);
      for (let d = first; d <= last; d = addBusinessDays(d, 1)) {
        const missing = !have.has(d);
        if (!missing && d < recomputeFrom) continue;
        signal?.throwIfAborted();
        await this.rollupDay(d, now);
        days++;
        if (missing) filled++;
      }
    }
    signal?.throwIfAborted();
    // `openDay`: 1 when the current day's first hours were rolled up (none in its first closeAfterMinutes).
    return (await this.rollupOpenDay(now)) ? { days, filled, openDay: 1 } : { days, filled };
  }
}

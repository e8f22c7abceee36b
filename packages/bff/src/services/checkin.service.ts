import { DomainError, businessDate, businessMonth, checkinOn, currentStreak, type LoyaltyConfig } from '@member/shared';
import { isDuplicateKey, type Db } from '../db/db';
import type { CheckinRow, MemberRow } from '../db/entities';
import type { EngagementRepository } from '../db/repositories/engagement.repository';
import type { ReportCounterRepository } from '../db/repositories/report-counter.repository';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import type { RateLimit } from '../lib/rate-limit';
import type { InteractionRewards } from './interaction-rewards';
import type { PointsService } from './points.service';
import type { MemberService } from './member.service';

export interface CheckinLimits {
  perMember: RateLimit;
  perAddress: RateLimit;
}

export interface CheckedIn {
  row: CheckinRow;
  capped: boolean;
}

export interface CheckinMonthView {
  month: string;
  today: string;
  days: string[];
  streak: number;
  todayChecked: boolean;
}

/**
 * Daily check-in: one per member per business day (in `businessTimeZone`, by the server's clock).
 * The database decides "once": the check-in row is inserted under `UNIQUE(member_id, day)`, so
 * concurrent requests race on that key, never on a read. The streak continues from yesterday's
 * check-in, and every `checkin.cycleDays`-th day of a streak pays `checkin.bonusPoints` on top;
 * points and growth go through `InteractionRewards`, under the interaction earning caps.
 */
/** Told of every new check-in inside its transaction (share-to-earn counts a friend's check-in). */
export type CheckinListener = (member: MemberRow, day: string) => Promise<void>;

export class CheckinService {
  private readonly checkinListeners: CheckinListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly engagement: EngagementRepository,
    private readonly points: PointsService,
    private readonly rewards: InteractionRewards,
    private readonly members: MemberService,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly limits: CheckinLimits,
    private readonly counters: ReportCounterRepository,
  ) {}

  onCheckedIn(listener: CheckinListener): void {
    this.checkinListeners.push(listener);
  }

  /** Checks the member in for today; `ALREADY_CHECKED_IN` when today's check-in exists. */
  async checkIn(memberId: string, from = 'unknown'): Promise<CheckedIn> {
    await this.limits.perMember.consume(`member:${memberId}`);
    await this.limits.perAddress.consume(`ip:${from}`);
    try {
      return await this.db.transaction(async () => {
        const locked = await this.points.lock(memberId, { withLots: false });
        activeOrThrow(locked.member.status);
        const now = this.clock.now();
        const day = businessDate(now, this.loyalty.businessTimeZone);
        // The streak continues from `checkins` itself, not the member row's copy (the card's): an
        // instance of the previous release, during a rolling deploy, inserts check-ins without it,
        // and the copy is put right by the member's next check-in here.
        const last = await this.engagement.lastCheckin(memberId);
        const earned = checkinOn(day, last, this.loyalty.checkin);
        const row: CheckinRow = { id: newId(), memberId, day, ...earned, createdAt: now };
        // The unique key (member_id, day) refuses a second check-in today, before anything is credited.
        await this.engagement.insertCheckin(row);
        const awarded = await this.rewards.award(locked, {
          kind: 'checkin',
          points: earned.points,
          growth: earned.growth,
          sourceKey: `checkin:${day}`,
        });
        if (awarded.capped) {
          await this.engagement.setCheckinReward(row.id, awarded.points, awarded.growth);
          row.points = awarded.points;
          row.growth = awarded.growth;
        }
        // The member's last check-in day moves from the one the streak was read from to today.
        if (!last || last.day < day) {
          this.counters.add([...(last ? [{ metric: 'checkin_last' as const, day: last.day, n: -1 }] : []), { metric: 'checkin_last', day, n: 1 }]);
        }
        for (const l of this.checkinListeners) await l(locked.member, day);
        return { row, capped: awarded.capped };
      });
    } catch (e) {
      if (isDuplicateKey(e)) throw new DomainError('ALREADY_CHECKED_IN', 'already checked in today');
      throw e;
    }
  }

  /** The days of a business month checked in (the current month by default), the streak and today. */
  async month(memberId: string, month?: string): Promise<CheckinMonthView> {
    await this.members.registered(memberId);
    const now = this.clock.now();
    const zone = this.loyalty.businessTimeZone;
    const today = businessDate(now, zone);
    const m = month ?? businessMonth(now, zone);
    const [rows, last] = await Promise.all([this.engagement.checkinsBetween(memberId, `${m}-01`, `${m}-31`), this.engagement.lastCheckin(memberId)]);
    return {
      month: m,
      today,
      days: rows.map((r) => r.day),
      streak: currentStreak(last, today),
      todayChecked: last?.day === today,
    };
  }
}

function activeOrThrow(status: string): void {
  if (status === 'erased') throw new DomainError('UNAUTHENTICATED', 'account no longer exists');
  if (status !== 'active') throw new DomainError('NOT_FOUND', 'not registered yet');
}

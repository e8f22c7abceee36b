import { DomainError } from '@member/shared';
import { businessDate, businessTimeOfDay, NotificationKind, type LoyaltyConfig, type Subscriptions, type TierChangeReason } from '@member/shared';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/config';
import type { Db } from '../db/db';
import type { MemberRow, OutboxRow } from '../db/entities';
import type { MemberRepository } from '../db/repositories/member.repository';
import type { ExpiringCoupon, ExpiringLot, NotificationRepository, Settlement } from '../db/repositories/notification.repository';
import type { SubscribeOutcome, WechatClient } from '../integrations/wechat';
import type { Clock } from '../lib/clock';
import type { FieldCrypto } from '../lib/crypto';
import { newId } from '../lib/ids';
import type { NotificationPayload } from './notification-fields';

/**
 * WeChat's answers that no retry can change: the member holds no subscription of the template or
 * refused it (43101), the template id is wrong (40037), the openid is not this app's (40003), the
 * page (41030) or the data (47003) do not fit the template.
 */
const PERMANENT = new Set([43101, 40037, 40003, 41030, 47003]);

/** What one sender run did. */
export interface SendReport {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  abandoned: number;
}

/**
 * Notifications through an outbox, as WeChat one-time subscribe messages.
 *
 * Queuing: each event writes its outbox row in its own transaction, under a unique dedupe key
 * that names the event, so a rolled-back event leaves no row and a replayed one queues once.
 *
 * Credits: in WeChat's one-time subscriptions every acceptance allows exactly one message of that
 * template. The mini-program reports what the member accepted; each acceptance is one credit,
 * and the sender uses one per message. No credit: the notification is skipped, never sent.
 *
 * Sending is at most once. A sender claims a row (`pending` → `sending`, a conditional update:
 * one claimant per row, whatever the number of instances) and uses a credit in one transaction,
 * then calls WeChat, then records the outcome. A row goes back to `pending` only when WeChat
 * proved it did not send (it answered with an error code, or was never reached). When the outcome
 * is unknown (no answer in time, or the sender stopped between the call and the record), the row
 * is given up rather than sent again: a member missing one reminder is better than receiving it
 * twice, and WeChat's one-time subscription would refuse the second anyway once used.
 */
export class NotificationService {
  private readonly cfg: RuntimeConfig['notifications'];

  constructor(
    private readonly db: Db,
    private readonly repo: NotificationRepository,
    private readonly members: MemberRepository,
    private readonly crypto: FieldCrypto,
    private readonly wechat: WechatClient,
    runtime: RuntimeConfig,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.cfg = runtime.notifications;
  }

  // ── Queuing (inside the event's transaction) ─────────────────────────────────────────────────

  private async enqueue<K extends NotificationKind>(memberId: string, kind: K, dedupeKey: string, payload: NotificationPayload<K>): Promise<boolean> {
    return this.repo.enqueue(this.outboxRow(memberId, kind, dedupeKey, payload));
  }

  /** Queues with the event's own writes (no answer needed, no round trip of its own). */
  private enqueueWithEvent<K extends NotificationKind>(memberId: string, kind: K, dedupeKey: string, payload: NotificationPayload<K>): Promise<void> {
    return this.repo.enqueueWithEvent(this.outboxRow(memberId, kind, dedupeKey, payload));
  }

  private outboxRow<K extends NotificationKind>(memberId: string, kind: K, dedupeKey: string, payload: NotificationPayload<K>): OutboxRow {
    const now = this.clock.now();
    return {
      id: newId(),
      memberId,
      kind,
      payload: JSON.stringify(payload),
      dedupeKey,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      claimedUntil: null,
      sentAt: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  private tierName(code: string | null): string {
    return this.loyalty.tiers.find((t) => t.code === code)?.name ?? code ?? '';
  }

  private day(instant: Date): string {
    return businessDate(instant, this.loyalty.businessTimeZone);
  }

  /**
   * Points moved by a counter order or a refund (`event` names it: `order:<id>`, `refund:<id>`),
   * on the member as posted. Call inside the event's transaction; nothing is queued for no change.
   */
  async pointsChanged(member: Pick<MemberRow, 'id' | 'pointsBalance'>, event: { source: 'order' | 'refund'; id: string; delta: number }): Promise<void> {
    if (event.delta === 0) return;
    const at = this.clock.now();
    await this.enqueueWithEvent(member.id, 'points_changed', `points_changed:${event.source}:${event.id}`, {
      delta: event.delta > 0 ? `+${event.delta}` : String(event.delta),
      balance: String(member.pointsBalance),
      reason: event.source === 'order' ? '门店消费' : '订单退款',
      changedAt: `${this.day(at)} ${businessTimeOfDay(at, this.loyalty.businessTimeZone)}`,
    });
  }

  /**
   * A tier change recorded in `tier_history` (row `tierChangeId`): call inside the transaction
   * that wrote it. The upgrade path calls it from `points.onTierUpgrade`; the tier review calls it
   * for each drop it writes. Queued once per tier change.
   */
  async tierChanged(memberId: string, tierChangeId: string, from: string | null, to: string, reason: TierChangeReason): Promise<void> {
    await this.enqueueWithEvent(memberId, 'tier_changed', `tier_changed:${tierChangeId}`, {
      from: this.tierName(from),
      to: this.tierName(to),
      reason: reason === 'upgrade' ? '消费升级' : '等级调整',
      changedOn: this.day(this.clock.now()),
    });
  }

  /** A lot about to lapse (once per lot). */
  pointsExpiring(lot: ExpiringLot): Promise<boolean> {
    return this.enqueue(lot.memberId, 'points_expiring', `points_expiring:${lot.lotId}`, {
      points: String(lot.remaining),
      expiresOn: this.day(lot.expiresAt),
      balance: String(lot.balance),
      note: '积分即将过期，请尽快使用',
    });
  }

  /** A coupon about to end (once per coupon). */
  couponExpiring(c: ExpiringCoupon): Promise<boolean> {
    return this.enqueue(c.memberId, 'coupon_expiring', `coupon_expiring:${c.couponId}`, {
      title: c.title.slice(0, 20),
      validTo: this.day(c.validTo),
      note: '优惠券即将到期，请尽快使用',
    });
  }

  // ── Subscriptions ──────────────────────────────────────────────────────────────────────────

  private async registered(memberId: string): Promise<void> {
    const m = await this.members.byId(memberId);
    if (m?.status !== 'active') throw new DomainError('NOT_FOUND', 'not registered yet');
  }

  async subscriptions(memberId: string): Promise<Subscriptions> {
    await this.registered(memberId);
    const held = new Map((await this.repo.creditsOf(memberId)).map((c) => [c.kind, c.credits]));
    return {
      kinds: NotificationKind.options.map((kind) => ({ kind, templateId: this.cfg.templates[kind].id, credits: held.get(kind) ?? 0 })),
    };
  }

  /** The member accepted these kinds in WeChat's dialog: one credit each (capped per kind). */
  async accept(memberId: string, kinds: readonly NotificationKind[]): Promise<Subscriptions> {
    // Someone signed in but not (or no longer) a member holds no subscriptions: 404, like every /me route.
    await this.registered(memberId);
    await this.db.transaction(() => this.repo.addCredits(memberId, kinds, this.cfg.maxCreditsPerKind, this.clock.now(), newId));
    return this.subscriptions(memberId);
  }

  // ── Sending ────────────────────────────────────────────────────────────────────────────────

  /**
   * Gives up claims that lapsed before `runAt` (the run's start), then sends what is due, `batch`
   * rows at a time, until nothing due is left (or `maxBatches`).
   */
  async sendDue(runAt: Date, maxBatches = 50): Promise<SendReport> {
    const report: SendReport = { sent: 0, retried: 0, failed: 0, skipped: 0, abandoned: 0 };
    report.abandoned = await this.repo.abandonLapsedClaims(runAt);
    for (let i = 0; i < maxBatches; i++) {
      const ids = await this.repo.due(this.clock.now(), this.cfg.batch);
      if (ids.length === 0) break;
      for (const id of ids) {
        const result = await this.sendOne(id);
        if (result) report[result]++;
      }
      if (ids.length < this.cfg.batch) break;
    }
    return report;
  }

  /** One attempt at one notification; null when another sender claimed it first. */
  private async sendOne(id: string): Promise<keyof Omit<SendReport, 'abandoned'> | null> {
    const claimed = await this.db.transaction(async () => {
      const now = this.clock.now();
      if (!(await this.repo.claim(id, now, new Date(now.getTime() + this.cfg.leaseSeconds * 1000)))) return null;
      const row = await this.repo.byId(id);
      if (!row) return null;
      const member = await this.members.byId(row.memberId);
      if (!member?.openidEnc || member.status !== 'active') {
        await this.repo.settle(id, { status: 'skipped', error: 'no_openid' }, now);
        return 'skipped' as const;
      }
      if (!(await this.repo.takeCredit(row.memberId, row.kind, now))) {
        await this.repo.settle(id, { status: 'skipped', error: 'no_credit' }, now);
        return 'skipped' as const;
      }
      return { row, openid: this.crypto.decrypt(member.openidEnc) };
    });
    if (claimed === null || claimed === 'skipped') return claimed;
    const { row, openid } = claimed;
    const template = this.cfg.templates[row.kind];
    const payload = JSON.parse(row.payload) as Record<string, string>;
    const outcome = await this.wechat.sendSubscribeMessage({
      openid,
      templateId: template.id,
      page: template.page,
      data: Object.fromEntries(Object.entries(template.data).map(([keyword, field]) => [keyword, payload[field] ?? ''])),
      miniprogramState: this.cfg.miniprogramState,
    });
    return this.record(row, outcome);
  }

  private async record(row: OutboxRow, outcome: SubscribeOutcome): Promise<'sent' | 'retried' | 'failed'> {
    const now = this.clock.now();
    if (outcome.outcome === 'sent') {
      await this.repo.settle(row.id, { status: 'sent', at: now }, now);
      return 'sent';
    }
    if (outcome.outcome === 'unknown') {
      // WeChat may have delivered it: at most once, so it is not tried again (and the credit stays used).
      await this.repo.settle(row.id, { status: 'failed', error: outcome.error }, now);
      this.logger.warn({ notification: row.id, kind: row.kind, error: outcome.error }, 'notification outcome unknown, not retried');
      return 'failed';
    }
    const error = outcome.outcome === 'refused' ? String(outcome.errcode) : outcome.error;
    const permanent = outcome.outcome === 'refused' && PERMANENT.has(outcome.errcode);
    // `row` was read after the claim: its attempts count this one.
    const attemptsLeft = row.attempts < this.cfg.maxAttempts;
    const settlement: Settlement =
      !permanent && attemptsLeft
        ? { status: 'pending', nextAttemptAt: new Date(now.getTime() + this.backoffMs(row.attempts)), error }
        : { status: 'failed', error };
    await this.db.transaction(async () => {
      if (!(await this.repo.settle(row.id, settlement, now))) return;
      // WeChat did not send it, so the member's acceptance is still there to use; unless WeChat
      // says the member holds none of this template (43101): then what we counted is gone.
      if (outcome.outcome === 'refused' && outcome.errcode === 43101) await this.repo.clearCredits(row.memberId, row.kind, now);
      else await this.repo.giveBackCredit(row.memberId, row.kind, this.cfg.maxCreditsPerKind, now);
    });
    if (settlement.status === 'failed') this.logger.warn({ notification: row.id, kind: row.kind, error, attempts: row.attempts }, 'notification failed');
    return settlement.status === 'failed' ? 'failed' : 'retried';
  }

  /** The wait before attempt `n + 1` after `n` attempts: base × 2^(n − 1), capped. */
  private backoffMs(attempts: number): number {
    return Math.min(this.cfg.retryBaseSeconds * 2 ** (attempts - 1), this.cfg.retryMaxSeconds) * 1000;
  }
}

import {
  addDays,
  businessDate,
  currentStreak,
  DomainError,
  codeSecretFingerprint,
  generateMemberCode,
  growthProgress,
  keepTier,
  nextReviewAt,
  tierByCode,
  upcomingExpiry,
  yearlyProjection,
  type LoyaltyConfig,
  type MemberCard,
  type PatchMeBody,
  type PointsLedgerSubject,
  type PointsLedgerType,
  type RegisterBody,
} from '@member/shared';
import { isDuplicateKey, type Db } from '../db/db';
import type {
  CheckinRow,
  GrowthLedgerRow,
  MemberCouponRow,
  MemberRow,
  OrderRow,
  OutboxRow,
  PointsLedgerRow,
  RedemptionRow,
  RefundRow,
  ReferralRow,
  ReviewRow,
  ShareRewardRow,
  ShareRow,
  ShareVisitRow,
  SubscriptionCreditRow,
  TierHistoryRow,
} from '../db/entities';
import type { Repositories } from '../db/repositories';
import { NO_DAY } from '../db/repositories/report-counter.repository';
import type { RowPage } from '../db/repositories/paging';
import type { MemberCardRow } from '../db/repositories/member.repository';
import type { RateLimit } from '../lib/rate-limit';
import type { WechatClient } from '../integrations/wechat';
import type { Clock } from '../lib/clock';
import { maskPhone, type FieldCrypto } from '../lib/crypto';
import { newCodeSecret, newId, randomDigits, randomInviteCode } from '../lib/ids';
import type { PointsService } from './points.service';
import { ledgerSource } from './ledger-events';

export interface LoginResult {
  member: MemberRow;
  codeSecret: string;
}

export interface PersonalData {
  member: MemberRow;
  phone: string | null;
  pointsLedger: PointsLedgerRow[];
  growthLedger: GrowthLedgerRow[];
  tierHistory: TierHistoryRow[];
  coupons: MemberCouponRow[];
  orders: OrderRow[];
  refunds: RefundRow[];
  redemptions: RedemptionRow[];
  checkins: CheckinRow[];
  reviews: ReviewRow[];
  shares: ShareRow[];
  shareVisits: ShareVisitRow[];
  shareRewards: ShareRewardRow[];
  referrals: ReferralRow[];
  notifications: OutboxRow[];
  subscriptions: SubscriptionCreditRow[];
  exportedAt: Date;
}

const MAX_UNIQUE_TRIES = 5;

/**
 * Called inside the registration transaction with the new member (welcome coupons hook in here).
 * `returning` is true when this person was a member before and erased their data: new-member
 * rewards are once per person, so they are not given again.
 */
export type RegistrationListener = (member: MemberRow, context: { returning: boolean }) => Promise<void>;

/**
 * Checks a registration must pass before anything is written (an invite code, a share token),
 * called with the caller's account — pending, or already a member (who may still be told why their
 * invite code does not apply). May refuse; may return work to do inside the registration
 * transaction with the new member.
 */
export type RegistrationCheck = (
  caller: MemberRow,
  body: RegisterBody,
  context: { phoneHash: string | null; from: string },
) => Promise<((member: MemberRow) => Promise<void>) | undefined>;

/** What stands between registration and binding someone else's phone number, or asking whose it is. */
export interface RegistrationGuards {
  /** WeChat phone-code exchanges per member (each one is a paid WeChat call). */
  phoneNumber: RateLimit;
  /** Registrations carrying a phone (raw or code), per member token and per client address. */
  withPhonePerMember: RateLimit;
  withPhonePerAddress: RateLimit;
  /** A typed phone number with no proof binds only where this is true (development, the H5 demo). */
  rawPhoneAllowed: boolean;
}

/**
 * One answer for "you are a member already" and "that phone number is taken": which one it was
 * tells nothing about whose number it is (the app asks GET /me to know whether it is the former).
 */
const alreadyRegistered = () => new DomainError('ALREADY_REGISTERED', 'already registered');

/**
 * Member identity and profile: WeChat login, registration with consent, the member card, the
 * dynamic code, personal-data export and erasure (PIPL).
 */
export class MemberService {
  private readonly registrationListeners: RegistrationListener[] = [];
  private readonly registrationChecks: RegistrationCheck[] = [];

  constructor(
    private readonly db: Db,
    private readonly repos: Pick<
      Repositories,
      'members' | 'points' | 'coupons' | 'orders' | 'mall' | 'engagement' | 'shareReferral' | 'notifications' | 'reportCounters'
    >,
    private readonly points: PointsService,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly crypto: FieldCrypto,
    private readonly wechat: WechatClient,
    private readonly guards: RegistrationGuards,
  ) {}

  onRegistered(listener: RegistrationListener): void {
    this.registrationListeners.push(listener);
  }

  checkRegistrations(check: RegistrationCheck): void {
    this.registrationChecks.push(check);
  }

  /**
   * Finds or creates the account behind an openid and rotates its code secret, so a new login
   * kills every code derived from the old one.
   */
  async login(openid: string, sessionKey: string | null): Promise<LoginResult> {
    const openidHash = this.crypto.lookupHash('openid', openid);
    for (let attempt = 0; attempt < MAX_UNIQUE_TRIES; attempt++) {
      const codeSecret = newCodeSecret();
      const now = this.clock.now();
      const existing = await this.repos.members.byOpenidHash(openidHash);
      if (existing) {
        const codeSecretEnc = this.crypto.encrypt(codeSecret);
        const sessionKeyEnc = sessionKey ? this.crypto.encrypt(sessionKey) : null;
        await this.repos.members.rotateSecrets(existing.id, codeSecretEnc, sessionKeyEnc, now);
        return { member: { ...existing, codeSecretEnc, sessionKeyEnc: sessionKeyEnc ?? existing.sessionKeyEnc, updatedAt: now }, codeSecret };
      }
      const row: MemberRow = {
        id: newId(),
        status: 'pending',
        openidHash,
        openidEnc: this.crypto.encrypt(openid),
        sessionKeyEnc: sessionKey ? this.crypto.encrypt(sessionKey) : null,
        codeRef: randomDigits(10),
        codeSecretEnc: this.crypto.encrypt(codeSecret),
        nickname: null,
        birthday: null,
        birthdaySetAt: null,
        phoneEnc: null,
        phoneHash: null,
        consentVersion: null,
        consentedAt: null,
        inviteCode: null,
        invitedBy: null,
        shareVisitedAt: null,
        tier: this.loyalty.tiers[0].code,
        growth: 0,
        qualifyingGrowth: 0,
        // Nothing has aged yet: every entry counts until the aging moves this forward.
        qualifyingAgedTo: new Date(0),
        qualifyingAgesAt: null,
        pointsBalance: 0,
        nextExpiryAt: null,
        registeredAt: null,
        erasedAt: null,
        lastActiveAt: null,
        lastCheckinDay: null,
        checkinStreak: 0,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.repos.members.insert(row);
        return { member: row, codeSecret };
      } catch (e) {
        // A concurrent first login of the same openid, or a code reference collision: try again.
        if (!isDuplicateKey(e)) throw e;
      }
    }
    throw new Error('could not create a member account');
  }

  /** A registered member; an erased account no longer authenticates, a pending one is not found. */
  async registered(memberId: string): Promise<MemberRow> {
    return registeredOrThrow(await this.repos.members.byId(memberId));
  }

  /**
   * Registers a signed-in WeChat user. A phone number binds only with proof: a WeChat phone code
   * (`phoneCode`), or, outside production, a typed `phone`. Every attempt carrying a phone counts
   * against `rateLimits.registrationWithPhone` per member and per client address (`from`), and a
   * taken number answers exactly like an account that is already a member: trying numbers one by
   * one to learn which are members is slow and costly.
   */
  async register(memberId: string, body: RegisterBody, from = 'unknown'): Promise<MemberRow> {
    const pending = await this.repos.members.byId(memberId);
    if (!pending || pending.status === 'erased') throw new DomainError('UNAUTHENTICATED', 'account no longer exists');
    if (pending.status !== 'pending') {
      // A member sending an invite code learns why it does not apply to them.
      for (const check of this.registrationChecks) await check(pending, body, { phoneHash: null, from });
      throw alreadyRegistered();
    }
    if (body.phone && !this.guards.rawPhoneAllowed) {
      throw new DomainError('VALIDATION_FAILED', 'a phone number must be verified by WeChat: send phoneCode, not phone', {
        issues: [{ in: 'body', path: ['phone'], message: 'not accepted in production: use phoneCode from the getPhoneNumber button' }],
      });
    }
    if (body.consentVersion !== this.loyalty.privacy.consentVersion) {
      throw new DomainError('VALIDATION_FAILED', 'consent to the current privacy notice is required', {
        issues: [{ in: 'body', path: ['consentVersion'], message: `current version is ${this.loyalty.privacy.consentVersion}` }],
      });
    }
    let phone = body.phone ?? null;
    if (body.phone || body.phoneCode) {
      await this.guards.withPhonePerMember.consume(`member:${memberId}`);
      await this.guards.withPhonePerAddress.consume(`ip:${from}`);
    }
    if (body.phoneCode) {
      await this.guards.phoneNumber.consume(`phone:${memberId}`);
      phone = await this.wechat.phoneNumber(body.phoneCode);
    }
    const phoneHash = phone ? this.crypto.lookupHash('phone', phone) : null;
    if (phoneHash && (await this.repos.members.existsWithPhoneHash(phoneHash))) throw alreadyRegistered();
    const alongside: ((member: MemberRow) => Promise<void>)[] = [];
    for (const check of this.registrationChecks) {
      const work = await check(pending, body, { phoneHash, from });
      if (work) alongside.push(work);
    }
    for (let attempt = 0; attempt < MAX_UNIQUE_TRIES; attempt++) {
      try {
        return await this.db.transaction(async () => {
          const now = this.clock.now();
          const activated = await this.repos.members.activate(
            memberId,
            {
              nickname: body.nickname,
              birthday: body.birthday ?? null,
              birthdaySetAt: body.birthday ? now : null,
              phoneEnc: phone ? this.crypto.encrypt(phone) : null,
              phoneHash,
              consentVersion: body.consentVersion,
              consentedAt: now,
              inviteCode: randomInviteCode(),
              registeredAt: now,
            },
            now,
          );
          if (!activated) throw alreadyRegistered();
          await this.repos.members.insertTierChange({
            id: newId(),
            memberId,
            fromTier: null,
            toTier: this.loyalty.tiers[0].code,
            reason: 'registration',
            createdAt: now,
          });
          const member = await this.registered(memberId);
          this.repos.reportCounters.add([
            { metric: 'registered', day: businessDate(now, this.loyalty.businessTimeZone), n: 1 },
            { metric: `tier:${member.tier}`, day: NO_DAY, n: 1 },
          ]);
          // Re-joining after erasure is allowed; collecting the new-member rewards again is not.
          const returning = await this.repos.members.hadFormerMember([
            ...(pending.openidHash ? [{ kind: 'openid' as const, hash: pending.openidHash }] : []),
            ...(phoneHash ? [{ kind: 'phone' as const, hash: phoneHash }] : []),
          ]);
          for (const l of this.registrationListeners) await l(member, { returning });
          for (const work of alongside) await work(member);
          return member;
        });
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        // The phone was taken concurrently, or the invite code collided (then a new one is drawn).
        if (phoneHash && (await this.repos.members.existsWithPhoneHash(phoneHash))) throw alreadyRegistered();
      }
    }
    throw new Error('could not register the member');
  }

  async update(memberId: string, body: PatchMeBody): Promise<MemberRow> {
    const m = await this.registered(memberId);
    const now = this.clock.now();
    const changes: Partial<Pick<MemberRow, 'nickname' | 'birthday' | 'birthdaySetAt'>> = {};
    if (body.nickname !== undefined) changes.nickname = body.nickname;
    let guard: Date | null | undefined;
    if (body.birthday !== undefined && body.birthday !== m.birthday) {
      // Birthday coupons make the birthday worth money: it may change once per `profile.birthdayChangeDays`.
      const nextChange = this.birthdayChangeableFrom(m, now);
      if (nextChange) throw new DomainError('LIMIT_REACHED', 'birthday can be changed once a year', { nextChangeAt: nextChange });
      changes.birthday = body.birthday;
      changes.birthdaySetAt = now;
      guard = m.birthdaySetAt;
    }
    if (!(await this.repos.members.updateProfile(memberId, changes, now, guard))) throw new DomainError('LIMIT_REACHED', 'birthday was changed meanwhile');
    return { ...m, ...changes, updatedAt: now };
  }

  codeSecretOf(m: MemberRow): string {
    return this.crypto.decrypt(m.codeSecretEnc);
  }

  /**
   * The current dynamic code of a registered member (the same the device derives offline), with
   * or without the points flag, and the fingerprint of the secret it was derived from: a device
   * holding another secret learns from it that a newer login has made its codes dead.
   */
  async currentCode(
    memberId: string,
    pointsAllowed: boolean,
  ): Promise<{ code: string; expiresAt: Date; periodSeconds: number; pointsAllowed: boolean; secretFingerprint: string }> {
    const m = await this.registered(memberId);
    const period = this.loyalty.dynamicCode.periodSeconds;
    const secret = this.codeSecretOf(m);
    const g = generateMemberCode(m.codeRef, secret, this.clock.now().getTime(), period, pointsAllowed);
    return { code: g.code, expiresAt: g.expiresAt, periodSeconds: period, pointsAllowed, secretFingerprint: codeSecretFingerprint(secret) };
  }

  phoneOf(m: MemberRow): string | null {
    return m.phoneEnc ? this.crypto.decrypt(m.phoneEnc) : null;
  }

  /**
   * The member card (GET /me): one statement reads the member row with its coupon count, earning
   * pace, check-in and qualifying growth, and, when `next_expiry_at` says a lot lapses within the
   * warning window, those lots, which serve both the warning and settling points that have already
   * lapsed (rare: the expiry job usually got there first).
   */
  async card(memberId: string): Promise<MemberCard> {
    const now = this.clock.now();
    const warning = this.loyalty.points.expiryWarningDays;
    const trailing = this.loyalty.tierReview.trailingDays;
    const reviewAt = nextReviewAt(now, this.loyalty.businessTimeZone);
    const horizon = addDays(now, warning);
    const m = registeredOrThrow(
      await this.repos.members.card(memberId, {
        now,
        paceSince: addDays(now, -this.loyalty.points.projectionWindowDays),
        agedBefore: addDays(now, -trailing),
        reviewAt,
        outByReview: addDays(reviewAt, -trailing),
        horizon,
      }),
    );
    let balance = m.pointsBalance;
    let lots = m.expiringLots ?? (await this.repos.points.lotsExpiringBy(memberId, horizon));
    if (lots.some((l) => l.expiresAt <= now)) {
      balance -= await this.points.expireMember(memberId);
      lots = lots.filter((l) => l.expiresAt > now);
    }
    const tier = tierByCode(this.loyalty.tiers, m.tier);
    return {
      id: m.id,
      nickname: m.nickname ?? '',
      tier: { code: tier.code, name: tier.name, discountPercent: tier.discountPercent },
      growth: this.growthView(m, reviewAt),
      points: { balance, expiring: upcomingExpiry(lots, now, warning, this.loyalty.businessTimeZone) },
      coupons: { available: m.couponsAvailable },
      checkin: checkinState(m.lastCheckin, businessDate(now, this.loyalty.businessTimeZone)),
      projection: yearlyProjection(m.earnedRecently, this.loyalty),
      today: businessDate(now, this.loyalty.businessTimeZone),
      profile: {
        birthday: m.birthday,
        phoneMasked: m.phoneEnc ? maskPhone(this.crypto.decrypt(m.phoneEnc)) : null,
        birthdayChangeableFrom: this.birthdayChangeableFrom(m, now),
      },
    };
  }

  /**
   * The card's growth: the progress bar on qualifying growth (exact even when the aging job is
   * behind: what already left the window is taken off here) and 保级, what keeps the tier at the
   * next review: the threshold less what has been earned and will still count on that day.
   */
  private growthView(m: MemberCardRow, reviewAt: Date): MemberCard['growth'] {
    const progress = growthProgress(
      this.loyalty.tiers,
      m.tier,
      { lifetime: m.growth, qualifying: m.qualifyingGrowth - m.growthAgedOut },
      this.loyalty.growth.perYuanPaid,
    );
    const keep = keepTier(this.loyalty.tiers, m.tier, m.qualifyingGrowth - m.growthOutByReview);
    return {
      ...progress,
      keep: keep && { ...keep, reviewAt: reviewAt.toISOString(), reviewOn: businessDate(reviewAt, this.loyalty.businessTimeZone) },
    };
  }

  /** When the birthday may change again, or null when it may change now (`profile.birthdayChangeDays` after the last change). */
  private birthdayChangeableFrom(m: Pick<MemberRow, 'birthdaySetAt'>, now: Date): string | null {
    const next = m.birthdaySetAt ? addDays(m.birthdaySetAt, this.loyalty.profile.birthdayChangeDays) : null;
    return next && next > now ? next.toISOString() : null;
  }

  async exportData(memberId: string): Promise<PersonalData> {
    const m = await this.registered(memberId);
    const [
      pointsLedger,
      growthLedger,
      tierHistory,
      coupons,
      orders,
      refunds,
      redemptions,
      checkins,
      reviews,
      shares,
      shareVisits,
      shareRewards,
      referrals,
      notifications,
      subscriptions,
    ] = await Promise.all([
      this.repos.points.ledgerOf(memberId),
      this.repos.members.growthLedgerOf(memberId),
      this.repos.members.tierHistoryOf(memberId, 'ASC'),
      this.repos.coupons.allOf(memberId),
      this.repos.orders.allOfMember(memberId),
      this.repos.orders.refundsOfMember(memberId),
      this.repos.mall.allOfMember(memberId),
      this.repos.engagement.checkinsOf(memberId),
      this.repos.engagement.reviewsOf(memberId),
      this.repos.shareReferral.sharesOf(memberId),
      this.repos.shareReferral.visitsBy(memberId),
      this.repos.shareReferral.shareRewardsOf(memberId),
      this.repos.shareReferral.referralsOf(memberId),
      this.repos.notifications.ofMember(memberId),
      this.repos.notifications.creditsOf(memberId),
    ]);
    const exportedAt = this.clock.now();
    return {
      member: m,
      phone: this.phoneOf(m),
      pointsLedger,
      growthLedger,
      tierHistory,
      coupons,
      orders,
      refunds,
      redemptions,
      checkins,
      reviews,
      shares,
      shareVisits,
      shareRewards,
      referrals,
      notifications,
      subscriptions,
      exportedAt,
    };
  }

  /**
   * Erases personal data: profile, phone, openid and secrets are cleared; ledgers stay, tied to
   * an anonymous row, so balances and reports remain true. Keyed hashes of the former openid and
   * phone are kept apart so the same person cannot farm new-member rewards again.
   */
  async erase(memberId: string): Promise<void> {
    await this.db.transaction(async () => {
      const m = await this.repos.members.lock(memberId);
      if (!m || m.status === 'erased') throw new DomainError('UNAUTHENTICATED', 'account no longer exists');
      const now = this.clock.now();
      const former = (
        [
          ['openid', m.openidHash],
          ['phone', m.phoneHash],
        ] as const
      ).flatMap(([kind, hash]) => (hash ? [{ id: newId(), kind, hash, memberId, createdAt: now }] : []));
      await this.repos.members.rememberFormerIdentities(former);
      await this.repos.members.erase(memberId, this.crypto.encrypt(newCodeSecret()), now);
      await this.repos.engagement.eraseReviewComments(memberId);
      if (m.status === 'active' && m.registeredAt) {
        this.repos.reportCounters.add([
          { metric: 'registered', day: businessDate(m.registeredAt, this.loyalty.businessTimeZone), n: -1 },
          { metric: `tier:${m.tier}`, day: NO_DAY, n: -1 },
        ]);
      }
    });
  }

  /**
   * A page of the points ledger, newest first (only 获得/使用/过期 entries with `type`); lapsed
   * points are settled first so the page is current. Each entry comes with what it was about: the
   * order (by its store's name) or the redeemed item, looked up among the member's own.
   */
  async pointsHistory(
    memberId: string,
    cursor: string | undefined,
    limit: number,
    type?: PointsLedgerType,
  ): Promise<RowPage<PointsLedgerRow> & { subjects: Map<string, PointsLedgerSubject> }> {
    const m = await this.registered(memberId);
    if (m.nextExpiryAt && m.nextExpiryAt <= this.clock.now()) await this.points.expireMember(memberId);
    const page = await this.repos.points.page(memberId, cursor, limit, type);
    const sources = page.rows.flatMap((e) => {
      const s = ledgerSource(e);
      return s ? [{ entryId: e.id, ...s }] : [];
    });
    const ids = (kind: string) => [...new Set(sources.filter((s) => s.kind === kind).map((s) => s.id))];
    const [orders, titles] = await Promise.all([
      this.repos.orders.ledgerSubjects(memberId, ids('order'), ids('refund')),
      this.repos.mall.titlesOf(memberId, ids('redemption')),
    ]);
    const subjects = new Map<string, PointsLedgerSubject>();
    for (const s of sources) {
      const order = s.kind === 'redemption' ? undefined : orders.get(s.id);
      const title = s.kind === 'redemption' ? titles.get(s.id) : undefined;
      if (order) subjects.set(s.entryId, { kind: 'order', id: order.orderId, title: order.storeName });
      if (title !== undefined) subjects.set(s.entryId, { kind: 'redemption', id: s.id, title });
    }
    return { ...page, subjects };
  }

  /** A page of the growth ledger, newest first. */
  async growthHistory(memberId: string, cursor: string | undefined, limit: number): Promise<RowPage<GrowthLedgerRow>> {
    await this.registered(memberId);
    return this.repos.members.growthPage(memberId, cursor, limit);
  }

  /** Tier changes, newest first. */
  async tierHistory(memberId: string): Promise<TierHistoryRow[]> {
    await this.registered(memberId);
    return this.repos.members.tierHistoryOf(memberId, 'DESC');
  }
}

/** The card's check-in line: checked in today, and the streak (0 once a day was missed). */
function checkinState(last: { day: string; streak: number } | null, today: string): { today: boolean; streak: number } {
  return { today: last?.day === today, streak: currentStreak(last, today) };
}

function registeredOrThrow<T extends Pick<MemberRow, 'status'>>(m: T | null): T {
  if (!m || m.status === 'erased') throw new DomainError('UNAUTHENTICATED', 'account no longer exists');
  if (m.status !== 'active') throw new DomainError('NOT_FOUND', 'not registered yet');
  return m;
}

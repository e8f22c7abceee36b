import {
  DomainError,
  generateMemberCode,
  growthProgress,
  tierByCode,
  upcomingExpiry,
  yearlyProjection,
  addDays,
  type LoyaltyConfig,
  type MemberCard,
  type PatchMeBody,
  type RegisterBody,
} from '@member/shared';
import { affectedRows, isDuplicateKey, type Db } from '../db/db';
import {
  FormerIdentityEntity,
  GrowthLedgerEntity,
  MemberCouponEntity,
  MemberEntity,
  OrderEntity,
  PointsLedgerEntity,
  PointsLotEntity,
  TierHistoryEntity,
  type MemberRow,
} from '../db/entities';
import type { WechatClient } from '../integrations/wechat';
import type { RateLimit } from '../http/rate-limit';
import type { Clock } from './clock';
import { FieldCrypto, newCodeSecret, newId, randomDigits, randomInviteCode } from './crypto';
import type { CouponService } from './coupon.service';
import type { PointsService } from './points.service';

export interface LoginResult {
  member: MemberRow;
  codeSecret: string;
}

const MAX_UNIQUE_TRIES = 5;

/** Called inside the registration transaction (welcome coupons hook in here). */
export type RegistrationListener = (memberId: string) => Promise<void>;

/**
 * Member identity and profile: WeChat login, registration with consent, the member card, the
 * dynamic code, personal-data export and erasure (PIPL).
 */
export class MemberService {
  private readonly registrationListeners: RegistrationListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly loyalty: LoyaltyConfig,
    private readonly clock: Clock,
    private readonly crypto: FieldCrypto,
    private readonly wechat: WechatClient,
    private readonly points: PointsService,
    private readonly coupons: CouponService,
    private readonly phoneLimit: RateLimit,
  ) {}

  onRegistered(listener: RegistrationListener): void {
    this.registrationListeners.push(listener);
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
      const existing = await this.db.manager.findOneBy(MemberEntity, { openidHash });
      if (existing) {
        await this.db.manager.update(
          MemberEntity,
          { id: existing.id },
          {
            codeSecretEnc: this.crypto.encrypt(codeSecret),
            ...(sessionKey ? { sessionKeyEnc: this.crypto.encrypt(sessionKey) } : {}),
            updatedAt: now,
          },
        );
        return { member: await this.db.manager.findOneByOrFail(MemberEntity, { id: existing.id }), codeSecret };
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
        tier: this.loyalty.tiers[0].code,
        growth: 0,
        pointsBalance: 0,
        registeredAt: null,
        erasedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.db.manager.insert(MemberEntity, row);
        return { member: row, codeSecret };
      } catch (e) {
        // A concurrent first login of the same openid, or a code reference collision: try again.
        if (!isDuplicateKey(e)) throw e;
      }
    }
    throw new Error('could not create a member account');
  }

  /** A member by token subject; erased accounts no longer authenticate. */
  async byId(memberId: string): Promise<MemberRow> {
    const m = await this.db.manager.findOneBy(MemberEntity, { id: memberId });
    if (!m || m.status === 'erased') throw new DomainError('UNAUTHENTICATED', 'account no longer exists');
    return m;
  }

  async registered(memberId: string): Promise<MemberRow> {
    const m = await this.byId(memberId);
    if (m.status !== 'active') throw new DomainError('NOT_FOUND', 'not registered yet');
    return m;
  }

  async register(memberId: string, body: RegisterBody): Promise<MemberRow> {
    const pending = await this.byId(memberId);
    if (pending.status !== 'pending') throw new DomainError('ALREADY_REGISTERED', 'already a member');
    if (body.consentVersion !== this.loyalty.privacy.consentVersion) {
      throw new DomainError('VALIDATION_FAILED', 'consent to the current privacy notice is required', {
        issues: [{ in: 'body', path: ['consentVersion'], message: `current version is ${this.loyalty.privacy.consentVersion}` }],
      });
    }
    let phone = body.phone ?? null;
    if (body.phoneCode) {
      await this.phoneLimit.consume(`phone:${memberId}`);
      phone = await this.wechat.phoneNumber(body.phoneCode);
    }
    const phoneHash = phone ? this.crypto.lookupHash('phone', phone) : null;
    if (phoneHash && (await this.db.manager.findOneBy(MemberEntity, { phoneHash }))) {
      throw new DomainError('ALREADY_REGISTERED', 'this phone number belongs to another member');
    }
    for (let attempt = 0; attempt < MAX_UNIQUE_TRIES; attempt++) {
      try {
        return await this.db.transaction(async (em) => {
          const now = this.clock.now();
          const changed = affectedRows(
            await em
              .createQueryBuilder()
              .update(MemberEntity)
              .set({
                status: 'active',
                nickname: body.nickname,
                birthday: body.birthday ?? null,
                birthdaySetAt: body.birthday ? now : null,
                phoneEnc: phone ? this.crypto.encrypt(phone) : null,
                phoneHash,
                consentVersion: body.consentVersion,
                consentedAt: now,
                inviteCode: randomInviteCode(),
                registeredAt: now,
                updatedAt: now,
              })
              .where('id = :id AND status = :pending', { id: memberId, pending: 'pending' })
              .execute(),
          );
          if (changed !== 1) throw new DomainError('ALREADY_REGISTERED', 'already a member');
          await em.insert(TierHistoryEntity, {
            id: newId(),
            memberId,
            fromTier: null,
            toTier: this.loyalty.tiers[0].code,
            reason: 'registration',
            createdAt: now,
          });
          for (const l of this.registrationListeners) await l(memberId);
          return em.findOneByOrFail(MemberEntity, { id: memberId });
        });
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        // The phone was taken concurrently, or the invite code collided (then a new one is drawn).
        if (phoneHash && (await this.db.manager.findOneBy(MemberEntity, { phoneHash }))) {
          throw new DomainError('ALREADY_REGISTERED', 'this phone number belongs to another member');
        }
      }
    }
    throw new Error('could not register the member');
  }

  async update(memberId: string, body: PatchMeBody): Promise<MemberRow> {
    const m = await this.registered(memberId);
    const now = this.clock.now();
    const changes: Partial<MemberRow> = { updatedAt: now };
    if (body.nickname !== undefined) changes.nickname = body.nickname;
    if (body.birthday !== undefined && body.birthday !== m.birthday) {
      // Birthday coupons make the birthday worth money: it may change once per `profile.birthdayChangeDays`.
      const nextChange = m.birthdaySetAt ? addDays(m.birthdaySetAt, this.loyalty.profile.birthdayChangeDays) : null;
      if (nextChange && nextChange > now) {
        throw new DomainError('LIMIT_REACHED', 'birthday can be changed once a year', {
          nextChangeAt: nextChange.toISOString(),
        });
      }
      changes.birthday = body.birthday;
      changes.birthdaySetAt = now;
    }
    const qb = this.db.manager.createQueryBuilder().update(MemberEntity).set(changes).where('id = :id', { id: memberId });
    if (changes.birthdaySetAt) qb.andWhere(m.birthdaySetAt ? 'birthday_set_at = :prev' : 'birthday_set_at IS NULL', { prev: m.birthdaySetAt });
    if (affectedRows(await qb.execute()) !== 1) throw new DomainError('LIMIT_REACHED', 'birthday was changed meanwhile');
    return this.registered(memberId);
  }

  codeSecretOf(m: MemberRow): string {
    return this.crypto.decrypt(m.codeSecretEnc);
  }

  currentCode(m: MemberRow): { code: string; expiresAt: Date; periodSeconds: number } {
    const period = this.loyalty.dynamicCode.periodSeconds;
    const g = generateMemberCode(m.codeRef, this.codeSecretOf(m), this.clock.now().getTime(), period);
    return { code: g.code, expiresAt: g.expiresAt, periodSeconds: period };
  }

  phoneOf(m: MemberRow): string | null {
    return m.phoneEnc ? this.crypto.decrypt(m.phoneEnc) : null;
  }

  /** The member card (GET /me): tier, growth progress, points with the next expiry, projection. */
  async card(memberId: string): Promise<MemberCard> {
    const now = this.clock.now();
    // Expiry is settled on read too, so the card never shows points that have already lapsed.
    await this.points.expireMember(memberId, now);
    const m = await this.registered(memberId);
    const tier = tierByCode(this.loyalty.tiers, m.tier);
    // Independent reads: on MySQL they run side by side on pooled connections.
    const [lots, earned, availableCoupons] = await Promise.all([
      this.db.manager
        .createQueryBuilder(PointsLotEntity, 'l')
        .where('l.memberId = :memberId AND l.remaining > 0 AND l.expiresAt > :now AND l.expiresAt <= :horizon', {
          memberId,
          now,
          horizon: addDays(now, this.loyalty.points.expiryWarningDays),
        })
        .getMany(),
      this.points.earnedSince(memberId, addDays(now, -this.loyalty.points.projectionWindowDays)),
      this.coupons.countAvailable(memberId),
    ]);
    return {
      id: m.id,
      nickname: m.nickname ?? '',
      tier: { code: tier.code, name: tier.name, discountPercent: tier.discountPercent },
      growth: growthProgress(this.loyalty.tiers, m.tier, m.growth, this.loyalty.growth.perYuanPaid),
      points: {
        balance: m.pointsBalance,
        expiring: upcomingExpiry(lots, now, this.loyalty.points.expiryWarningDays, this.loyalty.businessTimeZone),
      },
      coupons: { available: availableCoupons },
      // Check-in arrives with its own issue; until then this is a true zero.
      checkin: { today: false, streak: 0 },
      projection: yearlyProjection(earned, this.loyalty),
    };
  }

  async exportData(memberId: string) {
    const m = await this.registered(memberId);
    const [pointsLedger, growthLedger, tierHistory, coupons, orders] = await Promise.all([
      this.db.manager.find(PointsLedgerEntity, { where: { memberId }, order: { id: 'ASC' } }),
      this.db.manager.find(GrowthLedgerEntity, { where: { memberId }, order: { id: 'ASC' } }),
      this.db.manager.find(TierHistoryEntity, { where: { memberId }, order: { id: 'ASC' } }),
      this.db.manager.find(MemberCouponEntity, { where: { memberId }, order: { id: 'ASC' } }),
      this.db.manager.find(OrderEntity, { where: { memberId }, order: { id: 'ASC' } }),
    ]);
    return { member: m, phone: this.phoneOf(m), pointsLedger, growthLedger, tierHistory, coupons, orders, exportedAt: this.clock.now() };
  }

  /**
   * Erases personal data: profile, phone, openid and secrets are cleared; ledgers stay, tied to
   * an anonymous row, so balances and reports remain true. Keyed hashes of the former openid and
   * phone are kept apart so the same person cannot farm new-member rewards again.
   */
  async erase(memberId: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const m = await this.byId(memberId);
      const now = this.clock.now();
      for (const [kind, hash] of [['openid', m.openidHash], ['phone', m.phoneHash]] as const) {
        if (hash) await em.insert(FormerIdentityEntity, { id: newId(), kind, hash, memberId, createdAt: now });
      }
      await em.update(
        MemberEntity,
        { id: memberId },
        {
          status: 'erased',
          openidHash: null,
          openidEnc: null,
          sessionKeyEnc: null,
          codeSecretEnc: this.crypto.encrypt(newCodeSecret()),
          nickname: null,
          birthday: null,
          birthdaySetAt: null,
          phoneEnc: null,
          phoneHash: null,
          inviteCode: null,
          erasedAt: now,
          updatedAt: now,
        },
      );
    });
  }
}

import {
  Coupon,
  CouponsQuery,
  MemberOrder,
  AuthDevBody,
  AuthResponse,
  AuthWechatBody,
  DomainError,
  GrowthLedgerEntry,
  Member,
  MemberCard,
  MemberCodeResponse,
  PageQuery,
  pageOf,
  PatchMeBody,
  PersonalDataExport,
  PointsLedgerEntry,
  RegisterBody,
  TierHistoryEntry,
  type AuthResponse as AuthResponseT,
} from '@member/shared';
import { z } from 'zod';
import { GrowthLedgerEntity, PointsLedgerEntity, StoreEntity, TierHistoryEntity, type MemberRow } from '../db/entities';
import { route, type AnyRoute, type Caller } from '../http/route';
import type { Services } from '../services';
import { pageById } from './pagination';
import { presentCoupon, presentGrowthEntry, presentMember, presentOrder, presentPointsEntry, presentTierChange } from './presenters';

const tag = 'member';

export function memberRoutes(s: Services): AnyRoute[] {
  const me = (caller: Caller | null) => caller!.sub;
  const authLimit = (ctx: { ip: string }) => [s.limits.auth, `auth:${ctx.ip}`] as const;

  const loginResponse = (member: MemberRow, codeSecret: string): AuthResponseT => {
    const { token, expiresAt } = s.tokens.issue(member.id, 'member', s.runtime.auth.memberTokenTtlSeconds);
    const active = member.status === 'active';
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      registered: active,
      member: active ? presentMember(member, s.loyalty, s.members.phoneOf(member)) : null,
      codeSecret,
      codeRef: member.codeRef,
      codePeriodSeconds: s.loyalty.dynamicCode.periodSeconds,
    };
  };

  return [
    route({
      method: 'post',
      path: '/api/v1/auth/wechat',
      tag,
      summary: 'Exchange a wx.login code for a member token (code2Session)',
      auth: 'public',
      body: AuthWechatBody,
      response: AuthResponse,
      rateLimit: (ctx) => [...authLimit(ctx)],
      errors: ['UNAUTHENTICATED', 'RATE_LIMITED', 'WECHAT_UNAVAILABLE'],
      handler: async ({ body }) => {
        const session = await s.wechat.code2Session(body.code);
        const { member, codeSecret } = await s.members.login(session.openid, session.sessionKey);
        return loginResponse(member, codeSecret);
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/auth/dev',
      tag,
      summary: 'Development login by openid (disabled in production)',
      auth: 'public',
      body: AuthDevBody,
      response: AuthResponse,
      rateLimit: (ctx) => [...authLimit(ctx)],
      errors: ['NOT_FOUND', 'RATE_LIMITED'],
      handler: async ({ body }) => {
        if (!s.devLogin) throw new DomainError('NOT_FOUND', 'no such route');
        const { member, codeSecret } = await s.members.login(body.openid, null);
        return loginResponse(member, codeSecret);
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/members',
      tag,
      summary: 'Register (after consenting to the privacy notice)',
      auth: 'member',
      body: RegisterBody,
      response: Member,
      status: 201,
      errors: ['ALREADY_REGISTERED', 'RATE_LIMITED', 'WECHAT_UNAVAILABLE'],
      handler: async ({ body, caller }) => {
        const m = await s.members.register(me(caller), body);
        return presentMember(m, s.loyalty, s.members.phoneOf(m));
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/me',
      tag,
      summary: 'The member card',
      auth: 'member',
      response: MemberCard,
      errors: ['NOT_FOUND'],
      handler: ({ caller }) => s.members.card(me(caller)),
    }),
    route({
      method: 'patch',
      path: '/api/v1/me',
      tag,
      summary: 'Change nickname or birthday (the birthday at most once per profile.birthdayChangeDays)',
      auth: 'member',
      body: PatchMeBody,
      response: Member,
      errors: ['NOT_FOUND', 'LIMIT_REACHED'],
      handler: async ({ body, caller }) => {
        const m = await s.members.update(me(caller), body);
        return presentMember(m, s.loyalty, s.members.phoneOf(m));
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/me/code',
      tag,
      summary: 'The current dynamic member code (the same the device derives offline)',
      auth: 'member',
      response: MemberCodeResponse,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, ctx }) => {
        ctx.set('Cache-Control', 'no-store');
        const c = s.members.currentCode(await s.members.registered(me(caller)));
        return { code: c.code, expiresAt: c.expiresAt.toISOString(), periodSeconds: c.periodSeconds };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/me/points/ledger',
      tag,
      summary: 'Points history, newest first',
      auth: 'member',
      query: PageQuery,
      response: pageOf(PointsLedgerEntry),
      paged: true,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, query }) => {
        const memberId = (await s.members.registered(me(caller))).id;
        await s.points.expireMember(memberId);
        const qb = s.db.manager.createQueryBuilder(PointsLedgerEntity, 'e').where('e.memberId = :memberId', { memberId });
        const { rows, nextCursor } = await pageById(qb, 'e', query.cursor, query.limit);
        return { data: rows.map(presentPointsEntry), nextCursor };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/me/growth/ledger',
      tag,
      summary: 'Growth history, newest first',
      auth: 'member',
      query: PageQuery,
      response: pageOf(GrowthLedgerEntry),
      paged: true,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, query }) => {
        const memberId = (await s.members.registered(me(caller))).id;
        const qb = s.db.manager.createQueryBuilder(GrowthLedgerEntity, 'e').where('e.memberId = :memberId', { memberId });
        const { rows, nextCursor } = await pageById(qb, 'e', query.cursor, query.limit);
        return { data: rows.map(presentGrowthEntry), nextCursor };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/me/tier-history',
      tag,
      summary: 'Tier changes, newest first',
      auth: 'member',
      response: z.array(TierHistoryEntry),
      errors: ['NOT_FOUND'],
      handler: async ({ caller }) => {
        const memberId = (await s.members.registered(me(caller))).id;
        const rows = await s.db.manager.find(TierHistoryEntity, { where: { memberId }, order: { id: 'DESC' } });
        return rows.map(presentTierChange);
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/me/coupons',
      tag,
      summary: 'The coupon wallet: available, used or expired coupons',
      auth: 'member',
      query: CouponsQuery,
      response: z.array(Coupon),
      errors: ['NOT_FOUND'],
      handler: async ({ caller, query }) => {
        const memberId = (await s.members.registered(me(caller))).id;
        const now = s.clock.now();
        return (await s.coupons.list(memberId, query.status)).map((c) => presentCoupon(c, now));
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/me/orders',
      tag,
      summary: 'The member’s counter orders, newest first',
      auth: 'member',
      response: z.array(MemberOrder),
      errors: ['NOT_FOUND'],
      handler: async ({ caller }) => {
        const memberId = (await s.members.registered(me(caller))).id;
        const orders = await s.counter.ordersOfMember(memberId);
        const stores = new Map((await s.db.manager.find(StoreEntity)).map((st) => [st.id, st.name]));
        return orders.map((o) => {
          const { storeId, ...rest } = presentOrder(o);
          return { ...rest, storeName: stores.get(storeId) ?? '' };
        });
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/me/export',
      tag,
      summary: 'Export all personal data (PIPL)',
      auth: 'member',
      response: PersonalDataExport,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, ctx }) => {
        ctx.set('Cache-Control', 'no-store');
        const x = await s.members.exportData(me(caller));
        return {
          exportedAt: x.exportedAt.toISOString(),
          member: { ...presentMember(x.member, s.loyalty, x.phone), phone: x.phone },
          pointsLedger: x.pointsLedger.map(presentPointsEntry),
          growthLedger: x.growthLedger.map(presentGrowthEntry),
          tierHistory: x.tierHistory.map(presentTierChange),
          coupons: x.coupons.map((c) => presentCoupon(c, x.exportedAt)),
          orders: x.orders.map((o) => presentOrder(o)),
        };
      },
    }),
    route({
      method: 'delete',
      path: '/api/v1/me',
      tag,
      summary: 'Erase personal data (ledgers stay, anonymised)',
      auth: 'member',
      response: z.object({ erased: z.literal(true) }),
      handler: async ({ caller }) => {
        await s.members.erase(me(caller));
        return { erased: true as const };
      },
    }),
  ];
}

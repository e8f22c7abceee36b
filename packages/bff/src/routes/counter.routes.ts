import {
  CounterLookup,
  CounterLookupBody,
  CounterOrder,
  CounterOrderBody,
  CounterQuote,
  CounterQuoteBody,
  OrderIdParams,
  Pickup,
  PickupParams,
  Order,
  OrdersQuery,
  Refund,
  RefundBody,
  StaffSession,
  StaffSessionBody,
} from '@member/shared';
import { StoreEntity } from '../db/entities';
import { route, type AnyRoute, type Caller } from '../http/route';
import type { Services } from '../services';
import type { OrderResult } from '../services/counter.service';
import type { RedemptionRow } from '../db/entities';
import { presentCoupon, presentOrder, presentTier } from './presenters';

const tag = 'counter';

export function counterRoutes(s: Services): AnyRoute[] {
  const staffOf = (caller: Caller | null) => s.staff.active(caller!.sub);
  const presentResult = (r: OrderResult) => ({
    ...presentOrder(r.order),
    member: {
      id: r.member.id,
      nickname: r.member.nickname ?? '',
      pointsBalance: r.member.pointsBalance,
      growth: r.member.growth,
      tier: presentTier(s.loyalty, r.member.tier),
    },
    upgradedTo: r.upgradedTo ? presentTier(s.loyalty, r.upgradedTo) : null,
  });

  const presentPickup = async (r: RedemptionRow) => ({
    redemptionId: r.id,
    title: r.title,
    quantity: r.quantity,
    status: r.status,
    memberNickname: await s.mall.memberNickname(r.memberId),
    fulfilledAt: r.fulfilledAt?.toISOString() ?? null,
  });
  const manager = async (caller: Caller | null) => {
    const staff = await staffOf(caller);
    s.staff.requireRole(staff, ['manager']);
    return staff;
  };

  return [
    route({
      method: 'post',
      path: '/api/v1/staff/sessions',
      tag: 'staff',
      summary: 'Staff sign-in (locks after repeated failures); admins get an admin token',
      auth: 'public',
      body: StaffSessionBody,
      response: StaffSession,
      rateLimit: (ctx) => [s.limits.auth, `auth:${ctx.ip}`],
      errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
      handler: async ({ body }) => {
        const staff = await s.staff.signIn(body.username, body.password);
        const store = await s.db.manager.findOneByOrFail(StoreEntity, { id: staff.storeId });
        const aud = staff.role === 'admin' ? 'admin' : 'staff';
        const { token, expiresAt } = s.tokens.issue(staff.id, aud, s.runtime.auth.staffTokenTtlSeconds);
        return {
          token,
          expiresAt: expiresAt.toISOString(),
          staff: { id: staff.id, storeId: staff.storeId, storeName: store.name, username: staff.username, role: staff.role },
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/counter/lookup',
      tag,
      summary: 'Identify a member by their dynamic code: summary and coupons usable now',
      auth: 'staff',
      body: CounterLookupBody,
      response: CounterLookup,
      errors: ['CODE_INVALID', 'CODE_EXPIRED'],
      handler: async ({ body, caller }) => {
        const staff = await staffOf(caller);
        const { member, coupons } = await s.counter.lookup(staff, body.code);
        const tier = presentTier(s.loyalty, member.tier);
        const now = s.clock.now();
        return {
          member: { id: member.id, nickname: member.nickname ?? '', tier: tier.code, tierName: tier.name, discountPercent: tier.discountPercent, pointsBalance: member.pointsBalance, growth: member.growth },
          coupons: coupons.map((c) => presentCoupon(c, now)),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/counter/quote',
      tag,
      summary: 'Price a purchase: tier discount, coupon, points, amount due, points to earn',
      auth: 'staff',
      body: CounterQuoteBody,
      response: CounterQuote,
      errors: ['CODE_INVALID', 'CODE_EXPIRED', 'NOT_FOUND', 'COUPON_NOT_APPLICABLE', 'POINTS_INSUFFICIENT', 'POINTS_CAP_EXCEEDED'],
      handler: async ({ body, caller }) => s.counter.quote(await staffOf(caller), body),
    }),
    route({
      method: 'post',
      path: '/api/v1/counter/orders',
      tag,
      summary: 'Record a counter order (idempotent per store + receiptNo)',
      auth: 'staff',
      body: CounterOrderBody,
      response: CounterOrder,
      status: 201,
      errors: ['CODE_INVALID', 'CODE_EXPIRED', 'CODE_ALREADY_USED', 'IDEMPOTENCY_MISMATCH', 'NOT_FOUND', 'COUPON_NOT_APPLICABLE', 'POINTS_INSUFFICIENT', 'POINTS_CAP_EXCEEDED'],
      handler: async ({ body, caller, ctx }) => {
        const r = await s.counter.order(await staffOf(caller), body);
        if (r.replayed) ctx.set('Idempotent-Replayed', 'true');
        return presentResult(r);
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/counter/orders',
      tag,
      summary: 'Find an order of this store by receipt number',
      auth: 'staff',
      query: OrdersQuery,
      response: Order,
      errors: ['NOT_FOUND'],
      handler: async ({ query, caller }) => presentOrder(await s.counter.orderByReceipt(await staffOf(caller), query.receiptNo)),
    }),
    route({
      method: 'get',
      path: '/api/v1/counter/orders/:id',
      tag,
      summary: 'An order of this store',
      auth: 'staff',
      params: OrderIdParams,
      response: Order,
      errors: ['NOT_FOUND'],
      handler: async ({ params, caller }) => presentOrder(await s.counter.orderOfStore(await staffOf(caller), params.id)),
    }),
    route({
      method: 'post',
      path: '/api/v1/counter/orders/:id/refunds',
      tag,
      summary: 'Refund all or part of an order (idempotent per store + refundNo)',
      auth: 'staff',
      params: OrderIdParams,
      body: RefundBody,
      response: Refund,
      status: 201,
      errors: ['NOT_FOUND', 'REFUND_EXCEEDS_ORDER', 'IDEMPOTENCY_MISMATCH'],
      handler: async ({ params, body, caller, ctx }) => {
        const r = await s.counter.refund(await staffOf(caller), params.id, body);
        if (r.replayed) ctx.set('Idempotent-Replayed', 'true');
        return {
          id: r.refund.id,
          orderId: r.refund.orderId,
          refundNo: r.refund.refundNo,
          amountCents: r.refund.amountCents,
          pointsReversed: r.refund.pointsReversed,
          growthReversed: r.refund.growthReversed,
          pointsReturned: r.refund.pointsReturned,
          couponRestored: r.refund.couponRestored === 1,
          order: presentOrder(r.order),
          member: { pointsBalance: r.member.pointsBalance, growth: r.member.growth },
          createdAt: r.refund.createdAt.toISOString(),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/counter/pickups/:pickupCode',
      tag,
      summary: 'A points-mall pickup by its code (managers)',
      auth: 'staff',
      params: PickupParams,
      response: Pickup,
      errors: ['NOT_FOUND'],
      handler: async ({ params, caller }) => {
        await manager(caller);
        return presentPickup(await s.mall.byPickupCode(params.pickupCode));
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/counter/pickups/:pickupCode/fulfil',
      tag,
      summary: 'Hand over a points-mall pickup (managers; repeating it changes nothing)',
      auth: 'staff',
      params: PickupParams,
      response: Pickup,
      errors: ['NOT_FOUND', 'NOT_ELIGIBLE'],
      handler: async ({ params, caller }) => presentPickup(await s.mall.fulfil(await manager(caller), params.pickupCode)),
    }),
    route({
      method: 'post',
      path: '/api/v1/counter/pickups/:pickupCode/cancel',
      tag,
      summary: 'Cancel an unfulfilled pickup (managers): points and stock go back',
      auth: 'staff',
      params: PickupParams,
      response: Pickup,
      errors: ['NOT_FOUND', 'NOT_ELIGIBLE'],
      handler: async ({ params, caller }) => {
        await manager(caller);
        return presentPickup(await s.mall.cancel(await s.mall.byPickupCode(params.pickupCode)));
      },
    }),
  ];
}

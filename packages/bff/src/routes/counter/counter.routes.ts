import {
  CounterLookup,
  CounterLookupBody,
  CounterOrder,
  CounterOrderBody,
  CounterOrderDetail,
  CounterQuote,
  CounterQuoteBody,
  OrderIdParams,
  OrdersQuery,
  Paths,
  Pickup,
  PickupParams,
  Refund,
  RefundBody,
  type LoyaltyConfig,
} from '@member/shared';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { Clock } from '../../lib/clock';
import { presentCounterOrder, presentLookup, presentOrderResult, presentPickup, presentRefund } from '../../presenters';
import type { CounterService } from '../../services/counter.service';
import type { MallService } from '../../services/mall.service';
import type { ManagerApproval } from '../../services/refund-approval';

const tag = 'counter';
const staff = { audience: 'staff' } as const;
const manager = { audience: 'staff', roles: ['manager'] } as const;

/** The till: identify by code, quote, record orders and refunds, and hand over mall pickups (managers). */
export function counterRoutes(d: { counter: CounterService; mall: MallService; loyalty: LoyaltyConfig; clock: Clock; approvals: ManagerApproval }): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: Paths.counterLookup,
      tag,
      summary: 'Identify a member by their dynamic code: summary and coupons usable now',
      auth: staff,
      body: CounterLookupBody,
      response: CounterLookup,
      errors: ['CODE_INVALID', 'CODE_EXPIRED'],
      handler: async ({ caller, body }) => {
        const { member, coupons, pointsAllowed, codeUsed } = await d.counter.lookup(caller, body.code);
        return presentLookup(member, coupons, pointsAllowed, codeUsed, d.loyalty, d.clock.now());
      },
    }),
    defineRoute({
      method: 'post',
      path: Paths.counterQuote,
      tag,
      summary: 'Price a purchase: tier discount, coupon, points (only with the points flag in the code), amount due, points to earn',
      auth: staff,
      body: CounterQuoteBody,
      response: CounterQuote,
      errors: ['CODE_INVALID', 'CODE_EXPIRED', 'NOT_FOUND', 'COUPON_NOT_APPLICABLE', 'NOT_ELIGIBLE', 'POINTS_INSUFFICIENT', 'POINTS_CAP_EXCEEDED'],
      handler: ({ caller, body }) => d.counter.quote(caller, body),
    }),
    defineRoute({
      method: 'post',
      path: Paths.counterOrders,
      tag,
      summary: 'Record a counter order (idempotent per store + receiptNo)',
      auth: staff,
      body: CounterOrderBody,
      response: CounterOrder,
      status: 201,
      errors: [
        'CODE_INVALID',
        'CODE_EXPIRED',
        'CODE_ALREADY_USED',
        'IDEMPOTENCY_MISMATCH',
        'NOT_FOUND',
        'COUPON_NOT_APPLICABLE',
        'NOT_ELIGIBLE',
        'POINTS_INSUFFICIENT',
        'POINTS_CAP_EXCEEDED',
      ],
      handler: async ({ caller, body, replayed }) => {
        const r = await d.counter.order(caller, body);
        if (r.replayed) replayed();
        return presentOrderResult(r, d.loyalty);
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.counterOrders,
      tag,
      summary: 'Find an order of this store by receipt number',
      auth: staff,
      query: OrdersQuery,
      response: CounterOrderDetail,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, query }) => presentCounterOrder(await d.counter.orderDetail(caller, { receiptNo: query.receiptNo })),
    }),
    defineRoute({
      method: 'get',
      path: Paths.counterOrder,
      tag,
      summary: 'An order of this store',
      auth: staff,
      params: OrderIdParams,
      response: CounterOrderDetail,
      errors: ['NOT_FOUND'],
      handler: async ({ caller, params }) => presentCounterOrder(await d.counter.orderDetail(caller, { id: params.id })),
    }),
    defineRoute({
      method: 'post',
      path: Paths.counterRefunds,
      tag,
      summary:
        'Refund all or part of an order (idempotent per store + refundNo); above the configured amount and for a full refund a manager approves (403 details.needs "manager")',
      auth: staff,
      params: OrderIdParams,
      body: RefundBody,
      response: Refund,
      status: 201,
      errors: ['NOT_FOUND', 'REFUND_EXCEEDS_ORDER', 'IDEMPOTENCY_MISMATCH', 'FORBIDDEN', 'RATE_LIMITED'],
      handler: async ({ caller, params, body, replayed, clientAddress }) => {
        const r = await d.counter.refund(caller, params.id, body, d.approvals.at(clientAddress));
        if (r.replayed) replayed();
        return presentRefund(r);
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.counterPickup,
      tag,
      summary: 'A points-mall pickup by its code (managers)',
      auth: manager,
      params: PickupParams,
      response: Pickup,
      errors: ['NOT_FOUND'],
      handler: async ({ params }) => presentPickup(await d.mall.pickup(params.pickupCode)),
    }),
    defineRoute({
      method: 'post',
      path: Paths.counterPickupFulfil,
      tag,
      summary: 'Hand over a points-mall pickup (managers; repeating it changes nothing)',
      auth: manager,
      params: PickupParams,
      response: Pickup,
      errors: ['NOT_FOUND', 'NOT_ELIGIBLE'],
      handler: async ({ caller, params }) => presentPickup(await d.mall.fulfil(caller, params.pickupCode)),
    }),
    defineRoute({
      method: 'post',
      path: Paths.counterPickupCancel,
      tag,
      summary: 'Cancel an unfulfilled pickup (managers): points and stock go back',
      auth: manager,
      params: PickupParams,
      response: Pickup,
      errors: ['NOT_FOUND', 'NOT_ELIGIBLE'],
      handler: async ({ params }) => presentPickup(await d.mall.cancelPickup(params.pickupCode)),
    }),
  ];
}

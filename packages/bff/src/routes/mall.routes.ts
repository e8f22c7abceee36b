import { DomainError, MallItem, MallItemParams, Redemption, RedemptionBody, RedemptionParams, RedemptionResult } from '@member/shared';
import { z } from 'zod';
import { MemberEntity } from '../db/entities';
import { route, type AnyRoute, type Caller } from '../http/route';
import type { Services } from '../services';
import { presentMallItem, presentRedemption } from './presenters';

const tag = 'mall';

export function mallRoutes(s: Services): AnyRoute[] {
  const member = async (caller: Caller | null) => (await s.members.registered(caller!.sub)).id;
  return [
    route({
      method: 'get',
      path: '/api/v1/mall/items',
      tag,
      summary: 'Points-mall items on sale',
      auth: 'public',
      response: z.array(MallItem),
      handler: async () => {
        const { items, templates } = await s.mall.listItems();
        return items.map((i) => presentMallItem(i, templates.get(i.couponTemplateCode ?? '') ?? null));
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/mall/items/:id',
      tag,
      summary: 'One points-mall item',
      auth: 'public',
      params: MallItemParams,
      response: MallItem,
      errors: ['NOT_FOUND'],
      handler: async ({ params }) => {
        const { item, template } = await s.mall.item(params.id);
        return presentMallItem(item, template);
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/mall/redemptions',
      tag,
      summary: 'Redeem points for an item (Idempotency-Key required)',
      auth: 'member',
      body: RedemptionBody,
      response: RedemptionResult,
      status: 201,
      idempotent: 'required',
      errors: ['NOT_FOUND', 'POINTS_INSUFFICIENT', 'OUT_OF_STOCK', 'LIMIT_REACHED', 'TIER_REQUIRED', 'NOT_ELIGIBLE', 'IDEMPOTENCY_MISMATCH'],
      handler: async ({ caller, body }) => {
        const memberId = await member(caller);
        const { redemption, coupons } = await s.mall.redeem(memberId, body.itemId, body.quantity);
        const balance = (await s.db.manager.findOneByOrFail(MemberEntity, { id: memberId })).pointsBalance;
        return { ...presentRedemption(redemption, coupons, s.clock.now()), pointsBalance: balance };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/me/redemptions',
      tag,
      summary: 'My redemptions, newest first',
      auth: 'member',
      response: z.array(Redemption),
      errors: ['NOT_FOUND'],
      handler: async ({ caller }) => {
        const now = s.clock.now();
        return (await s.mall.ofMember(await member(caller))).map((v) => presentRedemption(v.redemption, v.coupons, now));
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/me/redemptions/:id/cancel',
      tag,
      summary: 'Cancel an unfulfilled pickup: points and stock come back',
      auth: 'member',
      params: RedemptionParams,
      response: Redemption,
      errors: ['NOT_FOUND', 'NOT_ELIGIBLE'],
      handler: async ({ caller, params }) => {
        const mine = await s.mall.mine(await member(caller), params.id);
        if (mine.kind === 'coupon') throw new DomainError('NOT_ELIGIBLE', 'coupon redemptions cannot be cancelled');
        const cancelled = await s.mall.cancel(mine);
        return presentRedemption(cancelled, [], s.clock.now());
      },
    }),
  ];
}

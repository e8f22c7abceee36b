import { MallItem, MallItemParams, Paths, RedemptionBody, RedemptionResult } from '@member/shared';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { Clock } from '../../lib/clock';
import { presentMallItem, presentRedemptionResult } from '../../presenters';
import type { MallService } from '../../services/mall.service';

const tag = 'mall';

/** The points mall: the catalogue (public) and redeeming points for an item. */
export function mallRoutes(d: { mall: MallService; clock: Clock }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: Paths.mallItems,
      tag,
      summary: 'Points-mall items on sale',
      auth: 'public',
      response: z.array(MallItem),
      handler: async () => {
        const { items, templates } = await d.mall.listItems();
        return items.map((i) => presentMallItem(i, templates.get(i.couponTemplateCode ?? '') ?? null));
      },
    }),
    defineRoute({
      method: 'get',
      path: Paths.mallItem,
      tag,
      summary: 'One points-mall item',
      auth: 'public',
      params: MallItemParams,
      response: MallItem,
      errors: ['NOT_FOUND'],
      handler: async ({ params }) => {
        const { item, template } = await d.mall.item(params.id);
        return presentMallItem(item, template);
      },
    }),
    defineRoute({
      method: 'post',
      path: Paths.mallRedemptions,
      tag,
      summary: 'Redeem points for an item (Idempotency-Key required)',
      auth: { audience: 'member' },
      body: RedemptionBody,
      response: RedemptionResult,
      status: 201,
      idempotent: 'required',
      errors: ['NOT_FOUND', 'POINTS_INSUFFICIENT', 'OUT_OF_STOCK', 'LIMIT_REACHED', 'TIER_REQUIRED', 'NOT_ELIGIBLE', 'IDEMPOTENCY_MISMATCH'],
      handler: async ({ caller, body }) => {
        const r = await d.mall.redeem(caller.memberId, body.itemId, body.quantity);
        return presentRedemptionResult(r.redemption, r.coupons, r.pointsBalance, d.clock.now());
      },
    }),
  ];
}

import { PublicRules } from '@member/shared';
import { route, type AnyRoute } from '../http/route';
import type { Services } from '../services';
import { presentRules } from './presenters';

export function systemRoutes(s: Services): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/rules',
      tag: 'system',
      summary: 'Public loyalty rules (tiers, earn and spend) so every client shows what the server applies',
      auth: 'public',
      response: PublicRules,
      handler: async ({ ctx }) => {
        ctx.set('Cache-Control', 'public, max-age=300');
        return presentRules(s.loyalty);
      },
    }),
  ];
}

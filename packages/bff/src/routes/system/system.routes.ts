import { Paths, PublicRules, type CampaignRule, type LoyaltyConfig } from '@member/shared';
import { defineRoute, type AnyRoute } from '../../http/route';
import { presentRules } from '../../presenters';

/** `GET /api/v1/rules`: the public part of the loyalty configuration. */
export function systemRoutes(d: { loyalty: LoyaltyConfig; campaigns: { current(): Promise<CampaignRule[]> } }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: Paths.rules,
      tag: 'system',
      summary: 'Public loyalty rules (tiers, earn and spend, the campaigns running or to come) so every client shows what the server applies',
      auth: 'public',
      response: PublicRules,
      cacheControl: 'public, max-age=300',
      handler: async () => presentRules(d.loyalty, await d.campaigns.current()),
    }),
  ];
}

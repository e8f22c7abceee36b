import { AuthDevBody, AuthResponse, AuthWechatBody, Paths, type LoyaltyConfig } from '@member/shared';
import type { RuntimeConfig } from '../../config/config';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { TokenService } from '../../http/tokens';
import type { RateLimit } from '../../lib/rate-limit';
import type { WechatClient } from '../../integrations/wechat';
import { presentAuth } from '../../presenters';
import type { LoginResult, MemberService } from '../../services/member.service';

export interface AuthRouteDeps {
  members: MemberService;
  wechat: WechatClient;
  tokens: TokenService;
  limits: { memberLogin: RateLimit; devLogin: RateLimit };
  loyalty: LoyaltyConfig;
  runtime: RuntimeConfig;
  /** Development login exists only where it is enabled (never in production). */
  devLogin: boolean;
}

const tag = 'member';

/** Member sign-in: a WeChat login code (or, in development, an openid) for a member token. */
export function authRoutes(d: AuthRouteDeps): AnyRoute[] {
  const session = ({ member, codeSecret }: LoginResult) => {
    const { token, expiresAt } = d.tokens.issue({ aud: 'member', sub: member.id }, d.runtime.auth.memberTokenTtlSeconds);
    return presentAuth(member, d.loyalty, { token, expiresAt, codeSecret, phone: d.members.phoneOf(member) });
  };
  const routes: AnyRoute[] = [
    defineRoute({
      method: 'post',
      path: Paths.authWechat,
      tag,
      summary: 'Exchange a wx.login code for a member token (code2Session)',
      auth: 'public',
      body: AuthWechatBody,
      response: AuthResponse,
      rateLimit: { limit: d.limits.memberLogin, by: 'ip' },
      cacheControl: 'no-store',
      errors: ['UNAUTHENTICATED', 'RATE_LIMITED', 'WECHAT_UNAVAILABLE'],
      handler: async ({ body }) => {
        const wx = await d.wechat.code2Session(body.code);
        return session(await d.members.login(wx.openid, wx.sessionKey));
      },
    }),
  ];
  if (d.devLogin) {
    routes.push(
      defineRoute({
        method: 'post',
        path: Paths.authDev,
        tag,
        summary: 'Development login by openid (absent in production)',
        auth: 'public',
        body: AuthDevBody,
        response: AuthResponse,
        rateLimit: { limit: d.limits.devLogin, by: 'ip' },
        cacheControl: 'no-store',
        errors: ['RATE_LIMITED'],
        handler: async ({ body }) => session(await d.members.login(body.openid, null)),
      }),
    );
  }
  return routes;
}

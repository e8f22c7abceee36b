import { Member, Paths, RegisterBody, type LoyaltyConfig } from '@member/shared';
import { defineRoute, type AnyRoute } from '../../http/route';
import { presentMember } from '../../presenters';
import type { MemberService } from '../../services/member.service';

/** `POST /api/v1/members`: registration, with consent, by a signed-in WeChat user. */
export function membersRoutes(d: { members: MemberService; loyalty: LoyaltyConfig }): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: Paths.members,
      tag: 'member',
      summary: 'Register (after consenting to the privacy notice)',
      auth: { audience: 'member' },
      body: RegisterBody,
      response: Member,
      status: 201,
      errors: ['ALREADY_REGISTERED', 'NOT_ELIGIBLE', 'RATE_LIMITED', 'WECHAT_UNAVAILABLE'],
      handler: async ({ caller, body, clientAddress }) => {
        const m = await d.members.register(caller.memberId, body, clientAddress);
        return presentMember(m, d.loyalty, d.members.phoneOf(m));
      },
    }),
  ];
}

import { CreateShareBody, HeldReward, HeldRewardParams, Invitation, Paths, ShareLink, ShareTokenParams, ShareVisit } from '@member/shared';
import { z } from 'zod';
import { defineRoute, FileBody, type AnyRoute } from '../../http/route';
import { presentInvitation } from '../../presenters';
import type { HeldRewardsService } from '../../services/held-rewards.service';
import type { InviteQrcodeService } from '../../services/invite-qrcode.service';
import type { ReferralService } from '../../services/referral.service';
import type { ShareService } from '../../services/share.service';

const tag = 'engagement';
const member = { audience: 'member' } as const;

/** Share links, a friend's visit to one, and the member's invitation (share-to-earn and referrals). */
export function engagementRoutes(d: {
  shares: ShareService;
  referrals: ReferralService;
  inviteQrcode: InviteQrcodeService;
  heldRewards: HeldRewardsService;
}): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: Paths.shares,
      tag,
      summary:
        'The member’s share link for a page: made at their first share of it on a business day, the same link for every further share that day (sharing itself earns nothing)',
      auth: member,
      body: CreateShareBody,
      response: ShareLink,
      status: 201,
      errors: ['NOT_FOUND'],
      handler: ({ caller, body }) => d.shares.create(caller.memberId, body),
    }),
    defineRoute({
      method: 'post',
      path: Paths.shareVisits,
      tag,
      summary: 'Record that the caller opened a share link (a friend taking part later may reward the sharer)',
      auth: member,
      params: ShareTokenParams,
      response: ShareVisit,
      status: 201,
      errors: ['NOT_FOUND', 'RATE_LIMITED'],
      handler: ({ caller, params, clientAddress }) => d.shares.visit(caller.memberId, params.token, clientAddress),
    }),
    defineRoute({
      method: 'get',
      path: Paths.meInvitation,
      tag,
      summary: 'The member’s invite code and path, invitees with their status, and counts',
      auth: member,
      response: Invitation,
      errors: ['NOT_FOUND'],
      handler: async ({ caller }) => presentInvitation(await d.referrals.invitation(caller.memberId)),
    }),
    defineRoute({
      method: 'get',
      path: Paths.meInvitationQrcode,
      tag,
      summary: 'The member’s invite mini-program code (an image from WeChat that opens the mini-program with their invite code), for the poster on WeChat',
      auth: member,
      response: FileBody,
      binary: ['image/png', 'image/jpeg'],
      errors: ['NOT_FOUND', 'RATE_LIMITED', 'WECHAT_UNAVAILABLE'],
      handler: ({ caller }) => d.inviteQrcode.image(caller.memberId),
    }),
    defineRoute({
      method: 'get',
      path: Paths.adminHeldRewards,
      tag: 'admin',
      summary: 'Share and referral rewards held for review (a friend WeChat rates risky, or could not rate)',
      auth: { audience: 'admin' },
      response: z.array(HeldReward),
      handler: () => d.heldRewards.list(),
    }),
    defineRoute({
      method: 'post',
      path: Paths.adminHeldRewardRelease,
      tag: 'admin',
      summary: 'Pay a held reward after review (once; audit-logged)',
      auth: { audience: 'admin' },
      params: HeldRewardParams,
      response: HeldReward,
      errors: ['NOT_FOUND', 'NOT_ELIGIBLE'],
      handler: ({ caller, params }) => d.heldRewards.release(caller.staffId, params.id),
    }),
  ];
}

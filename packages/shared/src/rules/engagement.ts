/**
 * Where shared and invite links land in the mini-program. Both ends build paths from here: the
 * BFF answers `POST /shares` and `GET /me/invitation` with them, the mini-program reads the same
 * query names back when a friend opens one.
 */
export const LANDING_PAGES = {
  /** The member center: an invite lands here (a friend who is not a member yet is asked to register). */
  invite: '/pages/index/index',
  mall: '/pages/mall/index',
  item: '/subpackages/mall/item/index',
} as const;

/**
 * Query names a landing page reads: the share token (a visit to record) and the inviter's code;
 * `scene` is what WeChat hands a page opened by scanning a mini-program code (see `inviteCodeTarget`).
 */
export const LANDING_QUERY = { shareToken: 'shareToken', inviteCode: 'inviteCode', scene: 'scene' } as const;

const INVITE_CODE = /^[A-Z0-9]{6,12}$/;

function withQuery(path: string, query: Record<string, string | undefined>): string {
  const q = Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return q.length ? `${path}?${q.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : path;
}

/** A member's invite path: the member center carrying their invite code (referral, PRODUCT §8). */
export function invitePath(inviteCode: string): string {
  return withQuery(LANDING_PAGES.invite, { [LANDING_QUERY.inviteCode]: inviteCode });
}

/**
 * The path of a shared page carrying its share token (share-to-earn, PRODUCT §7): an item (its
 * id), the mall, or the sharer's invite page (their invite code as well, so a friend who registers
 * from it is also bound as their invitee).
 */
export function sharePath(page: 'item' | 'mall' | 'invite', token: string, params: { id?: string; inviteCode?: string } = {}): string {
  const shareToken = { [LANDING_QUERY.shareToken]: token };
  if (page === 'item') return withQuery(LANDING_PAGES.item, { id: params.id, ...shareToken });
  if (page === 'mall') return withQuery(LANDING_PAGES.mall, shareToken);
  return withQuery(LANDING_PAGES.invite, { [LANDING_QUERY.inviteCode]: params.inviteCode, ...shareToken });
}

/**
 * What a member's mini-program code (WeChat's `getwxacodeunlimit`, drawn on the invite poster on
 * WeChat) opens: the invite landing page — as WeChat wants it, without the leading `/` and without a
 * query — with the invite code as the `scene`, which WeChat passes to that page as `query.scene`.
 * An invite code (6–12 letters and digits) is well within the scene's 32 visible characters and
 * needs no encoding, so the scene is the bare code.
 */
export function inviteCodeTarget(inviteCode: string): { scene: string; page: string } {
  return { scene: inviteCode, page: LANDING_PAGES.invite.replace(/^\//, '') };
}

/**
 * The invite code in the `scene` a scanned mini-program code hands its page. WeChat passes the
 * scene URL-encoded (its documentation decodes it with decodeURIComponent); a malformed encoding
 * or anything that is not an invite code gives nothing.
 */
export function sceneInviteCode(scene: string | undefined): string | undefined {
  if (!scene) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(scene);
  } catch {
    return undefined;
  }
  const code = decoded.trim().toUpperCase();
  return INVITE_CODE.test(code) ? code : undefined;
}

/**
 * What a landing page's query carries for engagement: a share token and an invite code, when
 * well-formed. The invite code comes from the invite path (`inviteCode`) or, when the page was
 * opened by scanning the member's mini-program code, from its `scene`; the path's wins if both are there.
 */
export function landingParams(query: Record<string, string | undefined>): { shareToken?: string; inviteCode?: string } {
  const shareToken = query[LANDING_QUERY.shareToken];
  const fromPath = query[LANDING_QUERY.inviteCode]?.toUpperCase();
  const inviteCode = fromPath && INVITE_CODE.test(fromPath) ? fromPath : sceneInviteCode(query[LANDING_QUERY.scene]);
  return {
    ...(shareToken && /^[A-Za-z0-9_-]{16,32}$/.test(shareToken) ? { shareToken } : {}),
    ...(inviteCode ? { inviteCode } : {}),
  };
}

/**
 * The start of the window in which a friend's action after opening a share link still rewards the
 * sharer: `share.windowHours` before `now`.
 */
export function shareWindowStart(now: Date, windowHours: number): Date {
  return new Date(now.getTime() - windowHours * 3_600_000);
}

/**
 * Whether the `rewardedCount`-th rewarded invitation earns the milestone coupon: every
 * `referral.milestoneEvery`-th one (5th, 10th, …).
 */
/**
 * Whether an invitee's order, with what it leaves paid (after any refunds), earns the invitation:
 * at least `referral.minFirstOrderPaidCents`, and never an order nothing was paid for. A cent's
 * purchase, or one the new-member coupon paid in full, does not make an invitation.
 */
export function qualifiesForReferral(paidCents: number, minFirstOrderPaidCents: number): boolean {
  return paidCents >= Math.max(1, minFirstOrderPaidCents);
}

export function isReferralMilestone(rewardedCount: number, milestoneEvery: number): boolean {
  return rewardedCount > 0 && rewardedCount % milestoneEvery === 0;
}

/** Invitations still to reward before the next milestone coupon (`referral.milestoneEvery`). */
export function invitationsToMilestone(rewardedCount: number, milestoneEvery: number): number {
  return milestoneEvery - (rewardedCount % milestoneEvery);
}

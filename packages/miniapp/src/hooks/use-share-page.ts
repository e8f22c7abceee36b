import { useShareAppMessage, useShareTimeline } from '@tarojs/taro';
import type { CreateShareBody, ShareLink } from '@member/shared/api';
import { api } from '../services/api';
import { SHARE_LINK_WAIT_MS, shareAnswer } from '../services/share-message';
import { isKnownMember } from './use-member';

const pending = new Map<string, Promise<ShareLink>>();

/**
 * Asks the BFF for the member's link to a page. The BFF answers every share of the same page on
 * the same day with the same link; a second tap while the first request is still out waits for it.
 */
function mintLink(body: CreateShareBody): Promise<ShareLink> {
  const key = JSON.stringify(body);
  let link = pending.get(key);
  if (!link) {
    link = api.createShare(body);
    pending.set(key, link);
    const done = () => pending.delete(key);
    link.then(done, done);
  }
  return link;
}

const wait = (ms: number) => () => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Makes a page shareable. A link (a share token) is made only when the member shares: on WeChat
 * at the tap (`onShareAppMessage`, through its promise; the plain path when that fails or is too
 * slow), on H5 when they tap 复制链接 (the returned `mint`). Opening a page makes nothing. Sharing to
 * Moments (`useShareTimeline`) carries no token and gives nothing, and sharing itself never gives
 * anything (WeChat's rules). `plainPath` is what non-members share; `body` null shares only that.
 * Returns how to make the member's link, or null when there is none to make (not a member).
 */
export function useSharePage(body: CreateShareBody | null, title: string, plainPath: string): (() => Promise<ShareLink>) | null {
  const mint = body && isKnownMember() ? () => mintLink(body) : null;
  useShareAppMessage(() => shareAnswer(title, plainPath, mint, wait(SHARE_LINK_WAIT_MS)));
  useShareTimeline(() => ({ title }));
  return mint;
}

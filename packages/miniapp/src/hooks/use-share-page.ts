import { useEffect, useState } from 'react';
import { useShareAppMessage, useShareTimeline } from '@tarojs/taro';
import type { CreateShareBody, ShareLink } from '@member/shared/api';
import { api } from '../services/api';
import { isKnownMember } from './use-member';

const links = new Map<string, Promise<ShareLink>>();

/** One share link per page (and item) per launch: a token is made once, not on every share. */
function linkFor(body: CreateShareBody): Promise<ShareLink> {
  const key = JSON.stringify(body);
  let link = links.get(key);
  if (!link) {
    link = api.createShare(body);
    links.set(key, link);
    link.catch(() => links.delete(key));
  }
  return link;
}

/**
 * Makes a page shareable. A member's share to a friend (`useShareAppMessage`) carries a share token
 * in the path, so a friend who later takes part rewards them; sharing to Moments
 * (`useShareTimeline`) carries none and gives nothing, and sharing itself never gives anything
 * (WeChat's rules). `plainPath` is what non-members share. Returns the member's link once made.
 */
export function useSharePage(body: CreateShareBody | null, title: string, plainPath: string): ShareLink | null {
  const [link, setLink] = useState<ShareLink | null>(null);
  const key = body ? JSON.stringify(body) : '';
  useEffect(() => {
    if (!body || !isKnownMember()) return;
    let live = true;
    linkFor(body)
      .then((l) => live && setLink(l))
      .catch(() => undefined);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the body is keyed by its JSON
  }, [key]);
  useShareAppMessage(() => ({ title, path: link?.path ?? plainPath }));
  useShareTimeline(() => ({ title }));
  return link;
}

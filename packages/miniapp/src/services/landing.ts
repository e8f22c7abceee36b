import Taro from '@tarojs/taro';
import { landingParams } from '@member/shared/rules/engagement';
import { api } from './api';
import { hasCode } from './api-error';

/**
 * What a shared or invite link brought with it: a share token (a visit to record once signed in)
 * and an invite code (carried into registration). Kept on the phone until registration uses it,
 * so a friend who lands on a page and is sent to registration still brings them along.
 */
export interface Landing {
  shareToken?: string;
  inviteCode?: string;
}

const KEY = 'mc.landing';
const VISITED_KEY = 'mc.visited-shares';

export function pendingLanding(): Landing {
  const l = Taro.getStorageSync<Landing | ''>(KEY);
  return l && typeof l === 'object' ? l : {};
}

/** Remembers what a page's query carries (a later link replaces an earlier one's values). */
export function rememberLanding(query: Record<string, string | undefined>): Landing {
  const found = landingParams(query);
  if (!found.shareToken && !found.inviteCode) return pendingLanding();
  const merged = { ...pendingLanding(), ...found };
  Taro.setStorageSync(KEY, merged);
  return merged;
}

/** Registration used (or refused) what the link brought. */
export function forgetLanding(): void {
  Taro.removeStorageSync(KEY);
}

/**
 * Records the visit of a share link once per token on this phone (after signing in; the BFF keeps
 * only the latest visit anyway). Never fails the page: a bad or expired token is simply dropped.
 */
export async function recordVisit(shareToken: string): Promise<void> {
  const visited = Taro.getStorageSync<string[] | ''>(VISITED_KEY) || [];
  if (visited.includes(shareToken)) return;
  try {
    await api.visitShare(shareToken);
    Taro.setStorageSync(VISITED_KEY, [...visited, shareToken].slice(-50));
  } catch (e) {
    if (hasCode(e, 'NOT_FOUND')) forgetLanding();
  }
}

import { useEffect } from 'react';
import { useRouter } from '@tarojs/taro';
import { ensureSession } from '../services/request';
import { recordVisit, rememberLanding } from '../services/landing';

/**
 * For pages a shared or invite link opens (member center, mall, item): keeps what the link brought
 * for registration and, once signed in, records the visit of a share link. A page opened by
 * scanning a member's mini-program code (the invite poster on WeChat) gets the invite code as
 * `scene`, read the same way (`landingParams`).
 */
export function useLanding(): void {
  const { params } = useRouter();
  const shareToken = params.shareToken;
  const inviteCode = params.inviteCode;
  const scene = params.scene;
  useEffect(() => {
    const landing = rememberLanding({ shareToken, inviteCode, scene });
    if (!shareToken || landing.shareToken !== shareToken) return;
    void ensureSession()
      .then(() => recordVisit(shareToken))
      .catch(() => undefined);
  }, [shareToken, inviteCode, scene]);
}

/** What WeChat sends to a friend: a title and a mini-program path. */
export interface ShareMessage {
  title: string;
  path: string;
}

/** `onShareAppMessage`'s answer: the message now, and (for members) a promise of the final one. */
export type ShareAnswer = ShareMessage & { promise?: Promise<ShareMessage> };

/** How long the member's link may take to make: WeChat waits at most 3 s for the promise. */
export const SHARE_LINK_WAIT_MS = 2500;

/**
 * The answer to WeChat's share tap. Without `mint` (not a member) the plain path. With it, the
 * member's link is made now, at the tap: WeChat shares the path with their token when it comes
 * before `deadline`, and the plain path when making it fails or takes too long — the share still
 * works, it just cannot earn anything. Never rejects.
 */
export function shareAnswer(title: string, plainPath: string, mint: (() => Promise<{ path: string }>) | null, deadline: () => Promise<void>): ShareAnswer {
  const plain: ShareMessage = { title, path: plainPath };
  if (!mint) return plain;
  let made: Promise<ShareMessage>;
  try {
    made = mint().then(
      (link) => ({ title, path: link.path }),
      () => plain,
    );
  } catch {
    made = Promise.resolve(plain);
  }
  return { ...plain, promise: Promise.race([made, deadline().then(() => plain)]) };
}

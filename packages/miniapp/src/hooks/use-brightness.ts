import { useCallback, useEffect, useRef } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';
import { brightness } from '../platform/brightness';

/** One raise of the screen brightness, and the step that undoes it once the raise has finished. */
interface Raise {
  restore: (() => void) | null;
  released: boolean;
}

/**
 * Full screen brightness while the page is shown (counter scanners read the code better), back to
 * what it was when the page hides or unmounts. The raise lives in a ref: Taro calls the newest
 * render's hide handler, and a variable of the render that raised would be lost by then.
 */
export function useBrightness(): void {
  const raised = useRef<Raise | null>(null);

  const release = useCallback(() => {
    const raise = raised.current;
    raised.current = null;
    if (!raise) return;
    raise.released = true;
    raise.restore?.();
  }, []);

  useDidShow(() => {
    // Shown twice without a hide in between: the screen is already bright, and raising again would
    // record full brightness as the level to go back to.
    if (raised.current) return;
    const raise: Raise = { restore: null, released: false };
    raised.current = raise;
    void brightness.raise().then((restore) => {
      // Hidden while the raise was still under way: undo it at once.
      if (raise.released) restore();
      else raise.restore = restore;
    });
  });
  useDidHide(release);
  useEffect(() => release, [release]);
}

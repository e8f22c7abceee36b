import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import type { AsyncState } from './use-async';

/**
 * Keeps a page's data fresh: loads again when the page shows again (back from another page or tab)
 * and on pull-down, where the page's config enables it.
 */
export function usePageReload({ data, reload }: Pick<AsyncState<unknown>, 'data' | 'reload'>): void {
  useDidShow(() => {
    // The first show comes with the mount's own load.
    if (data !== null) void reload();
  });
  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh());
  });
}

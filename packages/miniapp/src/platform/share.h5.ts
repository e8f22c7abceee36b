import Taro from '@tarojs/taro';
import type { SharePlatform } from './index';

/** In a browser there is no WeChat share sheet: the member copies a link, and the poster downloads. */
export const share: SharePlatform = {
  kind: 'link',
  linkTo: (path) => `${window.location.origin}${window.location.pathname}#${path}`,
  async copyLink(path) {
    try {
      await Taro.setClipboardData({ data: share.linkTo(path) });
      return true;
    } catch {
      return false;
    }
  },
  savePoster(file) {
    const a = document.createElement('a');
    a.href = file;
    a.download = '邀请海报.png';
    document.body.appendChild(a);
    a.click();
    a.remove();
    return Promise.resolve(true);
  },
};

import Taro from '@tarojs/taro';
import type { SharePlatform } from './index';

/**
 * In a browser there is no WeChat share sheet: the member copies a link, the poster draws a QR code
 * of the invite link itself (no WeChat, so no mini-program code), and it downloads.
 */
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
  posterCode(invitePath) {
    return Promise.resolve({ kind: 'qr', text: share.linkTo(invitePath) });
  },
};

import Taro from '@tarojs/taro';
import type { SharePlatform } from './index';

const ALBUM = 'scope.writePhotosAlbum';

/** Asks for the album permission; after an earlier refusal, offers the settings page where it can be turned on. */
async function albumAllowed(): Promise<boolean> {
  try {
    await Taro.authorize({ scope: ALBUM });
    return true;
  } catch {
    const answer = await Taro.showModal({ title: '需要相册权限', content: '保存海报需要允许保存到相册，请在设置中开启', confirmText: '去设置' });
    if (!answer.confirm) return false;
    const settings = await Taro.openSetting();
    return settings.authSetting[ALBUM] === true;
  }
}

/**
 * On WeChat the share sheet does the sharing (a button with open-type share); the poster carries
 * the member's mini-program code (scanning it opens the mini-program with their invite code) and
 * goes to the album.
 */
export const share: SharePlatform = {
  kind: 'wechat',
  linkTo: (path) => path,
  async copyLink(path) {
    try {
      await Taro.setClipboardData({ data: path });
      return true;
    } catch {
      return false;
    }
  },
  async savePoster(file) {
    try {
      if (!(await albumAllowed())) return false;
      await Taro.saveImageToPhotosAlbum({ filePath: file });
      return true;
    } catch {
      return false;
    }
  },
  async posterCode(_invitePath, downloadImage) {
    return { kind: 'image', file: await downloadImage() };
  },
};

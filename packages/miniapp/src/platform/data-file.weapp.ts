import Taro from '@tarojs/taro';
import type { DataFilePlatform } from './index';

/**
 * A mini-program cannot download to the phone's files: the export is written to the user folder
 * and offered to a chat (the member can send it to 文件传输助手 and open it on a computer); when
 * that is refused or unavailable, it is copied to the clipboard.
 */
export const dataFile: DataFilePlatform = {
  kind: 'chat',
  async save(name, json) {
    try {
      const filePath = `${Taro.env.USER_DATA_PATH ?? ''}/${name}`;
      Taro.getFileSystemManager().writeFileSync(filePath, json, 'utf8');
      await Taro.shareFileMessage({ filePath, fileName: name });
      return 'sent';
    } catch {
      try {
        await Taro.setClipboardData({ data: json });
        return 'copied';
      } catch {
        return 'failed';
      }
    }
  },
};

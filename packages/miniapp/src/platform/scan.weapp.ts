import Taro from '@tarojs/taro';
import type { ScanPlatform } from './index';

/** The phone camera reads the member's QR code or barcode. */
export const scan: ScanPlatform = {
  canScan: true,
  async scanMemberCode() {
    try {
      const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode', 'barCode'] });
      return r.result;
    } catch {
      return null;
    }
  },
};

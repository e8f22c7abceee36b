import Taro from '@tarojs/taro';

export const canScan = true;

/** The phone camera reads the member's QR code or barcode; null when the cashier cancels. */
export async function scanMemberCode(): Promise<string | null> {
  try {
    const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode', 'barCode'] });
    return r.result;
  } catch {
    return null;
  }
}

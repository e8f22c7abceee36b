import type { ScanPlatform } from './index';

/** Browsers have no scanner API here: the cashier types the digits. */
export const scan: ScanPlatform = {
  canScan: false,
  scanMemberCode: () => Promise.resolve(null),
};

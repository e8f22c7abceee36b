import Taro from '@tarojs/taro';

/**
 * What the code page remembers on the device, so it works offline: whether the member switched on
 * 使用积分抵扣 (per member code reference: another member signing in on this phone starts with it
 * off), and the last balance and spend rule seen online, for the line under the switch.
 */
const USE_POINTS_KEY = 'mc.use-points';
const POINTS_HINT_KEY = 'mc.points-hint';

export function loadUsePoints(codeRef: string): boolean {
  const v = Taro.getStorageSync<{ ref: string; on: boolean } | ''>(USE_POINTS_KEY);
  return typeof v === 'object' && v.ref === codeRef && v.on;
}

export function saveUsePoints(codeRef: string, on: boolean): void {
  Taro.setStorageSync(USE_POINTS_KEY, { ref: codeRef, on });
}

export interface PointsHint {
  ref: string;
  balance: number;
  pointsPerYuan: number;
  maxPercentOfDue: number;
}

export function loadPointsHint(codeRef: string): PointsHint | null {
  const v = Taro.getStorageSync<PointsHint | ''>(POINTS_HINT_KEY);
  return typeof v === 'object' && v.ref === codeRef ? v : null;
}

export function savePointsHint(hint: PointsHint): void {
  Taro.setStorageSync(POINTS_HINT_KEY, hint);
}

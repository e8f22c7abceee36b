import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { loadPointsHint, loadUsePoints, savePointsHint, saveUsePoints } from './code-prefs';

// The phone's storage, as Taro offers it.
const storage = new Map<string, unknown>();
jest.mock('@tarojs/taro', () => ({
  getStorageSync: (key: string) => storage.get(key) ?? '',
  setStorageSync: (key: string, value: unknown) => storage.set(key, value),
}));

describe('the 使用积分抵扣 switch, remembered on the phone', () => {
  beforeEach(() => storage.clear());

  it('is off until the member switches it on, and stays as they left it', () => {
    expect(loadUsePoints('4820193375')).toBe(false);
    saveUsePoints('4820193375', true);
    expect(loadUsePoints('4820193375')).toBe(true);
    saveUsePoints('4820193375', false);
    expect(loadUsePoints('4820193375')).toBe(false);
  });

  it('is not carried over to another member signing in on the same phone', () => {
    saveUsePoints('4820193375', true);
    expect(loadUsePoints('1111111111')).toBe(false);
  });

  it('keeps the last balance seen online for the line under the switch, per member', () => {
    savePointsHint({ ref: '4820193375', balance: 1000, pointsPerYuan: 100, maxPercentOfDue: 30 });
    expect(loadPointsHint('4820193375')).toEqual({ ref: '4820193375', balance: 1000, pointsPerYuan: 100, maxPercentOfDue: 30 });
    expect(loadPointsHint('1111111111')).toBeNull();
  });
});

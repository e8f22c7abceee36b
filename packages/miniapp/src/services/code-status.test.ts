import { describe, expect, it } from '@jest/globals';
import { codeSecretFingerprint } from '@member/shared/code/member-code';
import { codePageState, deviceCodeState, orderPointsLine, pointsHint, pointsWorthCents } from './code-status';

const spend = { pointsPerYuan: 100 };
// Two logins' secrets: the phone kept the first, the other device got the second.
const first = '3132333435363738393031323334353637383930';
const second = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

describe('deviceCodeState (has another device signed in?)', () => {
  it('is current while the server’s secret is the one this phone holds', () => {
    expect(deviceCodeState(first, codeSecretFingerprint(first))).toBe('current');
  });

  it('is stale once another login rotated the secret', () => {
    expect(deviceCodeState(first, codeSecretFingerprint(second))).toBe('stale');
  });

  it('is stale for any fingerprint that is not this secret’s, malformed ones included', () => {
    expect(deviceCodeState(first, '')).toBe('stale');
    expect(deviceCodeState(first, codeSecretFingerprint(first).toUpperCase())).toBe('stale');
  });
});

describe('codePageState (what the code page does with the code it shows)', () => {
  it('keeps showing the code while nothing was learnt online (offline)', () => {
    expect(codePageState(first, null)).toBe('unknown');
  });

  it('shows the code while the server’s secret is the one shown', () => {
    expect(codePageState(first, { fingerprint: codeSecretFingerprint(first), heldSecret: first })).toBe('current');
  });

  it('says the code is dead when another device signed in since', () => {
    expect(codePageState(first, { fingerprint: codeSecretFingerprint(second), heldSecret: first })).toBe('stale');
  });

  it('reloads, not alarms, when this phone itself signed in again meanwhile (a renewed token)', () => {
    expect(codePageState(first, { fingerprint: codeSecretFingerprint(second), heldSecret: second })).toBe('reload');
  });
});

describe('what the points are worth', () => {
  it.each([
    [0, 0],
    [-500, 0],
    [99, 0],
    [100, 100],
    [3185, 3100],
  ])('%i points → %i cents', (balance, cents) => expect(pointsWorthCents(balance, spend)).toBe(cents));

  it('follows the rule the BFF serves, not a fixed rate', () => {
    expect(pointsWorthCents(1000, { pointsPerYuan: 50 })).toBe(2000);
  });

  it.each([
    [3185, '可用 3,185 积分，价值 ¥31.00'],
    [1000, '可用 1,000 积分，价值 ¥10.00'],
    [75, '可用 75 积分，满 100 积分可抵 ¥1.00'],
    [0, '暂无可用积分'],
    [-20, '暂无可用积分'],
  ])('hint for %i points: %s', (balance, text) => expect(pointsHint(balance, spend)).toBe(text));
});

describe('orderPointsLine (the latest order on the code page)', () => {
  it('says how many points were spent and what they took off', () => {
    expect(orderPointsLine({ pointsUsed: 1000, pointsDiscountCents: 1000, pointsEarned: 110 })).toBe('积分抵扣 1,000 积分（¥10.00） · 获得 110 积分');
  });

  it('says when none were used', () => {
    expect(orderPointsLine({ pointsUsed: 0, pointsDiscountCents: 0, pointsEarned: 88 })).toBe('未使用积分 · 获得 88 积分');
  });
});

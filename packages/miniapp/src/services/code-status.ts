import { codeSecretFingerprint } from '@member/shared/code/member-code';
import type { MemberOrder, PublicRules } from '@member/shared/api';
import { thousands, yuan } from './format';

/**
 * Whether the code this device shows is still alive. Every login rotates the member's code
 * secret; the server hands out only a fingerprint of the current one (`/me/code`), never the
 * secret, so a device compares it with the fingerprint of the secret it holds. `stale`: another
 * device signed in since, and every code derived here is refused at the counter.
 */
export function deviceCodeState(deviceSecretHex: string, serverFingerprint: string): 'current' | 'stale' {
  return codeSecretFingerprint(deviceSecretHex) === serverFingerprint ? 'current' : 'stale';
}

/** What the code page learnt online: the server's fingerprint, and the secret the phone held when the answer came. */
export interface SecretCheck {
  fingerprint: string;
  heldSecret: string;
}

/**
 * What the code page does with the code it shows (derived from `shownSecret`): `unknown` while
 * nothing was learnt online (offline: keep showing it); `reload` when this phone itself signed in
 * again meanwhile (an expired token is renewed by a new login, which rotates the secret: show the
 * new secret's code, nothing is wrong); `stale` when another device signed in; else `current`.
 */
export function codePageState(shownSecret: string, check: SecretCheck | null): 'unknown' | 'reload' | 'current' | 'stale' {
  if (!check) return 'unknown';
  if (check.heldSecret !== shownSecret) return 'reload';
  return deviceCodeState(shownSecret, check.fingerprint);
}

/** What a balance is worth at the counter, in cents: whole yuan of `spend.pointsPerYuan` points; nothing when not positive. */
export function pointsWorthCents(balance: number, spend: Pick<PublicRules['spend'], 'pointsPerYuan'>): number {
  if (balance <= 0 || spend.pointsPerYuan <= 0) return 0;
  return Math.floor(balance / spend.pointsPerYuan) * 100;
}

/** The line under the 使用积分抵扣 switch: "可用 1,000 积分，价值 ¥10". */
export function pointsHint(balance: number, spend: Pick<PublicRules['spend'], 'pointsPerYuan'>): string {
  if (balance <= 0) return '暂无可用积分';
  // Below one yuan's worth nothing can be spent yet: say when it can, not "worth ¥0.00".
  if (pointsWorthCents(balance, spend) === 0) return `可用 ${thousands(balance)} 积分，满 ${thousands(spend.pointsPerYuan)} 积分可抵 ${yuan(100)}`;
  return `可用 ${thousands(balance)} 积分，价值 ${yuan(pointsWorthCents(balance, spend))}`;
}

/** What the member's latest counter order did with points: "积分抵扣 1,000 积分（¥10）" or that none were used. */
export function orderPointsLine(order: Pick<MemberOrder, 'pointsUsed' | 'pointsDiscountCents' | 'pointsEarned'>): string {
  const spent = order.pointsUsed > 0 ? `积分抵扣 ${thousands(order.pointsUsed)} 积分（${yuan(order.pointsDiscountCents)}）` : '未使用积分';
  return `${spent} · 获得 ${thousands(order.pointsEarned)} 积分`;
}

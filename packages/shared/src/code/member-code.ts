import { hmac } from '@noble/hashes/hmac';
import { sha1 } from '@noble/hashes/legacy';
import { hexToBytes } from '@noble/hashes/utils';

/**
 * The dynamic member code shown at the counter: 18 digits = a 10-digit opaque member reference
 * followed by an 8-digit time-based one-time value (RFC 6238 TOTP, HMAC-SHA-1) over a per-member
 * secret. The phone derives it offline from the secret issued at login; the server, with its own
 * clock, accepts the current window and `dynamicCode.acceptPreviousWindows` before it.
 * Pure JavaScript (`@noble/hashes`), so the same code runs in the mini-program and on the server.
 */
export const MEMBER_REF_DIGITS = 10;
export const OTP_DIGITS = 8;
export const MEMBER_CODE_DIGITS = MEMBER_REF_DIGITS + OTP_DIGITS;

/** RFC 4226 HOTP value of `counter` under `secret`, as a zero-padded decimal string. */
export function hotp(secret: Uint8Array, counter: number, digits = OTP_DIGITS): string {
  const msg = new Uint8Array(8);
  let c = counter;
  for (let i = 7; i >= 0; i--) {
    msg[i] = c % 256;
    c = Math.floor(c / 256);
  }
  const mac = hmac(sha1, secret, msg);
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The TOTP time step an instant falls in. */
export function timeStep(nowMs: number, periodSeconds: number): number {
  return Math.floor(nowMs / 1000 / periodSeconds);
}

export interface GeneratedCode {
  code: string;
  step: number;
  /** When this code stops being the current one (it stays accepted one more window). */
  expiresAt: Date;
}

function assertRef(ref: string): void {
  if (!new RegExp(`^\\d{${MEMBER_REF_DIGITS}}$`).test(ref)) throw new Error('member reference must be 10 digits');
}

/** The 18-digit code for a member reference and hex secret at `nowMs`. */
export function generateMemberCode(ref: string, secretHex: string, nowMs: number, periodSeconds: number): GeneratedCode {
  assertRef(ref);
  const step = timeStep(nowMs, periodSeconds);
  return {
    code: ref + hotp(hexToBytes(secretHex), step),
    step,
    expiresAt: new Date((step + 1) * periodSeconds * 1000),
  };
}

/** Splits a typed or scanned code into reference and one-time value; null when it is not 18 digits. */
export function parseMemberCode(input: string): { ref: string; otp: string } | null {
  const code = input.replace(/\s+/g, '');
  if (!new RegExp(`^\\d{${MEMBER_CODE_DIGITS}}$`).test(code)) return null;
  return { ref: code.slice(0, MEMBER_REF_DIGITS), otp: code.slice(MEMBER_REF_DIGITS) };
}

export type CodeCheck = { status: 'valid'; step: number } | { status: 'expired'; step: number } | { status: 'invalid' };

/**
 * Checks a one-time value against a member's secret at the server's `nowMs`: `valid` for the
 * current window or up to `acceptPreviousWindows` before it; `expired` when it matches an older
 * window within `expiredLookbackWindows` (a stale screenshot); otherwise `invalid`.
 * A value from the future is invalid: the server's clock decides.
 */
export function verifyOtp(
  secretHex: string,
  otp: string,
  nowMs: number,
  opts: { periodSeconds: number; acceptPreviousWindows: number; expiredLookbackWindows: number },
): CodeCheck {
  const secret = hexToBytes(secretHex);
  const now = timeStep(nowMs, opts.periodSeconds);
  for (let back = 0; back <= opts.acceptPreviousWindows; back++) {
    if (constantTimeEqual(hotp(secret, now - back), otp)) return { status: 'valid', step: now - back };
  }
  for (let back = opts.acceptPreviousWindows + 1; back <= opts.expiredLookbackWindows; back++) {
    if (constantTimeEqual(hotp(secret, now - back), otp)) return { status: 'expired', step: now - back };
  }
  return { status: 'invalid' };
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

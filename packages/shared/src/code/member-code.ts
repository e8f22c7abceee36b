import { hmac } from '@noble/hashes/hmac';
import { sha1 } from '@noble/hashes/legacy';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';

/**
 * The dynamic member code shown at the counter: 18 digits, derived on the phone (offline) from the
 * per-member secret issued at login and checked on the server with its own clock. Pure JavaScript
 * (`@noble/hashes`), so the same code runs in the mini-program and on the server.
 *
 * Digit layout (positions counted from 1):
 *
 * | digits | what |
 * |---|---|
 * | 1–10 | the member's opaque code reference (`codeRef`, fixed for the account) |
 * | 11 | the points flag: `1` = the member allows spending points on this purchase, `0` = not |
 * | 12–18 | a 7-digit one-time value over the time step *and* the flag |
 *
 * The one-time value is HOTP's dynamic truncation (RFC 4226 §5.3) of
 * `HMAC-SHA-1(secret, T ‖ F)`, where `T` is the RFC 6238 time step as 8 bytes big-endian and `F`
 * one byte, `0x01` with the flag and `0x00` without; reduced mod 10^7 and zero-padded. Because
 * the MAC covers the flag, changing digit 11 at the till (or anywhere else) makes the code invalid:
 * the member's choice travels inside the code, works offline and cannot be forged without the
 * secret. The reference keeps its 10 digits (no stored reference changes); the one-time value gave
 * up one digit for the flag: 1 in 10^7 per guess, on top of which the counter throttles wrong
 * codes per staff member and per store. Digit 11 is never anything but 0 or 1.
 *
 * The server accepts the current window and `dynamicCode.acceptPreviousWindows` before it.
 */
export const MEMBER_REF_DIGITS = 10;
export const POINTS_FLAG_DIGITS = 1;
export const OTP_DIGITS = 7;
export const MEMBER_CODE_DIGITS = MEMBER_REF_DIGITS + POINTS_FLAG_DIGITS + OTP_DIGITS;

/** HOTP dynamic truncation (RFC 4226 §5.3) of HMAC-SHA-1(secret, message), as zero-padded digits. */
function truncatedMac(secret: Uint8Array, message: Uint8Array, digits: number): string {
  const mac = hmac(sha1, secret, message);
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The 8-byte big-endian counter of RFC 4226. */
function counterBytes(counter: number): Uint8Array {
  const msg = new Uint8Array(8);
  let c = counter;
  for (let i = 7; i >= 0; i--) {
    msg[i] = c % 256;
    c = Math.floor(c / 256);
  }
  return msg;
}

/** RFC 4226 HOTP value of `counter` under `secret`, as a zero-padded decimal string (8 digits by default). */
export function hotp(secret: Uint8Array, counter: number, digits = 8): string {
  return truncatedMac(secret, counterBytes(counter), digits);
}

/** The member code's one-time value for a time step and points flag: MAC over `T ‖ F` (see above). */
export function codeOtp(secret: Uint8Array, step: number, pointsAllowed: boolean): string {
  const msg = new Uint8Array(9);
  msg.set(counterBytes(step));
  msg[8] = pointsAllowed ? 1 : 0;
  return truncatedMac(secret, msg, OTP_DIGITS);
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

/**
 * The 18-digit code for a member reference and hex secret at `nowMs`, carrying the member's
 * choice whether points may be spent on this purchase.
 */
export function generateMemberCode(ref: string, secretHex: string, nowMs: number, periodSeconds: number, pointsAllowed: boolean): GeneratedCode {
  assertRef(ref);
  const step = timeStep(nowMs, periodSeconds);
  return {
    code: ref + (pointsAllowed ? '1' : '0') + codeOtp(hexToBytes(secretHex), step, pointsAllowed),
    step,
    expiresAt: new Date((step + 1) * periodSeconds * 1000),
  };
}

export interface ParsedMemberCode {
  ref: string;
  /** What digit 11 claims; only the MAC check (`verifyMemberCode`) makes it true. */
  pointsAllowed: boolean;
  otp: string;
}

/**
 * Splits a typed or scanned code into reference, points flag and one-time value; null when it is
 * not 18 digits or the flag digit is neither 0 nor 1.
 */
export function parseMemberCode(input: string): ParsedMemberCode | null {
  const code = input.replace(/\s+/g, '');
  if (!new RegExp(`^\\d{${MEMBER_CODE_DIGITS}}$`).test(code)) return null;
  const flag = code[MEMBER_REF_DIGITS];
  if (flag !== '0' && flag !== '1') return null;
  return { ref: code.slice(0, MEMBER_REF_DIGITS), pointsAllowed: flag === '1', otp: code.slice(MEMBER_REF_DIGITS + POINTS_FLAG_DIGITS) };
}

export type CodeCheck = { status: 'valid'; step: number } | { status: 'expired'; step: number } | { status: 'invalid' };

/**
 * Checks a parsed code's one-time value, together with the points flag it carries, against a
 * member's secret at the server's `nowMs`: `valid` for the current window or up to
 * `acceptPreviousWindows` before it; `expired` when it matches an older window within
 * `expiredLookbackWindows` (a stale screenshot); otherwise `invalid` — a flipped flag digit
 * included. A value from the future is invalid: the server's clock decides.
 */
export function verifyMemberCode(
  secretHex: string,
  code: Pick<ParsedMemberCode, 'otp' | 'pointsAllowed'>,
  nowMs: number,
  opts: { periodSeconds: number; acceptPreviousWindows: number; expiredLookbackWindows: number },
): CodeCheck {
  const secret = hexToBytes(secretHex);
  const now = timeStep(nowMs, opts.periodSeconds);
  const matches = (step: number) => constantTimeEqual(codeOtp(secret, step, code.pointsAllowed), code.otp);
  for (let back = 0; back <= opts.acceptPreviousWindows; back++) {
    if (matches(now - back)) return { status: 'valid', step: now - back };
  }
  for (let back = opts.acceptPreviousWindows + 1; back <= opts.expiredLookbackWindows; back++) {
    if (matches(now - back)) return { status: 'expired', step: now - back };
  }
  return { status: 'invalid' };
}

/**
 * A short public fingerprint of a code secret (16 hex digits of HMAC-SHA-1(secret, "member-code
 * fingerprint")). The server hands it out with the current code; a device compares it with the
 * fingerprint of the secret it holds to learn, without being sent any secret, that a newer login
 * elsewhere has rotated the secret and its own codes are dead. A different message (and length)
 * from any code MAC, so it reveals nothing about codes.
 */
export function codeSecretFingerprint(secretHex: string): string {
  return bytesToHex(hmac(sha1, hexToBytes(secretHex), utf8ToBytes('member-code fingerprint')).slice(0, 8));
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

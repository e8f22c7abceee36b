import { describe, expect, it } from '@jest/globals';
import { generateMemberCode, hotp, parseMemberCode, verifyOtp } from './member-code';

// RFC 6238 appendix B, SHA-1, 8 digits, secret "12345678901234567890".
const rfcSecret = new TextEncoder().encode('12345678901234567890');
const rfcSecretHex = Array.from(rfcSecret, (b) => b.toString(16).padStart(2, '0')).join('');

describe('hotp (RFC 6238 test vectors)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('T=%i → %s', (seconds, expected) => {
    expect(hotp(rfcSecret, Math.floor(seconds / 30))).toBe(expected);
  });

  it('matches RFC 4226 appendix D for 6 digits', () => {
    expect([0, 1, 2, 9].map((c) => hotp(rfcSecret, c, 6))).toEqual(['755224', '287082', '359152', '520489']);
  });
});

const opts = { periodSeconds: 30, acceptPreviousWindows: 1, expiredLookbackWindows: 120 };
const ref = '4820193375';

describe('generateMemberCode / verifyOtp', () => {
  const t0 = 1_111_111_111_000;
  const { code, expiresAt } = generateMemberCode(ref, rfcSecretHex, t0, 30);
  const parsed = parseMemberCode(code)!;

  it('is 18 digits: the reference then the TOTP value', () => {
    expect(code).toBe(`${ref}14050471`);
    expect(expiresAt.toISOString()).toBe(new Date(1_111_111_140_000).toISOString());
  });

  it.each([
    [0, 'valid'],
    [29_000, 'valid'], // still the same window
    [30_000, 'valid'], // previous window accepted
    [58_000, 'valid'], // t0 is 1 s into its window: the previous one ends 59 s later
    [59_000, 'expired'],
    [60_000, 'expired'], // two windows later: a stale screenshot
    [3_590_000, 'expired'],
    [3_700_000, 'invalid'], // older than the lookback: no longer recognised
    [-30_000, 'invalid'], // from the future: the server clock decides
  ])('checked %i ms later → %s', (later, status) => {
    expect(verifyOtp(rfcSecretHex, parsed.otp, t0 + later, opts).status).toBe(status);
  });

  it('rejects the same value under another secret', () => {
    expect(verifyOtp('00'.repeat(20), parsed.otp, t0, opts).status).toBe('invalid');
  });

  it('changes every period', () => {
    const next = generateMemberCode(ref, rfcSecretHex, t0 + 30_000, 30).code;
    expect(next).not.toBe(code);
    expect(next.slice(0, 10)).toBe(ref);
  });
});

describe('parseMemberCode', () => {
  it.each([
    ['482019337514050471', { ref: '4820193375', otp: '14050471' }],
    ['4820 1933 7514 0504 71', { ref: '4820193375', otp: '14050471' }],
    ['48201933751405047', null],
    ['4820193375140504711', null],
    ['48201933751405047a', null],
    ['', null],
  ])('%j → %j', (input, out) => expect(parseMemberCode(input)).toEqual(out));
});

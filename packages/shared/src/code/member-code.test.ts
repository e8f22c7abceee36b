import { describe, expect, it } from '@jest/globals';
import { codeOtp, codeSecretFingerprint, generateMemberCode, hotp, parseMemberCode, verifyMemberCode } from './member-code';

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

// The member code's own MAC: HMAC-SHA-1 over the 8-byte step followed by one flag byte, truncated
// as in RFC 4226 to 7 digits. Vectors computed independently (Python's hmac) with the RFC secret.
describe('codeOtp (MAC over time step ‖ points flag)', () => {
  it.each([
    [59, '6983381', '9273822'],
    [1111111109, '4715922', '1211091'],
    [1111111111, '7756724', '3301131'],
    [1234567890, '8983906', '5108668'],
    [2000000000, '3492597', '8006744'],
    [20000000000, '0789866', '1143790'],
  ])('T=%i → %s without the flag, %s with it', (seconds, without, withFlag) => {
    const step = Math.floor(seconds / 30);
    expect(codeOtp(rfcSecret, step, false)).toBe(without);
    expect(codeOtp(rfcSecret, step, true)).toBe(withFlag);
  });
});

const opts = { periodSeconds: 30, acceptPreviousWindows: 1, expiredLookbackWindows: 120 };
const ref = '4820193375';
const t0 = 1_111_111_111_000;

describe('generateMemberCode / verifyMemberCode', () => {
  const { code, expiresAt } = generateMemberCode(ref, rfcSecretHex, t0, 30, false);
  const parsed = parseMemberCode(code)!;

  it('is 18 digits: the reference, the points flag, then the one-time value', () => {
    expect(code).toBe(`${ref}07756724`);
    expect(generateMemberCode(ref, rfcSecretHex, t0, 30, true).code).toBe(`${ref}13301131`);
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
    expect(verifyMemberCode(rfcSecretHex, parsed, t0 + later, opts).status).toBe(status);
  });

  it.each([false, true])('verifies with the points flag %s, and says which', (pointsAllowed) => {
    const c = parseMemberCode(generateMemberCode(ref, rfcSecretHex, t0, 30, pointsAllowed).code)!;
    expect(c.pointsAllowed).toBe(pointsAllowed);
    expect(verifyMemberCode(rfcSecretHex, c, t0, opts)).toEqual({ status: 'valid', step: Math.floor(t0 / 30_000) });
  });

  it.each([
    ['switched on at the till', false],
    ['switched off and on again', true],
  ])('a flipped flag digit makes the code invalid (%s)', (_how, pointsAllowed) => {
    const genuine = generateMemberCode(ref, rfcSecretHex, t0, 30, pointsAllowed).code;
    const flipped = genuine.slice(0, 10) + (pointsAllowed ? '0' : '1') + genuine.slice(11);
    const c = parseMemberCode(flipped)!;
    expect(c.pointsAllowed).toBe(!pointsAllowed);
    // Not in any window, current, previous or past: the MAC does not cover this flag.
    for (const later of [0, 30_000, 600_000]) expect(verifyMemberCode(rfcSecretHex, c, t0 + later, opts).status).toBe('invalid');
  });

  it('rejects the same value under another secret', () => {
    expect(verifyMemberCode('00'.repeat(20), parsed, t0, opts).status).toBe('invalid');
  });

  it('changes every period, keeping reference and flag', () => {
    const next = generateMemberCode(ref, rfcSecretHex, t0 + 30_000, 30, true).code;
    expect(next).not.toBe(generateMemberCode(ref, rfcSecretHex, t0, 30, true).code);
    expect(next.slice(0, 11)).toBe(`${ref}1`);
  });
});

describe('parseMemberCode', () => {
  it.each([
    ['482019337507756724', { ref: '4820193375', pointsAllowed: false, otp: '7756724' }],
    ['482019337513301131', { ref: '4820193375', pointsAllowed: true, otp: '3301131' }],
    ['4820 1933 7513 3011 31', { ref: '4820193375', pointsAllowed: true, otp: '3301131' }],
    ['482019337523301131', null], // the flag digit is 0 or 1, nothing else
    ['482019337593301131', null],
    ['48201933751330113', null],
    ['4820193375133011311', null],
    ['48201933751330113a', null],
    ['', null],
  ])('%j → %j', (input, out) => expect(parseMemberCode(input)).toEqual(out));
});

describe('codeSecretFingerprint', () => {
  it('is 16 hex digits of HMAC-SHA-1(secret, "member-code fingerprint")', () => {
    expect(codeSecretFingerprint(rfcSecretHex)).toBe('5678b60494ecfb54');
    expect(codeSecretFingerprint('00'.repeat(20))).toBe('60ad2bd1aadfb325');
  });

  it('tells secrets apart without containing them', () => {
    const fp = codeSecretFingerprint(rfcSecretHex);
    expect(fp).not.toBe(codeSecretFingerprint('ff'.repeat(20)));
    expect(rfcSecretHex).not.toContain(fp);
  });
});

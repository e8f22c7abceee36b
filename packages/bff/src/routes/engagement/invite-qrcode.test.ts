import { beforeEach, describe, expect, it } from '@jest/globals';
import { landingParams } from '@member/shared';
import { MemberEntity } from '../../db/entities';
import { allowServerErrors, startTestApp, useTestApp, type TestApp } from '../../../test/support/test-app';

/**
 * The invite poster's mini-program code on WeChat (`GET /me/invitation/qrcode`): WeChat's
 * getwxacodeunlimit of the invite landing page with the member's own invite code as the scene, so a
 * friend who scans the poster with WeChat lands where registration binds them. Written as the
 * story (the friend scans and registers), as the ways it could leak or misfire (another member's
 * code, an outsider's token), WeChat's failures, and the quotas (cache and rate limit).
 */
const t = useTestApp();
type Member = Awaited<ReturnType<TestApp['member']>>;

const URL = '/api/v1/me/invitation/qrcode';
const codeOf = (m: Member) => m.member.inviteCode as string;
const binary = (res: { body: unknown }) => res.body as Buffer;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Codes WeChat made for this test file's members from here on. */
const codesFrom = (start: number) => t.wechat.codes.slice(start);

describe('GET /api/v1/me/invitation/qrcode', () => {
  it('answers the image WeChat made of the invite landing page with the member’s own invite code as the scene', async () => {
    const m = await t.member();
    const before = t.wechat.codes.length;
    const res = await t.http.get(URL).set(m.auth).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('no-store');
    const made = codesFrom(before);
    expect(made.map(({ image: _, ...asked }) => asked)).toEqual([
      { scene: codeOf(m), page: 'pages/index/index', checkPath: true, envVersion: 'release', width: t.config.runtime.inviteQrcode.width },
    ]);
    expect(binary(res).subarray(0, 8)).toEqual(PNG);
    expect(binary(res).equals(made[0].image)).toBe(true);
  });

  it('a friend who scans it lands with the scene, which registration takes as the inviter’s code', async () => {
    const inviter = await t.member();
    const before = t.wechat.codes.length;
    await t.http.get(URL).set(inviter.auth).expect(200);
    const [code] = codesFrom(before);
    // WeChat opens `page` with `query.scene` (URL-encoded); the landing page reads it like this.
    const landing = landingParams({ scene: encodeURIComponent(code.scene) });
    expect(landing).toEqual({ inviteCode: codeOf(inviter) });
    const friend = await t.member({ nickname: '扫码朋友', inviteCode: landing.inviteCode });
    expect((await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: friend.id })).invitedBy).toBe(inviter.id);
  });

  it('each member gets their own code, never another’s', async () => {
    const one = await t.member();
    const two = await t.member();
    const before = t.wechat.codes.length;
    const a = binary(await t.http.get(URL).set(one.auth).expect(200));
    const b = binary(await t.http.get(URL).set(two.auth).expect(200));
    expect(codesFrom(before).map((c) => c.scene)).toEqual([codeOf(one), codeOf(two)]);
    expect(a.equals(b)).toBe(false);
    // Asked again (from the cache), each still gets their own.
    expect(binary(await t.http.get(URL).set(two.auth).expect(200)).equals(b)).toBe(true);
    expect(binary(await t.http.get(URL).set(one.auth).expect(200)).equals(a)).toBe(true);
  });

  it('asks WeChat once per member while the image is kept (inviteQrcode.cacheSeconds), then again', async () => {
    const m = await t.member();
    const before = t.wechat.codes.length;
    const first = binary(await t.http.get(URL).set(m.auth).expect(200));
    const again = binary(await t.http.get(URL).set(m.auth).expect(200));
    expect(again.equals(first)).toBe(true);
    expect(codesFrom(before)).toHaveLength(1);
    t.clock.advance(t.config.runtime.inviteQrcode.cacheSeconds * 1000 + 1000);
    await t.http.get(URL).set(m.auth).expect(200);
    expect(codesFrom(before)).toHaveLength(2);
  });

  it('is for registered members only: 404 before registering, 401 without a token, 403 for staff', async () => {
    const session = await t.login();
    const before = t.wechat.codes.length;
    expect((await t.http.get(URL).set('Authorization', `Bearer ${session.token}`).expect(404)).body.error.code).toBe('NOT_FOUND');
    expect((await t.http.get(URL).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    const cashier = await t.staff('cashier');
    expect((await t.http.get(URL).set(cashier.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect(codesFrom(before)).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('lists the route with a file response (PNG or JPEG) and its errors', async () => {
    const doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, unknown> }> }>>;
    };
    const op = doc.paths[URL].get;
    expect(op.responses['200'].content).toEqual({
      'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } },
      'image/jpeg': { schema: { type: 'string', contentMediaType: 'image/jpeg' } },
    });
    expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '404', '429', '503']);
  });
});

describe('WeChat failures', () => {
  // Each of these provokes WeChat's failure on purpose: the contract's answer is 503.
  beforeEach(() => allowServerErrors(503));
  const warm = async () => {
    // The client holds an access token from an earlier call, so the failure is the code API's own.
    await t.http
      .get(URL)
      .set((await t.member()).auth)
      .expect(200);
  };

  it('the minute quota (45009) is 429 RATE_LIMITED with Retry-After; WeChat busy (-1) is 503 WECHAT_UNAVAILABLE', async () => {
    await warm();
    const m = await t.member();
    try {
      t.wechat.failWith = 45009;
      const quota = await t.http.get(URL).set(m.auth).expect(429);
      expect(quota.body.error.code).toBe('RATE_LIMITED');
      expect(quota.headers['retry-after']).toBe('60');
      t.wechat.failWith = -1;
      expect((await t.http.get(URL).set(m.auth).expect(503)).body.error.code).toBe('WECHAT_UNAVAILABLE');
    } finally {
      t.wechat.failWith = null;
    }
    // Nothing was kept from the failures: the member gets their code once WeChat is back.
    await t.http.get(URL).set(m.auth).expect(200);
  });

  it('a page missing from the released build (41030) is 503 WECHAT_UNAVAILABLE, with WeChat’s code in the details', async () => {
    await warm();
    const m = await t.member();
    t.wechat.pages.delete('pages/index/index');
    try {
      const res = await t.http.get(URL).set(m.auth).expect(503);
      expect(res.body.error).toMatchObject({ code: 'WECHAT_UNAVAILABLE', details: { errcode: 41030 } });
    } finally {
      t.wechat.pages.add('pages/index/index');
    }
  });

  it('an access token WeChat no longer accepts (40001) is 503 once; the next request asks for a new token and succeeds', async () => {
    await warm();
    const m = await t.member();
    t.wechat.expireAccessToken();
    expect((await t.http.get(URL).set(m.auth).expect(503)).body.error).toMatchObject({ code: 'WECHAT_UNAVAILABLE', details: { errcode: 40001 } });
    await t.http.get(URL).set(m.auth).expect(200);
  });

  it('WeChat not answering in time is 503 WECHAT_UNAVAILABLE', async () => {
    const m = await t.member();
    t.wechat.hang = true;
    try {
      expect((await t.http.get(URL).set(m.auth).expect(503)).body.error.code).toBe('WECHAT_UNAVAILABLE');
    } finally {
      t.wechat.hang = false;
    }
  });
});

describe('rate limit (rateLimits.inviteQrcode)', () => {
  it('counts every request per member, cached or not (429 past the limit); other members are not affected', async () => {
    const limited = await startTestApp({ tweak: (c) => (c.runtime.rateLimits.inviteQrcode = { perMember: { points: 3, durationSeconds: 60 } }) });
    try {
      const one = await limited.member();
      const two = await limited.member();
      const go = async (m: Member) => (await limited.http.get(URL).set(m.auth)).status;
      expect([await go(one), await go(one), await go(one), await go(one)]).toEqual([200, 200, 200, 429]);
      expect(limited.wechat.codes).toHaveLength(1);
      expect(await go(two)).toBe(200);
      const refused = await limited.http.get(URL).set(one.auth).expect(429);
      expect(refused.body.error.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.contractViolations).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});

import { describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { allowServerErrors, startTestApp, useTestApp } from '../../../test/support/test-app';

/** The subject of a token the BFF issued (its payload is a JSON object, never a bare string). */
const subjectOf = (token: string) => (jwt.decode(token) as jwt.JwtPayload).sub as string;

const t = useTestApp();

describe('POST /api/v1/auth/wechat', () => {
  it('exchanges a wx.login code through code2Session for a member token and a code secret', async () => {
    const code = t.wechat.loginCode('openid-alice');
    const res = await t.http.post('/api/v1/auth/wechat').send({ code }).expect(200);
    expect(res.body.data).toMatchObject({ registered: false, member: null, codePeriodSeconds: 30 });
    expect(res.body.data.token).toEqual(expect.any(String));
    expect(res.body.data.codeSecret).toMatch(/^[0-9a-f]{40}$/);
    expect(res.body.data.codeRef).toMatch(/^\d{10}$/);
    const call = t.wechat.calls.find((c) => c.query.js_code === code)!;
    expect(call.query).toMatchObject({ appid: t.wechat.appId, grant_type: 'authorization_code' });
  });

  it('never returns session_key or the openid', async () => {
    const res = await t.http
      .post('/api/v1/auth/wechat')
      .send({ code: t.wechat.loginCode('openid-secretive') })
      .expect(200);
    expect(JSON.stringify(res.body)).not.toMatch(/openid-secretive|session_?key/i);
  });

  it('a second login finds the same account and rotates the code secret', async () => {
    const a = await t.http
      .post('/api/v1/auth/wechat')
      .send({ code: t.wechat.loginCode('openid-bob') })
      .expect(200);
    const b = await t.http
      .post('/api/v1/auth/wechat')
      .send({ code: t.wechat.loginCode('openid-bob') })
      .expect(200);
    expect(subjectOf(a.body.data.token)).toBe(subjectOf(b.body.data.token));
    expect(b.body.data.codeRef).toBe(a.body.data.codeRef);
    expect(b.body.data.codeSecret).not.toBe(a.body.data.codeSecret);
  });

  it('concurrent first logins of one WeChat user create one account', async () => {
    const codes = Array.from({ length: 8 }, () => t.wechat.loginCode('openid-racer'));
    const res = await Promise.all(codes.map((code) => t.http.post('/api/v1/auth/wechat').send({ code })));
    expect(res.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(res.map((r) => subjectOf(r.body.data.token))).size).toBe(1);
  });

  it('refuses an unknown code with 401 UNAUTHENTICATED', async () => {
    const res = await t.http.post('/api/v1/auth/wechat').send({ code: 'not-a-real-code' }).expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a code used before (wx.login codes are single-use)', async () => {
    const code = t.wechat.loginCode('openid-once');
    await t.http.post('/api/v1/auth/wechat').send({ code }).expect(200);
    const res = await t.http.post('/api/v1/auth/wechat').send({ code }).expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('maps WeChat throttling to 429 and outages to 503', async () => {
    allowServerErrors(503);
    t.wechat.failWith = 45011;
    const limited = await t.http.post('/api/v1/auth/wechat').send({ code: 'x' }).expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('60');
    t.wechat.failWith = -1;
    const before = t.logLines.length;
    const busy = await t.http.post('/api/v1/auth/wechat').send({ code: 'x' }).expect(503);
    expect(busy.body.error.code).toBe('WECHAT_UNAVAILABLE');
    t.wechat.failWith = null;
    // The outage is in the log for the operator, without the caller's code.
    const warned = t.logLines.slice(before).filter((l) => l.includes('dependency unavailable'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('WECHAT_UNAVAILABLE');
  });

  it('answers 503 when WeChat does not answer in time', async () => {
    allowServerErrors(503);
    t.wechat.hang = true;
    const res = await t.http
      .post('/api/v1/auth/wechat')
      .send({ code: t.wechat.loginCode('openid-slow') })
      .expect(503);
    expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE');
    t.wechat.hang = false;
  });

  it.each([[{}], [{ code: '' }], [{ code: 123 }], [{ code: 'x'.repeat(129) }], [{ code: 'ok', extra: true }]])(
    'rejects the malformed body %j with 400 VALIDATION_FAILED',
    async (body) => {
      const res = await t.http.post('/api/v1/auth/wechat').send(body).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.issues.length).toBeGreaterThan(0);
    },
  );
});

describe('POST /api/v1/auth/dev', () => {
  it('logs in by openid where dev login is enabled', async () => {
    const res = await t.http.post('/api/v1/auth/dev').send({ openid: 'dev-user-1' }).expect(200);
    expect(res.body.data.registered).toBe(false);
  });

  it('does not exist where dev login is disabled', async () => {
    const off = await startTestApp({ devLogin: false });
    try {
      const res = await off.http.post('/api/v1/auth/dev').send({ openid: 'dev-user-1' }).expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    } finally {
      await off.close();
    }
  });
});

describe('member tokens', () => {
  it('without an expiry are refused, even when correctly signed', async () => {
    const { token } = await t.login();
    const sub = (jwt.decode(token) as jwt.JwtPayload).sub;
    const forever = jwt.sign({}, t.config.appSecret, { subject: sub, audience: 'member', issuer: 'member-center' });
    expect((await t.http.get('/api/v1/me/code').set('Authorization', `Bearer ${forever}`).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
  });

  it('are read whatever the case of the scheme name (RFC 9110), and nothing but a token follows it', async () => {
    const token = (await t.member()).auth.Authorization.slice('Bearer '.length);
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) await t.http.get('/api/v1/me/code').set('Authorization', `${scheme} ${token}`).expect(200);
    for (const header of [`Basic ${token}`, `Bearer  ${token}`, `Bearer ${token} x`, token])
      await t.http.get('/api/v1/me/code').set('Authorization', header).expect(401);
  });

  it('are required on member routes (401 without, 401 tampered, 401 expired)', async () => {
    const { token } = await t.login();
    expect((await t.http.get('/api/v1/me/code').expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    const tampered = token.slice(0, -3) + (token.endsWith('aaa') ? 'bbb' : 'aaa');
    expect((await t.http.get('/api/v1/me/code').set('Authorization', `Bearer ${tampered}`).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    const expired = jwt.sign({}, t.config.appSecret, {
      subject: subjectOf(token),
      audience: 'member',
      issuer: 'member-center',
      expiresIn: -10,
    });
    expect((await t.http.get('/api/v1/me/code').set('Authorization', `Bearer ${expired}`).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    const foreign = jwt.sign({}, 'another-secret-another-secret-another', { subject: 'x', audience: 'member', issuer: 'member-center' });
    await t.http.get('/api/v1/me/code').set('Authorization', `Bearer ${foreign}`).expect(401);
  });

  it('of another audience are refused with 403 FORBIDDEN', async () => {
    const { token } = await t.login();
    const staff = t.tokens.issue({ aud: 'staff', sub: subjectOf(token), store: 'any-store', role: 'cashier' }, 60).token;
    const res = await t.http.get('/api/v1/me').set('Authorization', `Bearer ${staff}`).expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });
});

describe('rate limiting of auth routes', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the configured limit', async () => {
    const limited = await startTestApp({ tweak: (c) => (c.runtime.rateLimits.devLogin = { points: 3, durationSeconds: 60 }) });
    try {
      for (let i = 0; i < 3; i++)
        await limited.http
          .post('/api/v1/auth/dev')
          .send({ openid: `rl-${i}` })
          .expect(200);
      const res = await limited.http.post('/api/v1/auth/dev').send({ openid: 'rl-x' }).expect(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // Each kind of sign-in has its own bucket: the dev-login flood does not stop staff signing in.
      const staff = await limited.staff('cashier');
      expect(staff.token).toEqual(expect.any(String));
    } finally {
      await limited.close();
    }
  });

  it('behind a trusted proxy, a client cannot pick its own address by writing X-Forwarded-For: the proxy-appended entry counts', async () => {
    const proxied = await startTestApp({
      tweak: (c) => {
        c.runtime.http.trustProxy = true;
        c.runtime.rateLimits.memberLogin = { points: 30, durationSeconds: 60 };
      },
    });
    try {
      // What an appending proxy (nginx's $proxy_add_x_forwarded_for) passes on for one real client writing a new address each time.
      const login = (i: number) =>
        proxied.http
          .post('/api/v1/auth/wechat')
          .set('X-Forwarded-For', `10.1.0.${i}, 203.0.113.77`)
          .send({ code: proxied.wechat.loginCode(`spoofer-${i}`) });
      for (let i = 0; i < 30; i++) await login(i).expect(200);
      await login(30).expect(429);
    } finally {
      await proxied.close();
    }
  });

  it('behind a trusted proxy, 31 logins a minute from one proxy address for different clients all succeed', async () => {
    const proxied = await startTestApp({
      tweak: (c) => {
        c.runtime.http.trustProxy = true;
        c.runtime.rateLimits.memberLogin = { points: 30, durationSeconds: 60 };
      },
    });
    try {
      for (let i = 0; i < 31; i++) {
        await proxied.http
          .post('/api/v1/auth/wechat')
          .set('X-Forwarded-For', `203.0.113.${i + 1}`)
          .send({ code: proxied.wechat.loginCode(`proxied-${i}`) })
          .expect(200);
      }
      // The same client beyond its own allowance is still limited.
      for (let i = 0; i < 30; i++)
        await proxied.http
          .post('/api/v1/auth/wechat')
          .set('X-Forwarded-For', '198.51.100.7')
          .send({ code: proxied.wechat.loginCode(`same-${i}`) });
      await proxied.http
        .post('/api/v1/auth/wechat')
        .set('X-Forwarded-For', '198.51.100.7')
        .send({ code: proxied.wechat.loginCode('same-x') })
        .expect(429);
    } finally {
      await proxied.close();
    }
  });
});

describe('logs', () => {
  it('hold no openid, phone number, code or token', async () => {
    const openid = 'openid-never-logged-7731';
    const phone = '13912345678';
    const session = await t.login(openid);
    await t.http
      .post('/api/v1/members')
      .set('Authorization', `Bearer ${session.token}`)
      .send({ nickname: '日志', phoneCode: t.wechat.phoneCode(phone), consentVersion: t.config.loyalty.privacy.consentVersion })
      .expect(201);
    await t.http.get('/api/v1/me/export').set('Authorization', `Bearer ${session.token}`).expect(200);
    const all = t.logLines.join('\n');
    expect(all).toContain('"route":"/api/v1/members"');
    for (const secret of [openid, phone, session.token, session.body.codeSecret]) expect(all).not.toContain(secret);
  });
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import { MemberEntity } from '../../db/entities';
import { startTestApp, useTestApp } from '../../../test/support/test-app';

const t = useTestApp();
let consentVersion: string;
beforeAll(() => {
  consentVersion = t.config.loyalty.privacy.consentVersion;
});

const memberCount = () => t.dataSource.manager.countBy(MemberEntity, { status: 'active' });

describe('POST /api/v1/members', () => {
  it('registers even when the welcome coupon has run out (the gift is skipped, not the member)', async () => {
    const admin = await t.staff('admin');
    const code = t.config.loyalty.couponEvents.registration;
    if (!code) throw new Error('the shipped configuration has a registration coupon');
    const template = await t.services.coupons.template(code);
    await t.http.patch(`/api/v1/admin/coupon-templates/${template.id}`).set(admin.auth).send({ totalStock: template.issuedCount }).expect(200);
    try {
      const m = await t.member();
      expect((await t.services.coupons.list(m.id, 'available')).some((c) => c.templateId === template.id)).toBe(false);
      expect(t.logLines.some((l) => l.includes('gift coupon not issued'))).toBe(true);
    } finally {
      await t.http.patch(`/api/v1/admin/coupon-templates/${template.id}`).set(admin.auth).send({ totalStock: null }).expect(200);
    }
  });

  it('registers a logged-in WeChat user with consent and returns 201 with the member', async () => {
    const { token } = await t.login();
    const res = await t.http
      .post('/api/v1/members')
      .set('Authorization', `Bearer ${token}`)
      .send({ nickname: '  小红  ', birthday: '1995-03-08', phone: '13800138000', consentVersion })
      .expect(201);
    expect(res.body.data).toMatchObject({
      nickname: '小红',
      birthday: '1995-03-08',
      phoneMasked: '138****8000',
      tier: { code: 'normal', name: '普通会员', discountPercent: 100 },
      growth: 0,
      pointsBalance: 0,
      consentVersion,
    });
    expect(res.body.data.inviteCode).toMatch(/^[A-Z0-9]{8}$/);
  });

  it('stores the phone encrypted with a keyed hash, never in clear', async () => {
    const m = await t.member({ phone: '13700001111' });
    const row = await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: m.id });
    expect(row.phoneEnc).not.toContain('13700001111');
    expect(row.phoneHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.openidEnc).not.toContain(m.openid);
    expect(t.services.members.phoneOf(row)).toBe('13700001111');
  });

  it('takes the phone number from WeChat getPhoneNumber when a phoneCode is given', async () => {
    const m = await t.member({ phoneCode: t.wechat.phoneCode('13600002222') });
    expect(m.member.phoneMasked).toBe('136****2222');
    expect(t.wechat.calls.some((c) => c.path === '/cgi-bin/stable_token')).toBe(true);
  });

  it('refuses a phoneCode WeChat rejects with 400, registering nothing', async () => {
    const { token } = await t.login();
    const before = await memberCount();
    const res = await t.http
      .post('/api/v1/members')
      .set('Authorization', `Bearer ${token}`)
      .send({ nickname: 'x', phoneCode: 'bogus', consentVersion })
      .expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await memberCount()).toBe(before);
  });

  it('rate-limits the paid phone-number call per member', async () => {
    const limited = await startTestApp({ tweak: (c) => (c.runtime.rateLimits.phoneNumber = { points: 2, durationSeconds: 3600 }) });
    try {
      const { token } = await limited.login();
      const send = () =>
        limited.http
          .post('/api/v1/members')
          .set('Authorization', `Bearer ${token}`)
          .send({ nickname: 'x', phoneCode: 'bogus', consentVersion: limited.config.loyalty.privacy.consentVersion });
      expect((await send()).status).toBe(400);
      expect((await send()).status).toBe(400);
      const res = await send();
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it('answers 409 ALREADY_REGISTERED to a second registration', async () => {
    const m = await t.member();
    const res = await t.http.post('/api/v1/members').set(m.auth).send({ nickname: '又来', consentVersion }).expect(409);
    expect(res.body.error.code).toBe('ALREADY_REGISTERED');
  });

  it('registers once when the same account registers concurrently', async () => {
    const { token } = await t.login();
    const res = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.http
          .post('/api/v1/members')
          .set('Authorization', `Bearer ${token}`)
          .send({ nickname: `并发${i}`, consentVersion }),
      ),
    );
    expect(res.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
  });

  it('answers a taken phone number exactly like an account that is already a member', async () => {
    const owner = await t.member({ phone: '13511112222' });
    const { token } = await t.login();
    const taken = await t.http
      .post('/api/v1/members')
      .set('Authorization', `Bearer ${token}`)
      .send({ nickname: '冒名', phone: '13511112222', consentVersion })
      .expect(409);
    const again = await t.http.post('/api/v1/members').set(owner.auth).send({ nickname: '又来', consentVersion }).expect(409);
    // Nothing in the answer says whose the number is, or that it was the number at all.
    expect(taken.body).toEqual(again.body);
    expect(taken.body.error).toEqual({ code: 'ALREADY_REGISTERED', message: 'already registered' });
  });

  it('requires consent to the current privacy notice', async () => {
    const { token } = await t.login();
    const res = await t.http
      .post('/api/v1/members')
      .set('Authorization', `Bearer ${token}`)
      .send({ nickname: '旧版', consentVersion: '2020-01-01' })
      .expect(400);
    expect(res.body.error.details.issues[0].path).toEqual(['consentVersion']);
  });

  it.each([
    [{}],
    [{ nickname: '', consentVersion: 'v' }],
    [{ nickname: '   ', consentVersion: 'v' }],
    [{ nickname: 'x'.repeat(21), consentVersion: 'v' }],
    [{ nickname: '<script>', consentVersion: 'v' }],
    [{ nickname: 'ok' }],
    [{ nickname: 'ok', consentVersion: 'v', birthday: '1990-02-30' }],
    [{ nickname: 'ok', consentVersion: 'v', birthday: '19900101' }],
    [{ nickname: 'ok', consentVersion: 'v', phone: '12345' }],
    [{ nickname: 'ok', consentVersion: 'v', phone: '13800138000', phoneCode: 'x' }],
    [{ nickname: 'ok', consentVersion: 'v', inviteCode: 'lower' }],
    [{ nickname: 'ok', consentVersion: 'v', isAdmin: true }],
    [{ nickname: 42, consentVersion: 'v' }],
  ])('rejects %j with 400 VALIDATION_FAILED and registers nothing', async (body) => {
    const { token } = await t.login();
    const before = await memberCount();
    const res = await t.http.post('/api/v1/members').set('Authorization', `Bearer ${token}`).send(body).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await memberCount()).toBe(before);
  });

  it('refuses a logged-in but unregistered account on member-card routes', async () => {
    const { token } = await t.login();
    for (const path of ['/api/v1/me', '/api/v1/me/code', '/api/v1/me/points/ledger', '/api/v1/me/export']) {
      const res = await t.http.get(path).set('Authorization', `Bearer ${token}`);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 404, 'NOT_FOUND']);
    }
  });
});

describe('phone numbers are proven, and asking whose a number is costs', () => {
  it('in production refuses a typed phone number (400) and binds only a WeChat-verified phoneCode', async () => {
    const prod = await startTestApp({ production: true });
    try {
      expect(prod.config.env).toBe('production');
      const version = prod.config.loyalty.privacy.consentVersion;
      const squatter = await prod.login();
      const refused = await prod.http
        .post('/api/v1/members')
        .set('Authorization', `Bearer ${squatter.token}`)
        .send({ nickname: '抢注', phone: '13912340000', consentVersion: version })
        .expect(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(refused.body.error.message).toMatch(/verified by WeChat: send phoneCode/);
      expect(refused.body.error.details.issues[0].path).toEqual(['phone']);
      expect(await prod.dataSource.manager.countBy(MemberEntity, { status: 'active' })).toBe(0);

      // The owner of the number proves it through WeChat's getPhoneNumber button.
      const owner = await prod.login();
      const bound = await prod.http
        .post('/api/v1/members')
        .set('Authorization', `Bearer ${owner.token}`)
        .send({ nickname: '本人', phoneCode: prod.wechat.phoneCode('13912340000'), consentVersion: version })
        .expect(201);
      expect(bound.body.data.phoneMasked).toBe('139****0000');
    } finally {
      await prod.close();
    }
  });

  it('a loop probing which numbers are members hits 429, per member token and per address', async () => {
    const probed = await startTestApp({
      tweak: (c) => {
        c.runtime.http.trustProxy = true;
        c.runtime.rateLimits.registrationWithPhone = { perMember: { points: 3, durationSeconds: 3600 }, perAddress: { points: 5, durationSeconds: 600 } };
      },
    });
    try {
      const version = probed.config.loyalty.privacy.consentVersion;
      for (let i = 0; i < 3; i++) await probed.member({ phone: `1370000000${i}` });
      const probe = (token: string, phone: string, from: string) =>
        probed.http
          .post('/api/v1/members')
          .set('Authorization', `Bearer ${token}`)
          .set('X-Forwarded-For', from)
          .send({ nickname: '探测', phone, consentVersion: version });

      // One token trying number after number.
      const one = await probed.login();
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await probe(one.token, `1370000000${i}`, '203.0.113.7')).status);
      const limited = await probe(one.token, '13700000003', '203.0.113.7');
      expect([...statuses, limited.status]).toEqual([409, 409, 409, 429]);
      expect(limited.body.error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

      // A fresh token for every probe, from one address: the address runs out after its 5.
      const answers: number[] = [];
      for (let i = 0; i < 3; i++) answers.push((await probe((await probed.login()).token, `1370000000${i % 3}`, '203.0.113.8')).status);
      for (let i = 0; i < 3; i++) answers.push((await probe((await probed.login()).token, `1370000000${i % 3}`, '203.0.113.8')).status);
      expect(answers).toEqual([409, 409, 409, 409, 409, 429]);

      // Someone else, elsewhere, registers with their own number as usual.
      const neighbour = await probed.login();
      await probe(neighbour.token, '13700009999', '198.51.100.9').expect(201);
    } finally {
      await probed.close();
    }
  });
});

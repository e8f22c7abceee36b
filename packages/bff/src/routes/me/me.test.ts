import { beforeAll, describe, expect, it } from '@jest/globals';
import { codeSecretFingerprint, generateMemberCode } from '@member/shared';
import { MemberEntity } from '../../db/entities';
import { useTestApp } from '../../../test/support/test-app';

const t = useTestApp();
let consentVersion: string;
beforeAll(() => {
  consentVersion = t.config.loyalty.privacy.consentVersion;
});

describe('GET /api/v1/me', () => {
  it('shows a new member at the bottom tier with the way to the next', async () => {
    const m = await t.member();
    t.clock.set('2026-11-22T08:00:00Z');
    const res = await t.http.get('/api/v1/me').set(m.auth).expect(200);
    expect(res.body.data).toEqual({
      id: m.id,
      nickname: '小明',
      tier: { code: 'normal', name: '普通会员', discountPercent: 100 },
      growth: {
        value: 0,
        qualifying: 0,
        keep: null, // the lowest tier has nothing to keep
        currentTierMin: 0,
        nextTier: { code: 'silver', name: '银卡会员' },
        nextTierMin: 1000,
        toNext: 1000,
        percent: 0,
        yuanToNext: 1000,
      },
      points: { balance: 0, expiring: null },
      coupons: { available: 2 }, // the registration gift and the first-order coupon
      checkin: { today: false, streak: 0 },
      projection: { pointsPerYear: 0, worthCents: 0 },
      today: '2026-11-22',
      profile: { birthday: null, phoneMasked: null, birthdayChangeableFrom: null },
    });
  });

  it('carries the business day (Shanghai, not UTC) and the profile: birthday, masked phone, when the birthday may change again', async () => {
    const m = await t.member({ phone: '13812341234' });
    t.clock.set('2026-11-17T15:59:59Z'); // 23:59:59 on the 17th in Shanghai
    expect((await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data.today).toBe('2026-11-17');
    t.clock.set('2026-11-17T16:00:00Z'); // midnight: the 18th in Shanghai, still the 17th in UTC
    await t.http.patch('/api/v1/me').set(m.auth).send({ birthday: '1990-11-05' }).expect(200);
    const card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
    expect(card.today).toBe('2026-11-18');
    expect(card.profile).toEqual({ birthday: '1990-11-05', phoneMasked: '138****1234', birthdayChangeableFrom: '2027-11-17T16:00:00.000Z' });
    expect(JSON.stringify(card)).not.toContain('13812341234');
    t.clock.set('2027-11-17T16:00:00Z');
    expect((await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data.profile.birthdayChangeableFrom).toBeNull();
  });

  it('shows growth progress, the balance, the next expiry and the yearly projection', async () => {
    const m = await t.member();
    t.clock.set('2026-01-10T04:00:00Z');
    await t.services.points.credit(m.id, { amount: 300, reason: 'order', sourceKey: 'order:a' });
    t.clock.set('2026-03-01T04:00:00Z');
    await t.services.points.credit(m.id, { amount: 600, reason: 'order', sourceKey: 'order:b' });
    await t.services.points.addGrowth(m.id, { delta: 3000, reason: 'order', sourceKey: 'order:b' });
    t.clock.set('2026-12-20T04:00:00Z'); // lot a expires 2027-01-10, inside the 30-day warning
    const card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
    expect(card.tier.code).toBe('silver');
    expect(card.growth).toMatchObject({ value: 3000, currentTierMin: 1000, nextTier: { code: 'gold' }, toNext: 2000, percent: 50, yuanToNext: 2000 });
    expect(card.points).toEqual({ balance: 900, expiring: { amount: 300, on: '2027-01-10' } });
    expect(card.projection).toEqual({ pointsPerYear: 0, worthCents: 0 }); // nothing earned in the last 90 days
    t.clock.set('2026-03-02T04:00:00Z');
    const soon = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
    expect(soon.projection).toEqual({ pointsPerYear: Math.round((900 * 365) / 90), worthCents: Math.floor((Math.round((900 * 365) / 90) * 100) / 100) });
  });

  it('settles lapsed points before showing the balance', async () => {
    const m = await t.member();
    t.clock.set('2025-01-01T00:00:00Z');
    await t.services.points.credit(m.id, { amount: 120, reason: 'order', sourceKey: 'order:old' });
    t.clock.set('2026-01-02T00:00:00Z');
    const card = (await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data;
    expect(card.points.balance).toBe(0);
  });
});

describe('PATCH /api/v1/me', () => {
  it('changes the nickname', async () => {
    const m = await t.member();
    const res = await t.http.patch('/api/v1/me').set(m.auth).send({ nickname: '新名字' }).expect(200);
    expect(res.body.data.nickname).toBe('新名字');
  });

  it('sets the birthday once per profile.birthdayChangeDays (365 by default)', async () => {
    expect(t.config.loyalty.profile.birthdayChangeDays).toBe(365);
    const m = await t.member();
    t.clock.set('2026-05-01T00:00:00Z');
    await t.http.patch('/api/v1/me').set(m.auth).send({ birthday: '1990-06-01' }).expect(200);
    t.clock.set('2026-12-01T00:00:00Z');
    const refused = await t.http.patch('/api/v1/me').set(m.auth).send({ birthday: '1990-07-01' }).expect(422);
    expect(refused.body.error.code).toBe('LIMIT_REACHED');
    await t.http.patch('/api/v1/me').set(m.auth).send({ birthday: '1990-06-01' }).expect(200); // unchanged is fine
    t.clock.set('2027-05-02T00:00:00Z');
    const res = await t.http.patch('/api/v1/me').set(m.auth).send({ birthday: '1990-07-01' }).expect(200);
    expect(res.body.data.birthday).toBe('1990-07-01');
  });

  it.each([[{}], [{ nickname: '' }], [{ tier: 'diamond' }], [{ pointsBalance: 1_000_000 }]])('rejects %j with 400', async (body) => {
    const m = await t.member();
    const res = await t.http.patch('/api/v1/me').set(m.auth).send(body).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const row = await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: m.id });
    expect([row.nickname, row.tier, row.pointsBalance]).toEqual(['小明', 'normal', 0]);
  });
});

describe('GET /api/v1/me/code', () => {
  it('is the code the device derives offline from its secret, and changes every period', async () => {
    const m = await t.member();
    t.clock.set('2026-11-22T08:00:05Z');
    const res = await t.http.get('/api/v1/me/code').set(m.auth).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const device = generateMemberCode(m.body.codeRef, m.body.codeSecret, t.clock.now().getTime(), 30, false);
    expect(res.body.data).toEqual({
      code: device.code,
      expiresAt: '2026-11-22T08:00:30.000Z',
      periodSeconds: 30,
      pointsAllowed: false,
      secretFingerprint: codeSecretFingerprint(m.body.codeSecret),
    });
    expect(res.body.data.code).toMatch(/^\d{10}0\d{7}$/);
    t.clock.advance(30_000);
    const next = await t.http.get('/api/v1/me/code').set(m.auth).expect(200);
    expect(next.body.data.code).not.toBe(res.body.data.code);
  });

  it('with usePoints=true carries the points flag, exactly as the device derives it with 使用积分抵扣 on', async () => {
    const m = await t.member();
    t.clock.set('2026-11-22T08:00:05Z');
    const res = await t.http.get('/api/v1/me/code?usePoints=true').set(m.auth).expect(200);
    const device = generateMemberCode(m.body.codeRef, m.body.codeSecret, t.clock.now().getTime(), 30, true);
    expect(res.body.data).toMatchObject({ code: device.code, pointsAllowed: true });
    expect(res.body.data.code.slice(10, 11)).toBe('1');
    const off = await t.http.get('/api/v1/me/code?usePoints=false').set(m.auth).expect(200);
    expect(off.body.data.code.slice(0, 10)).toBe(device.code.slice(0, 10));
    expect(off.body.data.code).not.toBe(device.code);
    const bad = await t.http.get('/api/v1/me/code?usePoints=yes').set(m.auth).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a new login rotates the secret: codes from the old one no longer match', async () => {
    const m = await t.member();
    t.clock.set('2026-11-22T08:00:05Z');
    const old = generateMemberCode(m.body.codeRef, m.body.codeSecret, t.clock.now().getTime(), 30, false).code;
    const again = await t.http
      .post('/api/v1/auth/wechat')
      .send({ code: t.wechat.loginCode(m.openid) })
      .expect(200);
    expect(again.body.data.registered).toBe(true);
    expect(again.body.data.member.id).toBe(m.id);
    const current = await t.http.get('/api/v1/me/code').set('Authorization', `Bearer ${again.body.data.token}`).expect(200);
    expect(current.body.data.code).not.toBe(old);
    expect(current.body.data.code).toBe(generateMemberCode(m.body.codeRef, again.body.data.codeSecret, t.clock.now().getTime(), 30, false).code);
  });

  it('tells the stale device that its secret was rotated by another login, without handing it the new secret', async () => {
    const m = await t.member();
    // The first phone holds m.body.codeSecret and m's token; the member then signs in on another phone.
    const second = await t.http
      .post('/api/v1/auth/wechat')
      .send({ code: t.wechat.loginCode(m.openid) })
      .expect(200);
    const stale = await t.http.get('/api/v1/me/code').set(m.auth).expect(200);
    const raw = JSON.stringify(stale.body);
    expect(stale.body.data.secretFingerprint).not.toBe(codeSecretFingerprint(m.body.codeSecret));
    expect(stale.body.data.secretFingerprint).toBe(codeSecretFingerprint(second.body.data.codeSecret));
    expect(raw).not.toContain(second.body.data.codeSecret);
    // The code the stale phone would show is dead at the counter.
    const cashier = await t.staff('cashier');
    const refused = await t.http
      .post('/api/v1/counter/lookup')
      .set(cashier.auth)
      .send({ code: t.codeOf(m) })
      .expect(422);
    expect(refused.body.error.code).toBe('CODE_INVALID');
  });
});

describe('GET /api/v1/me/tier-history and growth ledger', () => {
  it('records registration and every upgrade, newest first', async () => {
    const m = await t.member();
    await t.services.points.addGrowth(m.id, { delta: 1200, reason: 'order', sourceKey: 'o1' });
    await t.services.points.addGrowth(m.id, { delta: 19_000, reason: 'order', sourceKey: 'o2' });
    const res = await t.http.get('/api/v1/me/tier-history').set(m.auth).expect(200);
    expect(res.body.data.map((h: { from: string | null; to: string; reason: string }) => [h.from, h.to, h.reason])).toEqual([
      ['silver', 'diamond', 'upgrade'],
      ['normal', 'silver', 'upgrade'],
      [null, 'normal', 'registration'],
    ]);
    const ledger = await t.http.get('/api/v1/me/growth/ledger').set(m.auth).expect(200);
    expect(ledger.body.data.map((e: { delta: number; valueAfter: number }) => [e.delta, e.valueAfter])).toEqual([
      [19_000, 20_200],
      [1200, 1200],
    ]);
    expect(ledger.body.nextCursor).toBeNull();
  });
});

describe('GET /api/v1/me/export and DELETE /api/v1/me', () => {
  it('exports every piece of personal data the member has', async () => {
    const m = await t.member({ phone: '13312345678', birthday: '1988-08-08' });
    await t.services.points.credit(m.id, { amount: 50, reason: 'checkin', sourceKey: 'c1' });
    const res = await t.http.get('/api/v1/me/export').set(m.auth).expect(200);
    expect(res.body.data.member).toMatchObject({ id: m.id, nickname: '小明', birthday: '1988-08-08', phone: '13312345678' });
    expect(res.body.data.pointsLedger).toHaveLength(1);
    expect(res.body.data.tierHistory).toHaveLength(1);
    expect(res.body.data.coupons.map((c: { title: string }) => c.title).sort()).toEqual(['新人无门槛券', '首单满100减30'].sort());
    expect(res.body.data.orders).toEqual([]);
  });

  it('erases personal data, keeps the anonymous ledger, and ends the session', async () => {
    const m = await t.member({ phone: '13212345678', birthday: '1977-07-07' });
    await t.services.points.credit(m.id, { amount: 80, reason: 'checkin', sourceKey: 'c1' });
    await t.http
      .delete('/api/v1/me')
      .set(m.auth)
      .expect(200, { data: { erased: true } });
    const row = await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: m.id });
    expect(row).toMatchObject({ status: 'erased', nickname: null, birthday: null, phoneEnc: null, phoneHash: null, openidEnc: null, openidHash: null });
    expect(row.pointsBalance).toBe(80); // the ledger and balance stay true
    expect((await t.http.get('/api/v1/me').set(m.auth).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    // The same WeChat user and phone may join again as a new member.
    const again = await t.login(m.openid);
    expect(again.body.registered).toBe(false);
    await t.http
      .post('/api/v1/members')
      .set('Authorization', `Bearer ${again.token}`)
      .send({ nickname: '回来了', phone: '13212345678', consentVersion })
      .expect(201);
  });

  it('the erase-and-re-register loop gets the welcome coupons once per person, by WeChat identity or by phone', async () => {
    const welcome = async (auth: Record<string, string>) => (await t.http.get('/api/v1/me/coupons').set(auth).expect(200)).body.data.length as number;
    const first = await t.member({ phone: '13300001111' });
    expect(await welcome(first.auth)).toBeGreaterThan(0);
    await t.http.delete('/api/v1/me').set(first.auth).expect(200);

    // Same WeChat identity, same phone.
    const again = await t.login(first.openid);
    const auth = { Authorization: `Bearer ${again.token}` };
    await t.http.post('/api/v1/members').set(auth).send({ nickname: '又来了', phone: '13300001111', consentVersion }).expect(201);
    expect(await welcome(auth)).toBe(0);
    await t.http.delete('/api/v1/me').set(auth).expect(200);

    // Same WeChat identity, another phone; then a new WeChat identity with the first phone.
    const third = await t.login(first.openid);
    const auth3 = { Authorization: `Bearer ${third.token}` };
    await t.http.post('/api/v1/members').set(auth3).send({ nickname: '换号', phone: '13300002222', consentVersion }).expect(201);
    expect(await welcome(auth3)).toBe(0);
    const other = await t.member({ phone: '13300001111' });
    expect(await welcome(other.auth)).toBe(0);

    // Someone who never was a member still gets them.
    expect(await welcome((await t.member()).auth)).toBeGreaterThan(0);
  });
});

describe('GET /api/v1/me/points/ledger', () => {
  it('lists the member’s own entries newest first, paged by an opaque cursor', async () => {
    const m = await t.member();
    for (let i = 1; i <= 5; i++) await t.services.points.credit(m.id, { amount: i, reason: 'checkin', sourceKey: `c${i}` });
    const first = await t.http.get('/api/v1/me/points/ledger?limit=2').set(m.auth).expect(200);
    expect(first.body.data.map((e: { delta: number }) => e.delta)).toEqual([5, 4]);
    expect(first.body.data[0]).toEqual({
      id: expect.any(String),
      delta: 5,
      balanceAfter: 15,
      reason: 'checkin',
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      event: expect.any(String),
    });
    const second = await t.http.get(`/api/v1/me/points/ledger?limit=2&cursor=${first.body.nextCursor}`).set(m.auth).expect(200);
    expect(second.body.data.map((e: { delta: number }) => e.delta)).toEqual([3, 2]);
    const third = await t.http.get(`/api/v1/me/points/ledger?limit=2&cursor=${second.body.nextCursor}`).set(m.auth).expect(200);
    expect(third.body.data.map((e: { delta: number }) => e.delta)).toEqual([1]);
    expect(third.body.nextCursor).toBeNull();
  });

  it('never shows another member’s entries', async () => {
    const a = await t.member();
    const b = await t.member();
    await t.services.points.credit(a.id, { amount: 77, reason: 'adjust', sourceKey: 'a' });
    const res = await t.http.get('/api/v1/me/points/ledger').set(b.auth).expect(200);
    expect(res.body.data).toEqual([]);
    const mine = await t.http.get('/api/v1/me/points/ledger').set(a.auth).expect(200);
    expect(mine.body.data.map((e: { delta: number }) => e.delta)).toEqual([77]);
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'cursor=%%%', 'cursor=bm90LWFuLWlk'])('rejects ?%s with 400', async (q) => {
    const m = await t.member();
    const res = await t.http.get(`/api/v1/me/points/ledger?${q}`).set(m.auth).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

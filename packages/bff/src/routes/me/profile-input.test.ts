import { describe, expect, it } from '@jest/globals';
import { MallItemEntity, MemberEntity } from '../../db/entities';
import { useTestApp } from '../../../test/support/test-app';

/**
 * What a member types is shown to others (the counter, pickups): a nickname cannot carry text that
 * reads backwards or hides, and is counted as people count characters; a birthday is a real one.
 */
const t = useTestApp();
const RLO = '\u202e';
/** A new WeChat user's registration, expected to answer `status`. */
const register = async (body: Record<string, unknown>, status: number) => {
  const { token } = await t.login();
  return t.http
    .post('/api/v1/members')
    .set('Authorization', `Bearer ${token}`)
    .send({ consentVersion: t.config.loyalty.privacy.consentVersion, ...body })
    .expect(status);
};
const futureDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('nicknames as others will see them', () => {
  it('registration keeps the name and drops bidirectional and zero-width characters, as the cashier sees it', async () => {
    const res = await register({ nickname: `\u200b${RLO}gnp.exe\u2066\u200d ` }, 201);
    expect(res.body.data.nickname).toBe('gnp.exe');
    const stored = await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: res.body.data.id });
    expect(stored.nickname).toBe('gnp.exe');
  });

  it('20 emoji are 20 characters; the 21st is refused', async () => {
    const twenty = '😀'.repeat(20);
    expect((await register({ nickname: twenty }, 201)).body.data.nickname).toBe(twenty);
    const m = await t.member();
    await t.http
      .patch('/api/v1/me')
      .set(m.auth)
      .send({ nickname: '🍵'.repeat(20) })
      .expect(200);
    expect((await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data.nickname).toBe('🍵'.repeat(20));
    const tooLong = await t.http
      .patch('/api/v1/me')
      .set(m.auth)
      .send({ nickname: '🍵'.repeat(21) })
      .expect(400);
    expect(tooLong.body.error.details.issues[0].path).toEqual(['nickname']);
    await register({ nickname: '😀'.repeat(21) }, 400);
  });

  it('an all-invisible nickname is a validation error, and changes nothing', async () => {
    const before = await t.dataSource.manager.countBy(MemberEntity, { status: 'active' });
    for (const nickname of ['\u200b\u200c\u200d', `${RLO}\u2066\u2069`, '\ufeff \u3164', '\u0007']) {
      expect((await register({ nickname }, 400)).body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await t.dataSource.manager.countBy(MemberEntity, { status: 'active' })).toBe(before);
    const m = await t.member();
    await t.http.patch('/api/v1/me').set(m.auth).send({ nickname: '\u200b\u2060' }).expect(400);
    expect((await t.http.get('/api/v1/me').set(m.auth).expect(200)).body.data.nickname).toBe('小明');
  });
});

describe('birthdays', () => {
  it('cannot be in the future, at registration or later', async () => {
    expect((await register({ nickname: '未来人', birthday: futureDay(2) }, 400)).body.error.details.issues[0].path).toEqual(['birthday']);
    const m = await t.member();
    await t.http.patch('/api/v1/me').set(m.auth).send({ birthday: '2999-01-01' }).expect(400);
    await t.http.patch('/api/v1/me').set(m.auth).send({ birthday: '1850-01-01' }).expect(400);
    const stored = await t.dataSource.manager.findOneByOrFail(MemberEntity, { id: m.id });
    expect(stored.birthday).toBeNull();
    await t.http.patch('/api/v1/me').set(m.auth).send({ birthday: '1990-02-28' }).expect(200);
  });
});

describe('mall pictures', () => {
  it('an imageUrl is a site path or an https URL; //host, /\\host, javascript: and http: are refused', async () => {
    const admin = await t.staff('admin');
    const mug = await t.adminItem(admin.auth, { imageUrl: '/assets/mall/mug.png' });
    for (const imageUrl of [
      '//evil.example.com/x.png',
      '/\\evil.example.com/x.png',
      'javascript:alert(1)',
      'http://cdn.example.com/x.png',
      'data:image/svg+xml,<svg/>',
    ]) {
      const created = await t.http
        .post('/api/v1/admin/mall-items')
        .set(admin.auth)
        .send({ kind: 'physical', title: '杯', pointsCost: 10, stock: 1, imageUrl })
        .expect(400);
      expect(created.body.error.details.issues[0].path).toEqual(['imageUrl']);
      await t.http.patch(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).send({ imageUrl }).expect(400);
    }
    expect((await t.dataSource.manager.findOneByOrFail(MallItemEntity, { id: mug.id })).imageUrl).toBe('/assets/mall/mug.png');
    await t.http.patch(`/api/v1/admin/mall-items/${mug.id}`).set(admin.auth).send({ imageUrl: 'https://cdn.example.com/mug.png' }).expect(200);
  });
});

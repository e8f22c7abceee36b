import { beforeAll, describe, expect, it } from '@jest/globals';
import { useTestApp, type TestApp } from '../../../test/support/test-app';

const t = useTestApp();
let cashier: Awaited<ReturnType<TestApp['staff']>>;
beforeAll(async () => {
  cashier = await t.staff('cashier');
});

const ORDINARY_DAY = '2026-11-20T04:00:00Z';

describe('POST /api/v1/staff/sessions', () => {
  it('signs staff in with a staff token; admins get an admin token', async () => {
    const admin = await t.staff('admin');
    expect(JSON.parse(Buffer.from(cashier.token.split('.')[1], 'base64url').toString()).aud).toBe('staff');
    expect(JSON.parse(Buffer.from(admin.token.split('.')[1], 'base64url').toString()).aud).toBe('admin');
  });

  it('locks an account after repeated wrong passwords, even for the right one, until the lock lapses', async () => {
    const s = await t.staff('cashier');
    t.clock.set(ORDINARY_DAY);
    for (let i = 0; i < t.config.runtime.staffAuth.maxFailedAttempts - 1; i++) {
      expect((await t.http.post('/api/v1/staff/sessions').send({ username: s.username, password: 'wrong' })).status).toBe(401);
    }
    const locked = await t.http.post('/api/v1/staff/sessions').send({ username: s.username, password: 'wrong' }).expect(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBe(t.config.runtime.staffAuth.lockoutSeconds);
    await t.http.post('/api/v1/staff/sessions').send({ username: s.username, password: 'correct horse battery' }).expect(429);
    t.clock.advance(t.config.runtime.staffAuth.lockoutSeconds * 1000 + 1);
    await t.http.post('/api/v1/staff/sessions').send({ username: s.username, password: 'correct horse battery' }).expect(200);
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const res = await t.http.post('/api/v1/staff/sessions').send({ username: 'nobody', password: 'whatever' }).expect(401);
    expect(res.body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'wrong username or password' });
  });

  it('stores a scrypt hash, not the password', async () => {
    const row = await t.dataSource.query('SELECT password_hash AS h FROM staff WHERE username = ?', [cashier.username]);
    expect(row[0].h).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(row[0].h).not.toContain('correct horse');
  });
});

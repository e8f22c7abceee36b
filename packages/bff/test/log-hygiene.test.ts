import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { testRoute } from './support/test-route';
import { allowServerErrors, useTestApp } from './support/test-app';

/**
 * No log line holds a phone number, an openid, a member or staff token, or a code secret. A broad
 * run (sign-in through the fake WeChat server, registration with a phone, card, code, counter
 * order and refund, export, erase, a failing query with a phone and an openid among its
 * parameters, an unmatched route with a phone number in its path, staff sign-in) is captured
 * through the logger's destination (every line, at debug level) and searched for each value.
 */
const PHONE = '13912345678';
const OPENID = 'o_loghygiene_secret_openid';
const t = useTestApp({
  tweak: (c) => {
    c.logLevel = 'debug';
  },
  extraRoutes: (s) => [
    testRoute({
      method: 'get',
      path: '/api/v1/test/failing-lookup',
      tag: 'test',
      summary: 'a query that fails with a phone number and an openid among its parameters',
      auth: 'public',
      response: z.object({}),
      handler: async () => {
        await s.db.rows('SELECT no_such_column FROM members WHERE phone_hash = ? OR openid_hash = ?', [PHONE, OPENID]);
        return {};
      },
    }),
  ],
});

describe('logs', () => {
  it('hold no phone number, openid, token or code secret after a broad run', async () => {
    const start = t.logLines.length;
    const secrets: Record<string, string> = { phone: PHONE, openid: OPENID };

    // A member signs in through WeChat, registers with a phone, looks at the card and the code.
    const session = await t.login(OPENID);
    secrets.memberToken = session.token;
    secrets.codeSecret = session.body.codeSecret;
    const auth = { Authorization: `Bearer ${session.token}` };
    const registered = await t.http
      .post('/api/v1/members')
      .set(auth)
      .send({ nickname: '日志', phone: PHONE, consentVersion: t.config.loyalty.privacy.consentVersion })
      .expect(201);
    const memberId = registered.body.data.id as string;
    await t.services.points.credit(memberId, { amount: 500, reason: 'adjust', sourceKey: 'log:setup' });
    await t.http.get('/api/v1/me').set(auth).expect(200);
    const code = (await t.http.get('/api/v1/me/code').set(auth).expect(200)).body.data.code as string;
    secrets.memberCode = code;
    // The same phone again, from another account: refused, and the number still not logged.
    const other = await t.login();
    await t.http.post('/api/v1/members').set('Authorization', `Bearer ${other.token}`).send({ nickname: '别人', phone: PHONE, consentVersion: 'x' });

    // A cashier signs in (once with a wrong password), looks the member up, takes an order, refunds part of it.
    const cashier = await t.staff('cashier');
    secrets.staffToken = cashier.token;
    await t.http.post('/api/v1/staff/sessions').send({ username: cashier.username, password: 'wrong password' }).expect(401);
    await t.http.post('/api/v1/counter/lookup').set(cashier.auth).send({ code }).expect(200);
    const order = (await t.http.post('/api/v1/counter/orders').set(cashier.auth).send({ code, amountCents: 5000, receiptNo: 'LOG-1' }).expect(201)).body.data;
    await t.http
      .post(`/api/v1/counter/orders/${order.id as string}/refunds`)
      .set(cashier.auth)
      .send({ refundNo: 'LOG-R1', amountCents: 100 })
      .expect(201);
    await t.http.get('/api/v1/counter/orders').query({ receiptNo: PHONE }).set(cashier.auth).expect(404);

    // Failures: a query that fails with the phone and openid as parameters; a phone number in an unmatched path.
    allowServerErrors(500);
    await t.http.get('/api/v1/test/failing-lookup').expect(500);
    await t.http.get(`/api/v1/lookup/${PHONE}`).expect(404);
    await t.http.get(`/api/v1/me/${PHONE}?phone=${PHONE}`).set(auth).expect(404);
    await t.http.post('/api/v1/auth/dev').send({ openid: OPENID }).expect(200);

    // The member exports their data and erases the account.
    expect(JSON.stringify((await t.http.get('/api/v1/me/export').set(auth).expect(200)).body)).toContain(PHONE);
    await t.http.delete('/api/v1/me').set(auth).expect(200);
    await t.http.get('/api/v1/me').set(auth).expect(401);

    const lines = t.logLines.slice(start);
    // The run was logged, request by request, so an empty log cannot pass.
    const all = lines.join('');
    for (const route of ['/api/v1/members', '/api/v1/me/code', '/api/v1/counter/orders/:id/refunds', '/api/v1/me/export', '(no route)']) {
      expect(all).toContain(`"route":"${route}"`);
    }
    expect(all).toContain('QueryFailedError');
    // What failed is still told, without the values: the database's error code.
    expect(all).toContain('"sqlCode":"ER_BAD_FIELD_ERROR"');
    const leaks = Object.entries(secrets).flatMap(([what, value]) => lines.filter((l) => l.includes(value)).map((l) => `${what} in ${l.trim()}`));
    expect(leaks).toEqual([]);
  });
});

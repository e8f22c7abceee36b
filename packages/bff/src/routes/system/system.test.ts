import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { testRoute } from '../../../test/support/test-route';
import { allowServerErrors, useTestApp } from '../../../test/support/test-app';

const t = useTestApp({
  extraRoutes: (s) => [
    testRoute({
      method: 'get',
      path: '/api/v1/test/explode',
      tag: 'test',
      summary: 'throws an unexpected error',
      auth: 'public',
      response: z.object({}),
      handler: () => Promise.reject(new Error('SELECT secret FROM internals failed at /srv/app.ts:12')),
    }),
    testRoute({
      method: 'get',
      path: '/api/v1/test/failing-query',
      tag: 'test',
      summary: 'a query that fails with a phone number among its parameters',
      auth: 'public',
      response: z.object({}),
      handler: async () => {
        await s.db.rows('SELECT no_such_column FROM members WHERE phone_hash = ?', ['13912345678']);
        return {};
      },
    }),
    testRoute({
      method: 'get',
      path: '/api/v1/test/connection-killed',
      tag: 'test',
      summary: 'the database server ends the connection in the middle of a transaction',
      auth: 'public',
      response: z.object({}),
      handler: () =>
        s.db.transaction(async () => {
          const [{ id }] = await s.db.rows<{ id: number }>('SELECT CONNECTION_ID() AS id');
          await s.db.rows(`KILL ${id}`);
          return {};
        }),
    }),
  ],
});

describe('health and docs', () => {
  it('GET /healthz answers ok', async () => {
    const res = await t.http.get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers ok while the database answers', async () => {
    await t.http.get('/readyz').expect(200, { status: 'ok' });
  });

  it('GET /api/v1/openapi.json lists every route of the contract with its schemas', async () => {
    const res = await t.http.get('/api/v1/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    const ops = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, m]) =>
      Object.keys(m).map((k) => `${k.toUpperCase()} ${p}`),
    );
    expect(ops).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/wechat',
        'POST /api/v1/auth/dev',
        'POST /api/v1/members',
        'GET /api/v1/me',
        'PATCH /api/v1/me',
        'DELETE /api/v1/me',
        'GET /api/v1/me/code',
        'GET /api/v1/me/points/ledger',
        'GET /api/v1/me/growth/ledger',
        'GET /api/v1/me/tier-history',
        'GET /api/v1/me/export',
        'GET /api/v1/rules',
        'GET /api/v1/me/coupons',
        'GET /api/v1/me/orders',
        'POST /api/v1/staff/sessions',
        'POST /api/v1/counter/lookup',
        'POST /api/v1/counter/quote',
        'POST /api/v1/counter/orders',
        'POST /api/v1/counter/orders/{id}/refunds',
        'POST /api/v1/counter/pickups/{pickupCode}/fulfil',
        'GET /api/v1/mall/items',
        'GET /api/v1/mall/items/{id}',
        'POST /api/v1/mall/redemptions',
        'GET /api/v1/me/redemptions',
        'POST /api/v1/me/redemptions/{id}/cancel',
        'GET /api/v1/admin/coupon-templates',
        'POST /api/v1/admin/mall-items',
        'GET /api/v1/admin/audit-log',
        'POST /api/v1/admin/members/{id}/adjustments',
        'GET /api/v1/admin/members',
        'GET /api/v1/admin/members/{id}',
        'GET /api/v1/admin/stores',
        'POST /api/v1/admin/stores',
        'PATCH /api/v1/admin/stores/{id}',
        'GET /api/v1/admin/staff',
        'POST /api/v1/admin/staff',
        'PATCH /api/v1/admin/staff/{id}',
        'DELETE /api/v1/admin/staff/{id}',
        'GET /api/v1/admin/campaigns',
        'POST /api/v1/admin/campaigns',
        'PATCH /api/v1/admin/campaigns/{id}',
        'DELETE /api/v1/admin/campaigns/{id}',
        'GET /api/v1/admin/reports/summary',
      ]),
    );
    const adjust = res.body.paths['/api/v1/admin/members/{id}/adjustments'].post;
    expect(adjust.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]));
    expect(Object.keys(adjust.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409', '422']));
    const audit = res.body.paths['/api/v1/admin/audit-log'].get;
    expect(audit.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['cursor', 'limit', 'action', 'actorId', 'targetId']));
    const redeem = res.body.paths['/api/v1/mall/redemptions'].post;
    expect(redeem.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]));
    expect(Object.keys(redeem.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409', '422']));
    const register = res.body.paths['/api/v1/members'].post;
    expect(register.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['nickname', 'consentVersion']));
    expect(Object.keys(register.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
  });

  it('names every operation with a unique, stable operationId and marks public ones as needing no token', async () => {
    const res = await t.http.get('/api/v1/openapi.json').expect(200);
    const ops = Object.entries(res.body.paths as Record<string, Record<string, { operationId?: string; security?: unknown[] }>>).flatMap(([p, m]) =>
      Object.entries(m).map(([method, op]) => ({ key: `${method.toUpperCase()} ${p}`, ...op })),
    );
    const ids = ops.map((o) => o.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ops.length);
    const byKey = Object.fromEntries(ops.map((o) => [o.key, o]));
    expect(byKey['GET /api/v1/me/points/ledger'].operationId).toBe('getMePointsLedger');
    expect(byKey['POST /api/v1/me/orders/{orderId}/review'].operationId).toBe('postMeOrdersByOrderIdReview');
    expect(byKey['GET /api/v1/rules'].security).toEqual([]);
    expect(byKey['GET /api/v1/me'].security).toEqual([{ memberToken: [] }]);
    // A staff operation narrowed to roles names them in its requirement; the others take any staff token.
    expect(byKey['POST /api/v1/counter/pickups/{pickupCode}/fulfil'].security).toEqual([{ staffToken: ['manager'] }]);
    expect(byKey['POST /api/v1/counter/orders'].security).toEqual([{ staffToken: [] }]);
    expect(res.body.servers).toEqual([{ url: '/', description: 'this BFF' }]);
  });

  it('GET /docs serves a page that reads the OpenAPI document', async () => {
    const res = await t.http.get('/docs').expect(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('/api/v1/openapi.json');
  });
});

describe('GET /api/v1/rules', () => {
  it('serves the configured tiers and earn/spend rules', async () => {
    const res = await t.http.get('/api/v1/rules').expect(200);
    const rules = res.body.data;
    expect(rules.tiers.map((x: { code: string; growthMin: number }) => [x.code, x.growthMin])).toEqual(
      t.config.loyalty.tiers.map((x) => [x.code, x.growthMin]),
    );
    expect(rules.spend).toEqual(t.config.loyalty.spend);
    expect(rules.points.perYuanPaid).toBe(t.config.loyalty.points.perYuanPaid);
    expect(rules.privacy.consentVersion).toBe(t.config.loyalty.privacy.consentVersion);
    // The till's keypad refuses an amount above what the BFF accepts for one order.
    expect(rules.counter).toEqual({ maxAmountCents: t.config.loyalty.counter.maxAmountCents });
    expect(JSON.stringify(rules)).not.toMatch(/upgradeGiftTemplate|milestoneTemplate/);
    // What the tier benefits and Me pages explain: the review rule, the birthday gift's terms, the birthday change limit.
    expect(rules.tierReview).toEqual({ trailingDays: 365, maxDropPerReview: 1 });
    expect(rules.birthdayGift).toEqual({ title: '生日满200减50', kind: 'threshold', thresholdCents: 20000, valueCents: 5000 });
    expect(rules.profile).toEqual({ birthdayChangeDays: 365 });
    expect(JSON.stringify(rules)).not.toMatch(/cron/);
  });
});

describe('errors', () => {
  it('logs neither a raw path nor the values of a failed query (a phone number in either stays out)', async () => {
    allowServerErrors(500);
    const before = t.logLines.length;
    await t.http.get('/api/v1/lookup/13912345678').expect(404);
    await t.http.get('/api/v1/test/failing-query').expect(500);
    const lines = t.logLines.slice(before).join('\n');
    expect(lines).toContain('(no route)');
    expect(lines).toContain('QueryFailedError');
    expect(lines).not.toContain('13912345678');
  });

  it('every error and every sign-in answer is Cache-Control: no-store', async () => {
    const m = await t.member();
    const refused = await t.http
      .post('/api/v1/mall/redemptions')
      .set(m.auth)
      .set('Idempotency-Key', 'x1')
      .send({ itemId: 'NOSUCHITEM0000000000000000', quantity: 1 });
    expect(refused.status).toBe(404);
    expect(refused.headers['cache-control']).toBe('no-store');
    const signIn = await t.http.post('/api/v1/auth/dev').send({ openid: 'cache-check' }).expect(200);
    expect(signIn.headers['cache-control']).toBe('no-store');
    expect((await t.http.get('/api/v1/rules').expect(200)).headers['cache-control']).toBe('public, max-age=300');
  });

  it('an unknown route is a JSON 404 NOT_FOUND', async () => {
    const res = await t.http.get('/api/v1/nope').expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('a body that is not JSON is 400 VALIDATION_FAILED', async () => {
    const res = await t.http.post('/api/v1/auth/dev').set('content-type', 'application/json').send('{"openid":').expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('an oversized body is refused with a 4xx, not a 500', async () => {
    const res = await t.http.post('/api/v1/auth/dev').send({ openid: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('an unexpected failure is a masked 500 INTERNAL with a request id, logged but never leaked', async () => {
    allowServerErrors(500);
    const res = await t.http.get('/api/v1/test/explode').expect(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error', details: { requestId: expect.any(String) } } });
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|srv|stack/);
    expect(t.logLines.some((l) => l.includes(res.body.error.details.requestId) && l.includes('unhandled error'))).toBe(true);
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    expect((await t.http.get('/healthz').set('X-Request-Id', 'abc-123')).headers['x-request-id']).toBe('abc-123');
    expect((await t.http.get('/healthz').set('X-Request-Id', 'bad id <script>')).headers['x-request-id']).toMatch(/^[0-9A-Z]{26}$/);
  });
});

describe('list responses', () => {
  it('always carry nextCursor, null when the list is complete', async () => {
    const m = await t.member();
    for (const path of ['/api/v1/me/coupons', '/api/v1/me/orders', '/api/v1/me/redemptions', '/api/v1/me/tier-history', '/api/v1/me/points/ledger']) {
      const res = await t.http.get(path).set(m.auth).expect(200);
      expect([path, Array.isArray(res.body.data), res.body.nextCursor]).toEqual([path, true, null]);
    }
    const items = await t.http.get('/api/v1/mall/items').expect(200);
    expect(items.body).toEqual({ data: [], nextCursor: null });
  });
});

describe('the database away for a moment', () => {
  it('is a retryable 503 SERVICE_UNAVAILABLE with Retry-After, not a 500, and the next request gets a fresh connection', async () => {
    allowServerErrors(503);
    const logged = t.logLines.length;
    const res = await t.http.get('/api/v1/test/connection-killed').expect(503);
    expect(res.body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'the service is briefly unavailable, please retry' });
    expect(res.headers['retry-after']).toBe('5');
    expect(JSON.stringify(res.body)).not.toMatch(/KILL|killed|SELECT/i);
    const log = t.logLines.slice(logged);
    expect([log.some((l) => l.includes('"msg":"database unavailable"')), log.some((l) => l.includes('"msg":"unhandled error"'))]).toEqual([true, false]);
    await t.http.get('/readyz').expect(200);
    await t.http.get('/api/v1/mall/items').expect(200);
  });
});

describe('GET /readyz without a database', () => {
  it('answers 503 once the database is gone', async () => {
    allowServerErrors(503);
    await t.dataSource.destroy();
    const res = await t.http.get('/readyz').expect(503);
    expect(res.body.status).toBe('unavailable');
  });
});

import { beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError, type PathTemplate } from '@member/shared';
import { z } from 'zod';
import { openApiDocument } from '../src/http/openapi';
import { defineRoute, type AnyRoute } from '../src/http/route';
import type { Services } from '../src/services';
import { checkAccess, planMatrix, type MatrixFixtures, type OpenApiDoc } from './support/access-matrix';
import { useTestApp } from './support/test-app';

/**
 * Who may call what, for every operation of the served OpenAPI document (see support/access-matrix):
 * no token and broken tokens (expired, tampered, `alg: none`, without `exp`, another audience or
 * issuer or secret) are 401; member, staff and admin tokens are refused on each other's operations
 * (403); a cashier on a manager's operation is 403; another member with this member's order,
 * redemption or share ids is 404 (existence is not revealed), a friend opening a share link is
 * served; staff of another store with this store's order or receipt number are 404, a pickup is
 * collected in any store. The rightful caller is served with the same ids, so each 404 means "not
 * yours", not "no such id".
 *
 * A test of the test: routes mounted beside the real ones, each broken in one way (no ownership
 * check, no store check, public under /me, staff tokens under /admin, a parameter with no fixture,
 * a path in no known area), must each be reported, and a correctly protected one must not.
 */

const path = (p: string) => p as PathTemplate;
let services: Services | null = null;
const extraRoutes = (s: Services): AnyRoute[] => {
  services = s;
  const OrderParams = z.object({ orderId: z.string() });
  const receipt = z.object({ id: z.string(), memberId: z.string() });
  return [
    // Forgot the ownership check: any member reads any order.
    defineRoute({
      method: 'get',
      path: path('/api/v1/me/orders/:orderId/receipt'),
      tag: 'me',
      summary: 'broken: no ownership check',
      auth: { audience: 'member' },
      params: OrderParams,
      response: receipt,
      handler: async ({ params }) => {
        const o = await s.repos.orders.byId(params.orderId);
        if (!o) throw new DomainError('NOT_FOUND', 'no such order');
        return { id: o.id, memberId: o.memberId };
      },
    }),
    // The same, done right: the member's own order or 404.
    defineRoute({
      method: 'get',
      path: path('/api/v1/me/orders/:orderId/summary'),
      tag: 'me',
      summary: 'correct: the member’s own order',
      auth: { audience: 'member' },
      params: OrderParams,
      response: receipt,
      handler: async ({ caller, params }) => {
        const { order } = await s.counter.orderOfMember(caller.memberId, params.orderId);
        return { id: order.id, memberId: order.memberId };
      },
    }),
    // Forgot the store check: any store's staff read any store's order.
    defineRoute({
      method: 'get',
      path: path('/api/v1/counter/orders/:id/copy'),
      tag: 'counter',
      summary: 'broken: no store check',
      auth: { audience: 'staff' },
      params: z.object({ id: z.string() }),
      response: receipt,
      handler: async ({ params }) => {
        const o = await s.repos.orders.byId(params.id);
        if (!o) throw new DomainError('NOT_FOUND', 'no such order');
        return { id: o.id, memberId: o.memberId };
      },
    }),
    // Left public under /me.
    defineRoute({
      method: 'get',
      path: path('/api/v1/me/everything'),
      tag: 'me',
      summary: 'broken: public',
      auth: 'public',
      response: z.object({ ok: z.boolean() }),
      handler: () => Promise.resolve({ ok: true }),
    }),
    // Staff tokens on an operators' path.
    defineRoute({
      method: 'get',
      path: path('/api/v1/admin/export-all'),
      tag: 'admin',
      summary: 'broken: staff token under /admin',
      auth: { audience: 'staff' },
      response: z.object({ ok: z.boolean() }),
      handler: () => Promise.resolve({ ok: true }),
    }),
    // A new kind of id nobody gave the matrix a fixture for.
    defineRoute({
      method: 'post',
      path: path('/api/v1/me/coupons/:couponId/gift'),
      tag: 'me',
      summary: 'new: no fixture',
      auth: { audience: 'member' },
      params: z.object({ couponId: z.string() }),
      response: z.object({ ok: z.boolean() }),
      handler: () => Promise.resolve({ ok: true }),
    }),
    // A path in no area the matrix knows.
    defineRoute({
      method: 'get',
      path: path('/api/v1/backdoor'),
      tag: 'system',
      summary: 'new: unknown area',
      auth: { audience: 'admin' },
      response: z.object({ ok: z.boolean() }),
      handler: () => Promise.resolve({ ok: true }),
    }),
  ];
};

const t = useTestApp({ extraRoutes });
let fx: MatrixFixtures;
let doc: OpenApiDoc;

beforeAll(async () => {
  const admin = await t.staff('admin', '总部');
  const cashierA = await t.staff('cashier', '甲店');
  const managerA = await t.staff('manager', '甲店');
  const cashierB = await t.staff('cashier', '乙店');
  const managerB = await t.staff('manager', '乙店');
  const a = await t.memberWith('normal', 1000);
  const b = await t.memberWith('normal', 1000);

  // Member A's order in store A, two pickups (one to cancel, one to collect) and a share link.
  const receiptNo = `R-MATRIX-${Date.now()}`;
  const order = (
    await t.http
      .post('/api/v1/counter/orders')
      .set(cashierA.auth)
      .send({ code: t.codeOf(a), receiptNo, amountCents: 50_000 })
      .expect(201)
  ).body.data as { id: string };
  const item = await t.adminItem(admin.auth, { pointsCost: 100 });
  const redemption = (await t.redeem(a.auth, item.id).expect(201)).body.data as { id: string; pickupCode: string };
  const pickup = (await t.redeem(a.auth, item.id).expect(201)).body.data as { id: string; pickupCode: string };
  const share = (await t.http.post('/api/v1/shares').set(a.auth).send({ page: 'mall' }).expect(201)).body.data as { token: string };

  // What operators manage: a template, a campaign, and a reward held for review (a risky friend of A's).
  const template = await t.adminTemplate(admin.auth, {});
  const campaign = (
    await t.http.post('/api/v1/admin/campaigns').set(admin.auth).send({ code: 'matrix-day', name: '矩阵日', dayOfMonth: 3, multiplier: 2 }).expect(201)
  ).body.data as { id: string };
  const friend = await t.login();
  t.wechat.riskRanks.set(friend.openid, 4);
  const friendAuth = { Authorization: `Bearer ${friend.token}` };
  await t.http.post(`/api/v1/shares/${share.token}/visits`).set(friendAuth).send().expect(201);
  await t.http.post('/api/v1/members').set(friendAuth).send({ nickname: '朋友', consentVersion: t.config.loyalty.privacy.consentVersion }).expect(201);
  const held = (await t.http.get('/api/v1/admin/held-rewards').set(admin.auth).expect(200)).body.data as { id: string }[];
  expect(held).toHaveLength(1);
  const jobs = (await t.http.get('/api/v1/admin/jobs').set(admin.auth).expect(200)).body.data as { name: string }[];

  let refunds = 0;
  fx = {
    callers: { memberA: { id: a.id, token: a.token }, memberB: { id: b.id, token: b.token }, cashierA, managerA, cashierB, managerB, admin },
    params: {
      '/api/v1/me/orders/{orderId}': { owner: 'member', value: order.id },
      '/api/v1/me/redemptions/{id}': { owner: 'member', value: redemption.id },
      '/api/v1/shares/{token}': { owner: 'capability', value: share.token },
      '/api/v1/mall/items/{id}': { owner: 'catalogue', value: item.id },
      '/api/v1/counter/orders/{id}': { owner: 'store', value: order.id },
      'GET /api/v1/counter/orders?receiptNo': { owner: 'store', value: receiptNo },
      '/api/v1/counter/pickups/{pickupCode}': { owner: 'chain', value: pickup.pickupCode },
      '/api/v1/admin/coupon-templates/{id}': { owner: 'chain', value: template.id },
      '/api/v1/admin/mall-items/{id}': { owner: 'chain', value: item.id },
      '/api/v1/admin/members/{id}': { owner: 'chain', value: a.id },
      '/api/v1/admin/stores/{id}': { owner: 'chain', value: cashierA.storeId },
      '/api/v1/admin/staff/{id}': { owner: 'chain', value: cashierA.id },
      '/api/v1/admin/campaigns/{id}': { owner: 'chain', value: campaign.id },
      '/api/v1/admin/held-rewards/{id}': { owner: 'chain', value: held[0].id },
      '/api/v1/admin/jobs/{name}': { owner: 'chain', value: jobs[0].name },
      'GET /api/v1/admin/members?query': { owner: 'value', value: '小明' },
      'GET /api/v1/admin/reports/summary?from': { owner: 'value', value: '2026-01-01' },
      'GET /api/v1/admin/reports/summary?to': { owner: 'value', value: '2026-01-31' },
    },
    bodies: {
      'POST /api/v1/me/orders/{orderId}/review': () => ({ stars: 5 }),
      'POST /api/v1/counter/orders/{id}/refunds': () => ({ refundNo: `RF-MATRIX-${++refunds}`, amountCents: 100 }),
    },
    secret: t.config.appSecret,
    memberAMarks: [a.id, order.id, redemption.id, pickup.id, redemption.pickupCode, pickup.pickupCode, share.token, receiptNo],
  };
  doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body as OpenApiDoc;
});

/** A checksum of every table (MariaDB's CHECKSUM TABLE): any row written, changed or removed shows. */
async function checksums(): Promise<Record<string, string>> {
  const tables = (await t.dataSource.query<Record<string, string>[]>('SHOW TABLES')).map((r) => Object.values(r)[0]);
  const rows = await t.dataSource.query<{ Table: string; Checksum: number | string | null }[]>(`CHECKSUM TABLE ${tables.map((x) => `\`${x}\``).join(', ')}`);
  return Object.fromEntries(rows.map((r) => [r.Table.split('.').pop() ?? r.Table, String(r.Checksum)]));
}

describe('the access matrix of the served OpenAPI document', () => {
  it('every operation refuses every caller the contract refuses, and serves the rightful one', async () => {
    const started = Date.now();
    const { failures, calls } = await checkAccess(t.http, doc, fx, checksums);
    expect(failures).toEqual([]);
    // The walk covered the document: every operation is planned, and each took many calls.
    const operations = Object.values(doc.paths).flatMap((ops) => Object.keys(ops)).length;
    expect(operations).toBeGreaterThan(60);
    expect(calls).toBeGreaterThan(operations * 10);
    console.log(`access matrix: ${operations} operations, ${calls} calls, ${Date.now() - started} ms`);
  });
});

describe('a test of the test', () => {
  it('reports each deliberately broken route, and not the correct one', async () => {
    if (!services) throw new Error('extra routes were not mounted');
    const broken = openApiDocument(extraRoutes(services), { title: 'broken', version: '0' }) as unknown as OpenApiDoc;
    const { failures } = await checkAccess(t.http, broken, fx);
    const about = (op: string) => failures.filter((f) => f.startsWith(op));
    expect(about('GET /api/v1/me/orders/{orderId}/receipt by member B with member A')).toEqual([expect.stringMatching(/: 200, expected 404$/)]);
    expect(about('GET /api/v1/counter/orders/{id}/copy by cashier of store B with store A')).toEqual([expect.stringMatching(/: 200, expected 404$/)]);
    expect(about('GET /api/v1/me/everything')).toEqual([
      expect.stringContaining('public (security: []) but not one of the known public operations; its path is in the member area'),
    ]);
    expect(about('GET /api/v1/admin/export-all')).toEqual([expect.stringContaining('takes staff tokens but its path is in the admin area')]);
    expect(about('POST /api/v1/me/coupons/{couponId}/gift')).toEqual([expect.stringContaining('no fixture for path parameter {couponId}')]);
    expect(about('GET /api/v1/backdoor')).toEqual([expect.stringContaining('a path in no known area')]);
    expect(about('GET /api/v1/me/orders/{orderId}/summary')).toEqual([]);
    expect(failures).toHaveLength(6);
    // The correct route was walked like any other, not skipped.
    const plan = planMatrix(broken, fx);
    expect(plan.refusals.filter((x) => x.op === 'GET /api/v1/me/orders/{orderId}/summary').length).toBeGreaterThan(10);
  });
});

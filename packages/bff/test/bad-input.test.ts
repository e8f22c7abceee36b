import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { checkBadInput, coverageProblems, databaseChecksum, TOKEN_KINDS, type BadInputOptions, type Identity, type TokenKind } from './support/bad-input';
import type { AnyRoute } from '../src/http/route';
import { allowServerErrors, useTestApp } from './support/test-app';
import { testRoute } from './support/test-route';

/**
 * Bad input never breaks the BFF and never moves value: every route of the route table, driven by
 * its own zod schemas, with every kind of caller (none, a member, a WeChat user not yet registered,
 * a cashier, a manager, an operator, staff of another store), answers requests that are invalid by
 * construction with a 4xx and the contract's error body, and the database is checksum-identical
 * before and after. The seed is printed; `PROPERTY_SEED=<n>` replays a run, `PROPERTY_RUNS=<n>`
 * sets the requests per route.
 */
const seed = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : Math.floor(Math.random() * 2 ** 31);
const runsPerRoute = process.env.PROPERTY_RUNS ? Number(process.env.PROPERTY_RUNS) : 50;

/**
 * Two deliberately broken routes, mounted beside the real ones, for the test of the test: a schema
 * that throws on some strings (a 500 instead of a 400), and a path-id schema that writes before it
 * validates. A sound route sits beside them and must not be reported.
 */
const broken = {
  throws: '/api/v1/test/bad-input/throws',
  writes: '/api/v1/test/bad-input/writes/:id',
  sound: '/api/v1/test/bad-input/sound/:id',
} as const;

let brokenRoutes: AnyRoute[] = [];
const t = useTestApp({
  extraRoutes: (services) =>
    (brokenRoutes = [
      testRoute({
        method: 'post',
        path: broken.throws,
        summary: 'broken: its schema normalizes the body before validating it, and throws on a wrong shape',
        tag: 'test',
        auth: { audience: 'member' },
        // Trims the note before checking it is one: a TypeError (a 500) when it is missing or not a string.
        body: z.preprocess((b) => ({ ...(b as object), note: (b as { note: string }).note.trim() }), z.object({ note: z.string().max(200) })),
        response: z.object({ ok: z.boolean() }),
        handler: () => Promise.resolve({ ok: true }),
      }),
      testRoute({
        method: 'post',
        path: broken.writes,
        summary: 'broken: its id schema records the id before checking it',
        tag: 'test',
        auth: { audience: 'staff' },
        params: z.object({
          id: z.preprocess(
            (id) => {
              void services.staff.createStore(`seen ${String(id).slice(0, 20)}`).catch(() => undefined);
              return id;
            },
            z.string().regex(/^[0-9A-Z]{26}$/),
          ),
        }),
        response: z.object({ ok: z.boolean() }),
        handler: () => Promise.resolve({ ok: true }),
      }),
      testRoute({
        method: 'post',
        path: broken.sound,
        summary: 'sound: validates, then answers',
        tag: 'test',
        auth: { audience: 'staff' },
        params: z.object({ id: z.string().regex(/^[0-9A-Z]{26}$/) }),
        body: z.object({ amountCents: z.number().int().positive() }).strict(),
        response: z.object({ ok: z.boolean() }),
        handler: () => Promise.resolve({ ok: true }),
      }),
    ]),
});

let server: Server;
let options: BadInputOptions;

beforeAll(async () => {
  // A scene with value in every table the requests could touch: a member with points, an order,
  // a coupon and a redemption, a mall item with stock, a check-in; staff in two stores.
  const admin = await t.staff('admin');
  const cashier = await t.staff('cashier');
  const manager = await t.staff('manager');
  const otherStore = await t.staff('manager', '分店');
  const member = await t.memberWith('gold', 2000);
  const unregistered = await t.login();
  await t.couponFor(member.id);
  const item = await t.mallItem({ stock: 5 });
  await t.redeem(member.auth, item.id).expect(201);
  await t.http.post('/api/v1/me/checkins').set(member.auth).expect(201);
  await t.http
    .post('/api/v1/counter/orders')
    .set(cashier.auth)
    .send({ code: t.codeOf(member), amountCents: 5000, receiptNo: 'R-bad-input-1' })
    .expect(201);

  const handle = t.app.callback();
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const identities: Record<TokenKind, Identity> = {
    none: { token: null, audience: null },
    member: { token: member.token, audience: 'member' },
    unregistered: { token: unregistered.token, audience: 'member' },
    cashier: { token: cashier.token, audience: 'staff', role: 'cashier' },
    manager: { token: manager.token, audience: 'staff', role: 'manager' },
    admin: { token: admin.token, audience: 'admin', role: 'admin' },
    otherStoreStaff: { token: otherStore.token, audience: 'staff', role: 'manager' },
  };
  options = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dataSource: t.dataSource,
    identities,
    verifies: (token) => {
      try {
        t.tokens.verify(token);
        return true;
      } catch {
        return false;
      }
    },
    bodyLimitBytes: t.config.runtime.http.bodyLimitKb * 1024,
    seed,
    runsPerRoute,
  };
  // Printed so a failing run can be replayed.
  console.log(`bad-input: seed ${seed}, ${runsPerRoute} requests per route (replay: PROPERTY_SEED=${seed})`);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('property-based bad input', () => {
  it('has a generator for every route of the route table (a new route is covered the day it is added)', () => {
    expect(t.routes.length).toBeGreaterThan(60);
    expect(coverageProblems(t.routes)).toEqual([]);
    // What the coverage check refuses: a path id no schema checks, and a write with nothing to make invalid.
    const unchecked = testRoute({
      method: 'post',
      path: '/api/v1/test/x/:id',
      summary: 's',
      tag: 't',
      auth: { audience: 'member' },
      response: z.object({}),
      handler: () => Promise.resolve({}),
    });
    const uncheckable = testRoute({
      method: 'delete',
      path: '/api/v1/test/y',
      summary: 's',
      tag: 't',
      auth: 'public',
      response: z.object({}),
      handler: () => Promise.resolve({}),
    });
    expect(coverageProblems([unchecked, uncheckable])).toEqual([
      'POST /api/v1/test/x/:id: path parameter :id has no schema',
      'DELETE /api/v1/test/y: no input can be made invalid (no generator)',
    ]);
  });

  it(`refuses every malformed request to every route with a 4xx and its error body, and changes nothing (seed ${seed})`, async () => {
    const before = await databaseChecksum(t.dataSource);
    const report = await checkBadInput(t.routes, options);
    const after = await databaseChecksum(t.dataSource);
    expect(report.failures.map((f) => `${f.route} [${f.kind}] ${f.message} (replay: PROPERTY_SEED=${seed})`)).toEqual([]);
    expect(after).toEqual(before);
    // Every route was sent requests, and every kind of caller was used.
    for (const r of t.routes)
      expect([`${r.method.toUpperCase()} ${r.path}`, report.sent[`${r.method.toUpperCase()} ${r.path}`]]).toEqual([expect.any(String), runsPerRoute]);
    for (const kind of TOKEN_KINDS) expect(report.byKind[kind]).toBeGreaterThan(0);
    expect(report.byKind.garbage).toBeGreaterThan(0);
    expect(report.noiseOnly.sort()).toEqual(['GET /api/v1/mall/items', 'GET /api/v1/rules']);
  }, 240_000);

  it('catches a route whose schema throws (a 5xx) and one that writes before validating (the test of the test)', async () => {
    // The broken route answers 500 on purpose: the checker must report it, and the 5xx gate must let it through.
    allowServerErrors(500);
    expect(brokenRoutes.map((r) => r.path)).toEqual(Object.values(broken));
    // A fixed seed: whether the checker can catch them must not depend on the run's luck.
    const report = await checkBadInput(brokenRoutes, { ...options, seed: 20261123, runsPerRoute: 200 });
    const found = report.failures.map((f) => [f.route, f.kind]);
    expect(found).toContainEqual([`POST ${broken.throws}`, '5xx']);
    expect(found).toContainEqual([`POST ${broken.writes}`, 'state changed']);
    expect(report.failures.find((f) => f.kind === 'state changed')?.message).toContain('stores');
    expect(found.filter(([route]) => route === `POST ${broken.sound}`)).toEqual([]);
    // Every failure names the seed that replays it.
    for (const f of report.failures) expect(f.replay?.seed).toEqual(expect.any(Number));
  }, 60_000);
});

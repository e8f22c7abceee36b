import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Response, Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';

/**
 * The access matrix, generated from the served OpenAPI document: every operation is classified by
 * the token its `security` requirement names (and the staff roles listed there), cross-checked
 * against the area its path lies in, and then called by every kind of caller that must be refused
 * (no token, forged and broken tokens, the other audiences, the wrong role, another member with
 * this member's ids, staff of another store with this store's ids) and by the one that must be
 * served. Nothing is listed per operation: a new operation is walked the day it is added, and one
 * the generator cannot classify, or with a path or required query parameter it has no fixture
 * for, is a failure rather than a silent skip.
 */

export type Audience = 'member' | 'staff' | 'admin';
type StaffRole = 'cashier' | 'manager' | 'admin';
type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: unknown;
}
export interface OpenApiDoc {
  paths: Record<string, Partial<Record<Method, Operation>>>;
}

/** The audience each area of the API belongs to (first match wins); a path in no area cannot be classified. */
const AREAS: readonly (readonly [RegExp, Audience])[] = [
  [/^\/api\/v1\/admin(\/|$)/, 'admin'],
  [/^\/api\/v1\/counter(\/|$)/, 'staff'],
  [/^\/api\/v1\/me(\/|$)/, 'member'],
  [/^\/api\/v1\/members$/, 'member'],
  [/^\/api\/v1\/shares(\/|$)/, 'member'],
  [/^\/api\/v1\/mall\/redemptions(\/|$)/, 'member'],
];

/** The operations anyone may call: a new public operation must be added here on purpose. */
const PUBLIC_OPERATIONS = new Set([
  'GET /api/v1/rules',
  'POST /api/v1/auth/wechat',
  'POST /api/v1/auth/dev',
  'POST /api/v1/staff/sessions',
  'GET /api/v1/mall/items',
  'GET /api/v1/mall/items/{id}',
]);

/**
 * Whose object a parameter names, which decides who else may use it:
 * - `member`: the member's own (another member gets 404: existence is not revealed);
 * - `store`: the store's own (staff of another store get 404);
 * - `capability`: made to be handed to other members (a share link: another member is served);
 * - `chain`: shared by every store (a pickup is collected in any store) or by the operators;
 * - `value`: not an object (a date); `catalogue`: public data.
 */
export type Owner = 'member' | 'store' | 'capability' | 'chain' | 'value' | 'catalogue';

export interface Caller {
  token: string;
}

export interface MatrixFixtures {
  callers: {
    /** The member who owns the `member` fixtures, and a second member. */
    memberA: Caller & { id: string };
    memberB: Caller & { id: string };
    /** Staff of store A (which owns the `store` fixtures) and of store B, and an operator. */
    cashierA: Caller;
    managerA: Caller;
    cashierB: Caller;
    managerB: Caller;
    admin: Caller;
  };
  /**
   * Parameter values: a path parameter by the path up to it (`/api/v1/me/orders/{orderId}`, which
   * also serves `/api/v1/me/orders/{orderId}/review`), a required query parameter by
   * `METHOD path?name`.
   */
  params: Partial<Record<string, { owner: Owner; value: string }>>;
  /** A valid body for `METHOD path`, for the calls that must get past validation (a fresh one per call). */
  bodies: Partial<Record<string, () => unknown>>;
  /** The secret tokens are signed with (to forge tokens that differ from real ones in one way only). */
  secret: string;
  /** Strings that only member A's data holds: no answer to member B may contain one. */
  memberAMarks: string[];
}

interface Case {
  op: string;
  who: string;
  method: Method;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** What the contract says, for the failure message. */
  expected: string;
  ok: (res: Response) => boolean;
}

const status = (n: number) => ({ expected: String(n), ok: (r: Response) => r.status === n });
const served = { expected: '2xx', ok: (r: Response) => r.status >= 200 && r.status < 300 };
/** Served, or refused by a business rule (the object is in the wrong state): never refused as a caller. */
const notRefusedAsCaller = {
  expected: '2xx or a business refusal (not 401/403/404)',
  ok: (r: Response) => r.status < 500 && ![401, 403, 404].includes(r.status),
};

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/**
 * Tokens that differ from a valid one in one way each; every one must be refused with 401.
 * `tamperedClaims` is what an attacker would change in the payload while keeping the signature.
 */
function brokenTokens(valid: string, secret: string, tamperedClaims: Record<string, unknown>): [string, string][] {
  const claims = jwt.decode(valid) as Record<string, unknown>;
  const [header, payload, signature] = valid.split('.');
  const now = Math.floor(Date.now() / 1000);
  const sign = (c: Record<string, unknown>, key = secret, algorithm: jwt.Algorithm = 'HS256') => jwt.sign(c, key, { algorithm });
  const { exp: _exp, ...withoutExp } = claims;
  // The first character of the signature: flipping the last one may only change padding bits.
  const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
  return [
    ['expired', sign({ ...claims, iat: now - 7200, exp: now - 60 })],
    ['without exp', sign(withoutExp)],
    ['not valid yet (nbf)', sign({ ...claims, nbf: now + 3600 })],
    ['tampered signature', `${header}.${payload}.${flipped}`],
    ['tampered claims, signature kept', `${header}.${b64({ ...claims, ...tamperedClaims })}.${signature}`],
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
    ['signed with another secret', sign(claims, randomBytes(32).toString('hex'))],
    ['HS512 instead of HS256', sign(claims, secret, 'HS512')],
    ['another issuer', sign({ ...claims, iss: 'someone-else' })],
    ['unknown audience', sign({ ...claims, aud: 'root' })],
    ['audience as a list', sign({ ...claims, aud: [claims.aud, 'admin'] })],
    ['empty bearer', ''],
  ];
}

/** Classifies one operation: its audience and staff roles, or why it cannot be classified. */
function classify(method: string, path: string, op: Operation): { audience: Audience | 'public'; roles: StaffRole[] } | { error: string } {
  const name = `${method.toUpperCase()} ${path}`;
  const security = op.security;
  if (!security) return { error: `${name}: no security requirement (not even an empty one)` };
  const area = AREAS.find(([re]) => re.test(path))?.[1];
  if (security.length === 0) {
    if (PUBLIC_OPERATIONS.has(name)) return { audience: 'public', roles: [] };
    return { error: `${name}: public (security: []) but not one of the known public operations${area ? `; its path is in the ${area} area` : ''}` };
  }
  if (security.length !== 1 || Object.keys(security[0]).length !== 1)
    return { error: `${name}: a security requirement of several schemes, which the matrix cannot classify` };
  const [scheme, roles] = Object.entries(security[0])[0];
  const audience = ({ memberToken: 'member', staffToken: 'staff', adminToken: 'admin' } as const)[scheme];
  if (!audience) return { error: `${name}: unknown security scheme ${scheme}` };
  if (!area) return { error: `${name}: a path in no known area, cannot classify (it takes ${audience} tokens)` };
  if (area !== audience) return { error: `${name}: takes ${audience} tokens but its path is in the ${area} area` };
  const unknownRole = roles.find((r) => !['cashier', 'manager', 'admin'].includes(r));
  if (unknownRole) return { error: `${name}: unknown role ${unknownRole}` };
  return { audience, roles: roles as StaffRole[] };
}

/** Plans every call of the matrix; `problems` holds what could not be planned. */
export function planMatrix(doc: OpenApiDoc, fx: MatrixFixtures) {
  const problems: string[] = [];
  /** Refusals: no state may change; run first. */
  const refusals: Case[] = [];
  /** Calls another caller may make (a friend opening a share link, a pickup in another store). */
  const crossServed: Case[] = [];
  /** The rightful caller's reads, and its writes where a refusal was expected of others (the ids are real). */
  const ownerReads: Case[] = [];
  const ownerWrites: Case[] = [];
  const c = fx.callers;
  const others: Record<Audience, [string, Caller][]> = {
    member: [
      ['cashier', c.cashierA],
      ['manager', c.managerA],
      ['admin', c.admin],
    ],
    staff: [
      ['member', c.memberA],
      ['admin', c.admin],
    ],
    admin: [
      ['member', c.memberA],
      ['cashier', c.cashierA],
      ['manager', c.managerA],
    ],
  };

  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops) as [Method, Operation][]) {
      const name = `${method.toUpperCase()} ${path}`;
      const kind = classify(method, path, op);
      if ('error' in kind) {
        problems.push(kind.error);
        continue;
      }
      // Every path parameter and required query parameter needs a fixture.
      let url = path;
      const owners: Owner[] = [];
      const query: string[] = [];
      let missing = false;
      for (const p of op.parameters ?? []) {
        if (p.in === 'path') {
          const key = path.slice(0, path.indexOf(`{${p.name}}`) + p.name.length + 2);
          const f = fx.params[key];
          if (!f) {
            problems.push(`${name}: no fixture for path parameter {${p.name}} (add one for ${key})`);
            missing = true;
            continue;
          }
          url = url.replace(`{${p.name}}`, encodeURIComponent(f.value));
          owners.push(f.owner);
        } else if (p.in === 'query' && p.required) {
          const key = `${name}?${p.name}`;
          const f = fx.params[key];
          if (!f) {
            problems.push(`${name}: no fixture for required query parameter ${p.name} (add one for ${key})`);
            missing = true;
            continue;
          }
          query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(f.value)}`);
          owners.push(f.owner);
        }
      }
      if (missing) continue;
      if (query.length) url = `${url}?${query.join('&')}`;
      if (kind.audience === 'public') continue;

      const takesKey = (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      const bodyOf = (needed: boolean): { body?: unknown } | null => {
        if (!op.requestBody || method === 'get' || method === 'delete') return {};
        const make = fx.bodies[name];
        if (make) return { body: make() };
        if (!needed) return { body: {} };
        problems.push(`${name}: no body fixture, needed to get past validation to the ownership check`);
        return null;
      };
      const call = (
        who: string,
        caller: Caller | null,
        expect: { expected: string; ok: (r: Response) => boolean },
        needsBody = false,
        headers?: Record<string, string>,
      ): Case | null => {
        const b = bodyOf(needsBody);
        if (!b) return null;
        return {
          op: name,
          who,
          method,
          url,
          headers: {
            ...(headers ?? (caller ? bearer(caller.token) : {})),
            ...(takesKey ? { 'Idempotency-Key': `matrix-${randomBytes(6).toString('hex')}` } : {}),
          },
          ...b,
          ...expect,
        };
      };
      const push = (list: Case[], x: Case | null) => x && list.push(x);

      const { audience, roles } = kind;
      const staffAllowed = (role: StaffRole) => roles.length === 0 || roles.includes(role);
      const rightful: [string, Caller] =
        audience === 'member'
          ? ['member A', c.memberA]
          : audience === 'admin'
            ? ['admin', c.admin]
            : staffAllowed('cashier')
              ? ['cashier of store A', c.cashierA]
              : ['manager of store A', c.managerA];

      // No token, a token that is not a bearer token, and every broken variant of a rightful token: 401.
      push(refusals, call('no token', null, status(401)));
      push(refusals, call('Basic credentials', null, status(401), false, { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }));
      const tampered = audience === 'member' ? { sub: c.memberB.id } : { role: 'admin', store: 'another-store' };
      for (const [variant, token] of brokenTokens(rightful[1].token, fx.secret, tampered)) {
        push(refusals, call(`${rightful[0]}'s token, ${variant}`, null, status(401), false, bearer(token)));
      }
      // Tokens of the other audiences: 403.
      for (const [who, caller] of others[audience]) push(refusals, call(`a ${who} token`, caller, status(403)));
      // Staff of a role the operation does not take: 403.
      if (audience === 'staff') {
        for (const [who, caller, role] of [
          ['cashier of store A', c.cashierA, 'cashier'],
          ['manager of store A', c.managerA, 'manager'],
        ] as const) {
          if (!staffAllowed(role)) push(refusals, call(`${who} (the operation needs ${roles.join(' or ')})`, caller, status(403)));
        }
      }

      // Another member with this member's ids, staff of another store with this store's ids.
      const otherCaller: [string, Caller] | null =
        audience === 'member'
          ? ['member B', c.memberB]
          : audience === 'staff'
            ? [staffAllowed('cashier') ? 'cashier of store B' : 'manager of store B', staffAllowed('cashier') ? c.cashierB : c.managerB]
            : null;
      let refusedToOthers = false;
      if (otherCaller && owners.length) {
        const mismatch = owners.find((o) =>
          audience === 'member' ? !['member', 'capability', 'value', 'catalogue'].includes(o) : !['store', 'chain', 'value', 'catalogue'].includes(o),
        );
        if (mismatch) {
          problems.push(`${name}: a ${audience} operation with a ${mismatch}-owned parameter: no rule says who else may use it`);
          continue;
        }
        if (owners.includes('member') || owners.includes('store')) {
          refusedToOthers = true;
          push(refusals, call(`${otherCaller[0]} with ${audience === 'member' ? 'member A' : 'store A'}'s ids`, otherCaller[1], status(404), true));
        } else {
          push(crossServed, call(`${otherCaller[0]} with ${audience === 'member' ? 'member A' : 'store A'}'s ids`, otherCaller[1], notRefusedAsCaller, true));
        }
      }
      // Member B's own reads never show member A's data.
      if (audience === 'member' && method === 'get' && !owners.includes('member')) {
        const x = call('member B (reading their own)', c.memberB, {
          expected: `2xx without member A's data`,
          ok: (r) => {
            // A file's answer has no text.
            const text = typeof r.body === 'object' && !Buffer.isBuffer(r.body) ? JSON.stringify(r.body) : '';
            return r.status >= 200 && r.status < 300 && !fx.memberAMarks.some((m) => text.includes(m));
          },
        });
        if (x) refusals.push(x);
      }
      // The rightful caller is served (proves the fixtures are real, so a 404 above meant "not yours").
      if (method === 'get') push(ownerReads, call(rightful[0], rightful[1], served));
      else if (refusedToOthers) push(ownerWrites, call(rightful[0], rightful[1], served, true));
    }
  }
  return { problems, refusals, crossServed, ownerReads, ownerWrites };
}

async function send(http: TestAgent<Test>, x: Case): Promise<Response> {
  let req = http[x.method](x.url).set(x.headers);
  if (x.body !== undefined) req = req.send(x.body as object);
  return req;
}

/** Runs the matrix and returns every failure (an empty list when the API keeps the contract). */
export async function checkAccess(
  http: TestAgent<Test>,
  doc: OpenApiDoc,
  fx: MatrixFixtures,
  /** A fingerprint of the stored data: the refusals must leave it as it was. */
  snapshot?: () => Promise<Record<string, unknown>>,
): Promise<{ failures: string[]; calls: number }> {
  const plan = planMatrix(doc, fx);
  const failures = [...plan.problems];
  let calls = 0;
  const judge = (x: Case, res: Response) => {
    calls++;
    const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code;
    if (!x.ok(res)) failures.push(`${x.op} by ${x.who}: ${res.status}${code ? ` ${code}` : ''}, expected ${x.expected}`);
  };
  // Refusals change nothing, so they run a few at a time; the rest in document order.
  const before = (await snapshot?.()) ?? {};
  for (let i = 0; i < plan.refusals.length; i += 8) {
    const batch = plan.refusals.slice(i, i + 8);
    const answers = await Promise.all(batch.map((x) => send(http, x)));
    batch.forEach((x, k) => judge(x, answers[k]));
  }
  if (snapshot) {
    const after = await snapshot();
    const changed = Object.keys({ ...before, ...after }).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length) failures.push(`the refused calls changed stored data: ${changed.join(', ')}`);
  }
  for (const x of [...plan.crossServed, ...plan.ownerReads, ...plan.ownerWrites]) judge(x, await send(http, x));
  return { failures, calls };
}

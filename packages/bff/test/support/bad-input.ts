import { createHash } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { ErrorBody, IdempotencyKey, type StaffRole } from '@member/shared';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { STATUS_OF } from '../../src/http/errors';
import type { AnyRoute } from '../../src/http/route';

/**
 * Property-based bad input: for every route of a route table, requests that are invalid by
 * construction — derived from the route's own zod schemas (wrong types, missing and extra fields,
 * out-of-range numbers, overlong, control and unicode strings), malformed JSON, path ids and query
 * strings, and bad, duplicated or oversized headers — sent with every kind of caller. Each request
 * must be refused with a 4xx carrying the contract's error body (never a 5xx, never a 2xx), and the
 * database must be exactly as it was (a checksum of every table, per route).
 *
 * A case is only sent when an oracle that mirrors the request pipeline (the body parser, the router's
 * decoding, Koa's query parser, the caller check, then `safeParse` of the route's schemas) says it
 * must be refused: a generated request that happens to be valid would rightly change state.
 */

/** The kinds of caller every route is tried with. */
export const TOKEN_KINDS = ['none', 'member', 'unregistered', 'cashier', 'manager', 'admin', 'otherStoreStaff'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export interface Identity {
  /** The bearer token, or null for `none`. */
  token: string | null;
  audience: 'member' | 'staff' | 'admin' | null;
  role?: StaffRole;
}

export interface BadInputOptions {
  /** The base URL of the listening app (`http://127.0.0.1:PORT`). */
  baseUrl: string;
  dataSource: DataSource;
  identities: Record<TokenKind, Identity>;
  /** Whether a token string the checker did not mint verifies (garbage never should). */
  verifies: (token: string) => boolean;
  bodyLimitBytes: number;
  seed: number;
  runsPerRoute: number;
}

export interface Failure {
  route: string;
  kind: '5xx' | 'not refused' | 'error body' | 'state changed' | 'checker';
  message: string;
  /** The fast-check seed and path that replay this counterexample. */
  replay?: { seed: number; path?: string };
}

export interface Report {
  failures: Failure[];
  /** Requests sent per route (`METHOD /path`), and per token kind over all routes. */
  sent: Record<string, number>;
  byKind: Record<string, number>;
  /** Routes that accept any request (no schema, no caller, a safe method): only noise was sent. */
  noiseOnly: string[];
}

// ── JSON Schema, as `z.toJSONSchema` writes it ───────────────────────────────────────────────────

interface JS {
  type?: string | string[];
  properties?: Record<string, JS>;
  required?: string[];
  additionalProperties?: boolean | JS;
  items?: JS;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JS[];
  oneOf?: JS[];
  allOf?: JS[];
}

const jsonSchemaOf = (s: z.ZodType): JS => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JS;

const typesOf = (js: JS): string[] => {
  if (js.anyOf ?? js.oneOf) return (js.anyOf ?? js.oneOf ?? []).flatMap(typesOf);
  if (js.enum) return [...new Set(js.enum.map((v) => (v === null ? 'null' : typeof v)))];
  if (js.const !== undefined) return [js.const === null ? 'null' : typeof js.const];
  if (Array.isArray(js.type)) return js.type;
  return js.type ? [js.type] : [];
};

// ── Values ───────────────────────────────────────────────────────────────────────────────────────

/** Strings that break parsers, decoders, patterns and columns. */
const NASTY_STRINGS = [
  '',
  ' ',
  '%',
  '%E0%A4%A',
  '%00',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31m',
  '\r\n',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Eevil',
  '\uFEFF',
  'Ｚ',
  '😀',
  '👨‍👩‍👧‍👦',
  'e\u0301',
  '小明',
  "' OR '1'='1",
  '"; DROP TABLE members; --',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e999',
  '0x10',
  '9007199254740993',
  'true',
  '2024-02-30',
  '2024-13-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '10000-01-01',
];

const WRONG_TYPES: unknown[] = [null, true, false, 0, -1, 1.5, -0.5, 1e308, -1e308, 2 ** 53, '', 'x', '1', [], [null], [1, 2], {}, { x: 1 }];

const boundedString = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** A plausible valid value for a schema (a baseline the mutations start from; the oracle has the last word). */
function validValue(js: JS, depth = 0): fc.Arbitrary<unknown> {
  if (js.const !== undefined) return fc.constant(js.const);
  if (js.enum) return fc.constantFrom(...js.enum);
  const branches = js.anyOf ?? js.oneOf;
  if (branches?.length) return fc.oneof(...branches.map((b) => validValue(b, depth)));
  const type = Array.isArray(js.type) ? js.type[0] : js.type;
  switch (type) {
    case 'string':
      return validString(js);
    case 'integer':
    case 'number': {
      const min = js.minimum ?? (js.exclusiveMinimum !== undefined ? js.exclusiveMinimum + 1 : 0);
      const max = js.maximum ?? (js.exclusiveMaximum !== undefined ? js.exclusiveMaximum - 1 : min + 1000);
      return fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(Math.min(max, min + 1_000_000))) });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 3 || !js.items) return fc.constant([]);
      const minLength = js.minItems ?? 0;
      return fc.array(validValue(js.items, depth + 1), { minLength, maxLength: Math.max(minLength, Math.min(js.maxItems ?? 3, 3)) });
    }
    case 'object': {
      if (depth > 3) return fc.constant({});
      const props = js.properties ?? {};
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, validValue(v, depth + 1)]));
      return fc.record(model, { requiredKeys: (js.required ?? []).filter((k) => k in props) });
    }
    default:
      return fc.constantFrom<unknown>('x', 1, true);
  }
}

function validString(js: JS): fc.Arbitrary<string> {
  const minLength = js.minLength ?? 0;
  const maxLength = js.maxLength ?? 40;
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
  if (js.format === 'date-time')
    return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  if (js.format === 'date')
    return fc
      .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (js.pattern) {
    try {
      return fc.stringMatching(new RegExp(js.pattern)).filter(fits);
    } catch {
      // A pattern fast-check cannot generate from (a lookahead): any string; the field may then be invalid too.
    }
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, Math.max(minLength, 20)) });
}

/** Values a schema should refuse: the wrong type, off the bounds, off the pattern, missing and extra keys. */
function invalidValue(js: JS, depth = 0): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(...WRONG_TYPES), fc.constantFrom(...NASTY_STRINGS)];
  const types = typesOf(js);
  if (js.enum)
    options.push(fc.constantFrom(...js.enum.filter((v): v is string => typeof v === 'string').flatMap((v) => [v.toUpperCase(), ` ${v}`, `${v}\u0000`])));
  if (types.includes('string')) {
    const stringBranch = [js, ...(js.anyOf ?? js.oneOf ?? [])].find((b) => b.type === 'string') ?? js;
    if (stringBranch.maxLength !== undefined) {
      const over = stringBranch.maxLength + 1;
      options.push(fc.constantFrom('a', '汉', '😀', '\u0000', 'e\u0301').map((unit) => boundedString(unit, over * unit.length)));
    }
    if (stringBranch.minLength) options.push(fc.constant('a'.repeat(stringBranch.minLength - 1)));
    // Large but under the body limit, and larger than any column.
    options.push(fc.constantFrom(boundedString('x', 5000), boundedString('字', 3000)));
  }
  if (types.includes('integer') || types.includes('number')) {
    const n = [js, ...(js.anyOf ?? js.oneOf ?? [])].find((b) => b.type === 'integer' || b.type === 'number') ?? js;
    const edges: unknown[] = [1e21, -1e21, 2 ** 53 + 2, 0.5, -1, 1.0000001];
    if (n.minimum !== undefined) edges.push(n.minimum - 1, n.minimum - 0.5);
    if (n.exclusiveMinimum !== undefined) edges.push(n.exclusiveMinimum, n.exclusiveMinimum - 1);
    if (n.maximum !== undefined) edges.push(n.maximum + 1, n.maximum + 0.5);
    if (n.exclusiveMaximum !== undefined) edges.push(n.exclusiveMaximum);
    options.push(
      fc.constantFrom(...edges),
      fc.double().map((d) => (Number.isFinite(d) ? d : null)),
    );
  }
  if (types.includes('array') && js.items && depth < 3) {
    const items = js.items;
    options.push(fc.array(invalidValue(items, depth + 1), { minLength: 1, maxLength: 3 }));
    if (js.maxItems !== undefined) options.push(fc.array(validValue(items, depth + 1), { minLength: js.maxItems + 1, maxLength: js.maxItems + 3 }));
  }
  if (types.includes('object') && depth < 3) options.push(invalidObject(js, depth));
  return fc.oneof(...options);
}

/** An object with one thing wrong: a required key missing, an unknown key, or one field invalid. */
function invalidObject(js: JS, depth: number): fc.Arbitrary<unknown> {
  const props = js.properties ?? {};
  const keys = Object.keys(props);
  const base = validValue(js, depth) as fc.Arbitrary<Record<string, unknown>>;
  const options: fc.Arbitrary<unknown>[] = [];
  const required = (js.required ?? []).filter((k) => k in props);
  if (required.length) options.push(fc.tuple(base, fc.constantFrom(...required)).map(([o, k]) => withoutKey(o, k)));
  if (js.additionalProperties === false)
    options.push(fc.tuple(base, fc.constantFrom('extra', '__proto__', 'constructor', '', 'id', 'memberId', 'balance')).map(([o, k]) => ({ ...o, [k]: 1 })));
  if (keys.length) {
    options.push(
      fc
        .constantFrom(...keys)
        .chain((k) => fc.tuple(base, fc.constant(k), invalidValue(props[k], depth + 1)))
        .map(([o, k, v]) => ({ ...o, [k]: v })),
    );
  }
  return options.length ? fc.oneof(...options) : fc.constantFrom<unknown>(null, [], 'x');
}

function withoutKey(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _removed, ...rest } = o;
  return rest;
}

// ── Requests ─────────────────────────────────────────────────────────────────────────────────────

type Dim = 'auth' | 'params' | 'query' | 'body' | 'rawBody' | 'idempotencyKey';

interface Case {
  auth: { kind: TokenKind | 'garbage'; header: string[] };
  /** Raw path segments, as sent (percent-encoded, or deliberately malformed). */
  params: Record<string, string>;
  /** The raw query string, without `?`. */
  query: string;
  body: { text: string; contentType: string | null } | null;
  idempotencyKey: string[];
  noise: [string, string][];
}

const PARSED_METHODS = new Set(['post', 'put', 'patch']);
const BEARER = /^bearer ([A-Za-z0-9._-]+)$/i;
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json', 'APPLICATION/JSON'];
const OTHER_TYPES = [
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
];
/** The media types the body parser reads as JSON (its default list). */
const isJsonType = (ct: string | null) => ct !== null && /^application\/(json|json-patch\+json|vnd\.api\+json|csp-report|scim\+json)\s*(;|$)/i.test(ct.trim());

/** Header values Node's client accepts: tab, printable ASCII and Latin-1. */
const headerChar = fc
  .integer({ min: 0x20, max: 0xff })
  .filter((c) => c !== 0x7f)
  .map((c) => String.fromCharCode(c));
const headerString = (maxLength: number) => fc.string({ unit: headerChar, maxLength });

const ownsSafely = (o: unknown): boolean => {
  // The body parser refuses a `__proto__` key (prototype poisoning) with a 400.
  if (o === null || typeof o !== 'object') return true;
  if (Array.isArray(o)) return o.every(ownsSafely);
  for (const [k, v] of Object.entries(o)) {
    if (k === '__proto__') return false;
    if (!ownsSafely(v)) return false;
  }
  return true;
};

/** Koa's query parser (URLSearchParams; a repeated key becomes an array). */
function koaQuery(raw: string): Record<string, string | string[]> {
  const sp = new URLSearchParams(raw);
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(sp.keys())) {
    const values = sp.getAll(key);
    Object.defineProperty(out, key, { value: values.length <= 1 ? values[0] : values, writable: true, enumerable: true, configurable: true });
  }
  return out;
}

/** Percent-encodes; a lone surrogate (which cannot be sent in a URL) becomes U+FFFD. */
const encode = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

/** JSON text of any value (`undefined` as `null`). */
const jsonText = (v: unknown): string => (v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : JSON.stringify(v));
const bearer = (token: string | null): string[] => (token ? [`Bearer ${token}`] : []);

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Node drops duplicate Authorization headers after the first, joins duplicate custom headers with ", " and trims the value. */
const trimOws = (s: string) => s.replace(/^[ \t]+|[ \t]+$/g, '');
const serverSees = (values: string[], joined: boolean) => (values.length === 0 ? '' : trimOws(joined ? values.join(', ') : values[0]));

/** Does the schema refuse the value? A schema that throws refuses it too (and the server must still answer 4xx). */
function refuses(schema: z.ZodType | undefined, value: unknown): boolean {
  if (!schema) return false;
  try {
    return !schema.safeParse(value).success;
  } catch {
    return true;
  }
}

/** Why the pipeline must refuse the request (empty when it may accept it); `auth` reasons answer 401/403. */
export function refusalReasons(
  route: AnyRoute,
  c: Case,
  opts: Pick<BadInputOptions, 'identities' | 'verifies' | 'bodyLimitBytes'>,
): { auth: boolean; reasons: string[] } {
  const reasons: string[] = [];
  let auth = false;
  if (route.auth !== 'public') {
    const header = serverSees(c.auth.header, false);
    const m = BEARER.exec(header);
    const known = m ? Object.values(opts.identities).find((i) => i.token === m[1]) : undefined;
    const needed = route.auth.audience;
    const roles = route.auth.audience === 'staff' ? route.auth.roles : undefined;
    if (!m) auth = true;
    else if (!known) {
      if (opts.verifies(m[1])) return { auth: false, reasons: [] }; // cannot tell: never sent
      auth = true;
    } else if (known.audience !== needed) auth = true;
    else if (roles && known.role && !roles.includes(known.role)) auth = true;
    if (auth) reasons.push('caller');
  }
  if (route.params && refuses(route.params, Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, safeDecode(v)])))) reasons.push('path');
  if (route.query && refuses(route.query, koaQuery(c.query))) reasons.push('query');
  let body: unknown = {};
  if (PARSED_METHODS.has(route.method) && c.body && isJsonType(c.body.contentType)) {
    // The decoder drops a leading byte-order mark.
    const text = c.body.text.replace(/^\uFEFF/, '');
    if (Buffer.byteLength(c.body.text) > opts.bodyLimitBytes) reasons.push('body too large');
    else if (text !== '' && !/^[ \t\n\r]*(\[|\{)/.test(text)) reasons.push('body not a JSON object or array');
    else if (text !== '') {
      try {
        body = JSON.parse(text) as unknown;
        if (!ownsSafely(body)) reasons.push('body poisons a prototype');
      } catch {
        reasons.push('body not JSON');
      }
    }
  }
  if (!reasons.some((r) => r.startsWith('body')) && route.body && refuses(route.body, body)) reasons.push('body');
  if (route.idempotent) {
    const key = serverSees(c.idempotencyKey, true);
    if (key === '' ? route.idempotent === 'required' : !IdempotencyKey.safeParse(key).success) reasons.push('Idempotency-Key');
  }
  return { auth, reasons };
}

/** The invalid dimensions a route offers: what can be made wrong in a request to it. */
export function dimensionsOf(route: AnyRoute): Dim[] {
  const dims: Dim[] = [];
  if (route.auth !== 'public') dims.push('auth');
  if (route.params) dims.push('params');
  if (route.query) dims.push('query');
  if (PARSED_METHODS.has(route.method)) dims.push('rawBody');
  if (route.body && PARSED_METHODS.has(route.method)) dims.push('body');
  if (route.idempotent) dims.push('idempotencyKey');
  return dims;
}

const pathParamsOf = (path: string) => [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);

/**
 * Routes the checker cannot drive: a path parameter without a schema (a malformed id would reach the
 * handler unchecked), or a route with nothing that can be made invalid that is not a public read.
 */
export function coverageProblems(routes: readonly AnyRoute[]): string[] {
  const problems: string[] = [];
  for (const r of routes) {
    const key = `${r.method.toUpperCase()} ${r.path}`;
    const declared = r.params ? Object.keys(jsonSchemaOf(r.params).properties ?? {}) : [];
    for (const p of pathParamsOf(r.path)) if (!declared.includes(p)) problems.push(`${key}: path parameter :${p} has no schema`);
    if (dimensionsOf(r).length === 0 && !(r.auth === 'public' && r.method === 'get')) problems.push(`${key}: no input can be made invalid (no generator)`);
  }
  return problems;
}

function caseArbitrary(route: AnyRoute, opts: BadInputOptions): fc.Arbitrary<Case> {
  const kinds = TOKEN_KINDS;
  const tokens = kinds.map((k) => opts.identities[k].token).filter((t): t is string => t !== null);
  const someToken = fc.constantFrom(...tokens);
  const garbageAuth: fc.Arbitrary<string[]> = fc.oneof(
    fc.constantFrom<string[]>([''], ['Bearer'], ['Bearer '], ['Basic dXNlcjpwYXNz'], ['Bearer e30.e30.'], ['Bearer a.b.c'], [`Bearer ${'A'.repeat(4000)}`]),
    headerString(200).map((s) => [s]),
    headerString(60).map((s) => [`Bearer ${s}`]),
    someToken.map((t) => [`Bearer  ${t}`]),
    someToken.map((t) => [`Token ${t}`]),
    someToken.map((t) => [`Bearer ${t} extra`]),
    someToken.map((t) => [`Bearer ${t.slice(0, -3)}`]),
    someToken.map((t) => [`Bearer ${t}x`]),
    someToken.map((t) => [`Bearer ${t.split('.')[0]}.${Buffer.from('{"sub":"x","aud":"admin"}').toString('base64url')}.${t.split('.')[2] ?? ''}`]),
    someToken.map((t) => [`Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${t.split('.')[1] ?? ''}.`]),
    fc.tuple(headerString(40), someToken).map(([g, t]) => [`Bearer ${g}`, `Bearer ${t}`]),
  );
  const identityArb = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(...kinds).map((kind) => ({ kind, header: bearer(opts.identities[kind].token) })),
    },
    { weight: 1, arbitrary: garbageAuth.map((header) => ({ kind: 'garbage' as const, header })) },
  );

  const paramNames = pathParamsOf(route.path);
  const paramsJs = route.params ? jsonSchemaOf(route.params) : null;
  const segment = (name: string, invalid: boolean): fc.Arbitrary<string> => {
    const js = paramsJs?.properties?.[name] ?? {};
    const value = invalid ? invalidValue(js).map((v) => (typeof v === 'string' ? v : jsonText(v))) : validValue(js).map(String);
    const encoded = value.map(encode);
    const raw = invalid
      ? fc.oneof(
          { weight: 4, arbitrary: encoded },
          { weight: 1, arbitrary: fc.constantFrom('%E0%A4%A', '%', '%zz', '%00', '%2F', '%C0%AF', 'a%20b', '%F0%9F%98') },
        )
      : encoded;
    // An empty or dot segment would address another path, not this route.
    return raw.filter((s) => s !== '' && s !== '.' && s !== '..' && s.length <= 2000);
  };
  const paramsArb = (invalid: boolean) =>
    paramNames.length ? fc.record(Object.fromEntries(paramNames.map((n) => [n, segment(n, invalid)]))) : fc.constant({});

  const queryJs = route.query ? jsonSchemaOf(route.query) : null;
  const toQuery = (o: unknown) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return encode(jsonText(o));
    const sp: string[] = [];
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      for (const one of Array.isArray(v) ? v : [v]) sp.push(`${encode(k)}=${encode(typeof one === 'string' ? one : jsonText(one))}`);
    }
    return sp.join('&');
  };
  // Bounded: a request line past Node's header limit is a 431 from Node itself, before the app.
  const validQuery = (queryJs ? validValue(queryJs).map(toQuery) : fc.constantFrom('', 'unknown=1')).filter((q) => q.length <= 2000);
  const invalidQuery = queryJs
    ? fc
        .oneof(
          { weight: 4, arbitrary: invalidObject(queryJs, 0).map(toQuery) },
          // Repeated keys (arrays), malformed escapes and raw junk.
          { weight: 1, arbitrary: fc.constantFrom(...Object.keys(queryJs.properties ?? { x: 1 })).map((k) => `${k}=1&${k}=2`) },
          {
            weight: 1,
            arbitrary: fc
              .constantFrom(...Object.keys(queryJs.properties ?? { x: 1 }))
              .chain((k) => fc.constantFrom('%', '%E0%A4%A', '%00', '', '=', '&&', '[]=1').map((v) => `${k}=${v}`)),
          },
          { weight: 1, arbitrary: headerString(300).map(encode) },
        )
        .filter((q) => q.length <= 2000)
    : validQuery;

  const bodyJs = route.body ? jsonSchemaOf(route.body) : null;
  const validBody = bodyJs ? validValue(bodyJs) : fc.constant({});
  const jsonBody = (v: fc.Arbitrary<unknown>) =>
    fc.tuple(v, fc.constantFrom(...JSON_TYPES)).map(([value, contentType]) => ({ text: jsonText(value), contentType }));
  const invalidBody = bodyJs
    ? fc.oneof({ weight: 3, arbitrary: invalidObject(bodyJs, 0) }, { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES) })
    : fc.constantFrom<unknown>(null);
  const nest = (depth: number, open: string, inner: string, close: string) => open.repeat(depth) + inner + close.repeat(depth);
  const rawBody: fc.Arbitrary<{ text: string; contentType: string | null }> = fc.oneof(
    // Not JSON, or JSON the parser refuses (a scalar, prototype poisoning), under a JSON media type.
    fc
      .tuple(
        fc.oneof(
          fc.constantFrom(
            '{',
            '{"a":',
            '[1,]',
            "{'a':1}",
            '{"a":1}}',
            'nul',
            'NaN',
            '"text"',
            '42',
            'null',
            'true',
            '\uFEFF{}',
            '{"__proto__":{"x":1}}',
            '{"constructor":{"prototype":{"x":1}}}',
            '{"a":"\\u0000\\uD800"}',
          ),
          fc.constantFrom(nest(1000, '[', '', ']'), nest(1000, '{"a":', '1', '}'), nest(1000, '{"a":[', '"x"', ']}')),
          fc.constant('x'.repeat(opts.bodyLimitBytes + 1)),
          fc.constant(`{"a":"${'x'.repeat(opts.bodyLimitBytes)}"}`),
          fc.string({ maxLength: 200 }),
        ),
        fc.constantFrom(...JSON_TYPES),
      )
      .map(([text, contentType]) => ({ text, contentType })),
    // A valid-looking body under another media type (the parser leaves it unread: the body is empty).
    fc.tuple(validBody, fc.constantFrom<string | null>(...OTHER_TYPES, null)).map(([v, contentType]) => ({ text: jsonText(v), contentType })),
  );

  const validKey = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
  const invalidKey: fc.Arbitrary<string[]> = fc.oneof(
    fc.constantFrom<string[]>([''], ['a'.repeat(129)], ['a b'], ['cl\u00e9'], ['../x'], ['a,b'], ['k;drop'], ['\t']),
    headerString(300).map((s) => [s]),
    fc.tuple(validKey, validKey).map(([a, b]) => [a, b]),
  );
  const noise = fc.array(
    fc.oneof(
      fc.tuple(
        fc.constantFrom('X-Forwarded-For', 'X-Request-Id', 'Accept', 'Accept-Language', 'User-Agent', 'Cookie', 'Origin', 'X-Real-IP', 'If-None-Match'),
        headerString(200),
      ),
      fc.tuple(fc.constantFrom('X-Big', 'User-Agent', 'Cookie'), fc.constantFrom('x'.repeat(4000), 'é'.repeat(2000))),
    ),
    { maxLength: 3 },
  );

  const dims = dimensionsOf(route);
  const pick = <T>(dim: Dim, primary: Dim | null, valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) =>
    dim === primary ? invalid : fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: invalid });
  const primaryArb: fc.Arbitrary<Dim | null> = dims.length ? fc.constantFrom(...dims) : fc.constant(null);

  return primaryArb.chain((primary) => {
    const wrongKinds = kinds.filter((k) => {
      const i = opts.identities[k];
      if (route.auth === 'public') return false;
      if (i.audience !== route.auth.audience) return true;
      return route.auth.audience === 'staff' && !!route.auth.roles && !!i.role && !route.auth.roles.includes(i.role);
    });
    // Mostly a caller the route accepts, so the request gets as far as validation.
    const rightKinds = kinds.filter((k) => !wrongKinds.includes(k));
    const asIdentity = (kind: TokenKind) => ({ kind, header: bearer(opts.identities[kind].token) });
    const authValid = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...rightKinds).map(asIdentity) }, { weight: 1, arbitrary: identityArb });
    const garbageIdentity = garbageAuth.map((header) => ({ kind: 'garbage' as const, header }));
    const authInvalid = wrongKinds.length
      ? fc.oneof(
          fc.constantFrom(...wrongKinds).map((kind) => ({ kind, header: bearer(opts.identities[kind].token) })),
          garbageIdentity,
        )
      : garbageIdentity;
    const bodyValid = PARSED_METHODS.has(route.method) ? jsonBody(validBody) : fc.constant(null);
    const bodyInvalid = PARSED_METHODS.has(route.method) ? jsonBody(invalidBody) : fc.constant(null);
    return fc.record({
      auth: pick('auth', primary, authValid, authInvalid),
      params: pick('params', primary, paramsArb(false), paramsArb(true)),
      query: pick('query', primary, validQuery, invalidQuery),
      body: primary === 'rawBody' ? rawBody : pick('body', primary, bodyValid, bodyInvalid),
      idempotencyKey: pick<string[]>(
        'idempotencyKey',
        primary,
        fc.oneof(
          fc.constant<string[]>([]),
          validKey.map((k) => [k]),
        ),
        invalidKey,
      ),
      noise,
    });
  });
}

// ── Sending ──────────────────────────────────────────────────────────────────────────────────────

interface Reply {
  status: number;
  contentType: string;
  body: unknown;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function send(baseUrl: string, route: AnyRoute, c: Case): Promise<Reply> {
  const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => c.params[name] ?? 'x') + (c.query ? `?${c.query}` : '');
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ agent, host: url.hostname, port: url.port, method: route.method.toUpperCase(), path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = res.headers['content-type'] ?? '';
        let body: unknown = text;
        if (contentType.includes('json')) {
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            body = text;
          }
        }
        resolve({ status: res.statusCode ?? 0, contentType, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    if (c.auth.header.length) req.setHeader('Authorization', c.auth.header);
    if (c.idempotencyKey.length) req.setHeader('Idempotency-Key', c.idempotencyKey);
    for (const [name, value] of c.noise) req.setHeader(name, value);
    if (c.body) {
      if (c.body.contentType !== null) req.setHeader('Content-Type', c.body.contentType);
      req.setHeader('Content-Length', Buffer.byteLength(c.body.text));
      req.end(c.body.text);
    } else {
      req.end();
    }
  });
}

// ── State ────────────────────────────────────────────────────────────────────────────────────────

/** A checksum of every table of the database (`CHECKSUM TABLE`, a full read of each row). */
export async function databaseChecksum(ds: DataSource): Promise<Record<string, string>> {
  const tables = (await ds.query<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'`,
  )) as {
    name: string;
  }[];
  const rows = await ds.query<{ Table: string; Checksum: string | number | null }[]>(`CHECKSUM TABLE ${tables.map((t) => `\`${t.name}\``).join(', ')}`);
  return Object.fromEntries(rows.map((r) => [r.Table.split('.').pop() ?? r.Table, String(r.Checksum)]));
}

const changedTables = (a: Record<string, string>, b: Record<string, string>) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((t) => a[t] !== b[t]).sort();

const routeSeed = (seed: number, key: string) => (seed ^ createHash('sha256').update(key).digest().readInt32BE(0)) | 0;

const show = (c: Case) =>
  JSON.stringify(
    { ...c, body: c.body && { ...c.body, text: c.body.text.length > 300 ? `${c.body.text.slice(0, 300)}… (${c.body.text.length} chars)` : c.body.text } },
    (_k, v: unknown) => (typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}… (${v.length} chars)` : v),
  );

/**
 * Sends `runsPerRoute` refused-by-construction requests to each route and reports every 5xx, every
 * request not refused with the contract's error body, and every route whose requests changed the
 * database. Each route has its own seed derived from `seed` and its key, so a failure replays alone.
 */
export async function checkBadInput(routes: readonly AnyRoute[], opts: BadInputOptions): Promise<Report> {
  const report: Report = { failures: [], sent: {}, byKind: {}, noiseOnly: [] };
  for (const route of routes) {
    const key = `${route.method.toUpperCase()} ${route.path}`;
    const seed = routeSeed(opts.seed, key);
    report.sent[key] = 0;
    const noiseOnly = dimensionsOf(route).length === 0;
    if (noiseOnly) report.noiseOnly.push(key);
    if (process.env.PROPERTY_TRACE) process.stderr.write(`bad-input: ${key}\n`);
    const before = await databaseChecksum(opts.dataSource);
    const result = await fc.check(
      fc.asyncProperty(caseArbitrary(route, opts), async (c) => {
        const { auth, reasons } = refusalReasons(route, c, opts);
        if (!noiseOnly) fc.pre(reasons.length > 0);
        const reply = await send(opts.baseUrl, route, c);
        report.sent[key] += 1;
        report.byKind[c.auth.kind] = (report.byKind[c.auth.kind] ?? 0) + 1;
        const where = `${reply.status} for a request refused for ${reasons.join(', ') || 'nothing (noise only)'}`;
        if (reply.status >= 500) throw new BadInputError('5xx', `${where}: ${JSON.stringify(reply.body)}`);
        if (noiseOnly) return;
        if (reply.status < 400) throw new BadInputError('not refused', where);
        const parsed = ErrorBody.safeParse(reply.body);
        if (!parsed.success) throw new BadInputError('error body', `${where}: not the contract's error body: ${JSON.stringify(reply.body).slice(0, 300)}`);
        const code = parsed.data.error.code;
        const status = reply.status === 413 && code === 'VALIDATION_FAILED' ? 400 : reply.status;
        if (STATUS_OF[code] !== status) throw new BadInputError('error body', `${where}: code ${code} is a ${STATUS_OF[code]}`);
        // The body parser runs before the router: a body it refuses is a 400 (413 when too large) whoever calls.
        const byParser = reasons.some((r) => r.startsWith('body') && r !== 'body');
        const expected = auth && !byParser ? ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED'] : ['VALIDATION_FAILED', 'RATE_LIMITED'];
        if (!expected.includes(code)) throw new BadInputError('not refused', `${where}: answered ${code}, expected ${expected.join(' or ')}`);
      }),
      { seed, numRuns: opts.runsPerRoute, maxSkipsPerRun: 1000, endOnFailure: true, interruptAfterTimeLimit: 20_000 },
    );
    if (result.failed) {
      const err = result.errorInstance;
      report.failures.push({
        route: key,
        kind: err instanceof BadInputError ? err.kind : 'checker',
        message: `${err instanceof Error ? err.message : String(err)}\n  counterexample: ${result.counterexample ? show(result.counterexample[0]) : '(none)'}`,
        replay: { seed, path: result.counterexamplePath ?? undefined },
      });
    }
    // A write a request left running (not awaited) still lands in this route's account.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await databaseChecksum(opts.dataSource);
    const changed = changedTables(before, after);
    if (changed.length)
      report.failures.push({ route: key, kind: 'state changed', message: `refused requests changed ${changed.join(', ')}`, replay: { seed } });
  }
  return report;
}

class BadInputError extends Error {
  constructor(
    readonly kind: Failure['kind'],
    message: string,
  ) {
    super(message);
  }
}

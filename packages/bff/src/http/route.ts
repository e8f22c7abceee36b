import { createHash } from 'node:crypto';
import { DomainError, ErrorBody, IdempotencyKey } from '@member/shared';
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { isDuplicateKey, type Db } from '../db/db';
import { IdempotencyEntity } from '../db/entities';
import { newId } from '../services/crypto';
import { STATUS_OF } from './errors';
import type { RateLimit } from './rate-limit';
import type { Audience, TokenService } from './tokens';

export interface Caller {
  aud: Audience;
  sub: string;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<B, Q, P> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  caller: Caller | null;
  ctx: Context;
}

/**
 * One route, declared once: its schemas validate the request and generate the OpenAPI document,
 * its `auth` picks the token audience, and `idempotent` makes it honour Idempotency-Key.
 * The handler returns the `data` of the response (or the whole body when `paged`).
 */
export interface RouteSpec<B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, P extends Schema | undefined = undefined> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  auth: 'public' | Audience;
  body?: B;
  query?: Q;
  params?: P;
  /** Schema of `data` (or of the whole body when `paged`). */
  response?: Schema;
  status?: number;
  paged?: boolean;
  /** Honour Idempotency-Key; 'required' refuses a request without one (400). */
  idempotent?: boolean | 'required';
  rateLimit?: (ctx: Context) => [RateLimit, string];
  errors?: (keyof typeof STATUS_OF)[];
  handler: (input: RouteInput<B, Q, P>) => Promise<unknown>;
}

// Routes are kept type-erased in the table; `route()` checks each one where it is written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>;

export function route<B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, P extends Schema | undefined = undefined>(
  spec: RouteSpec<B, Q, P>,
): AnyRoute {
  return spec as AnyRoute;
}

function validationError(where: string, error: z.ZodError): DomainError {
  return new DomainError('VALIDATION_FAILED', `invalid ${where}`, {
    issues: error.issues.map((i) => ({ in: where, path: i.path.map(String), message: i.message, code: i.code })),
  });
}

function parse<S extends Schema | undefined>(schema: S, value: unknown, where: string): Out<S> {
  if (!schema) return undefined as Out<S>;
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(where, r.error);
  return r.data as Out<S>;
}

function callerOf(ctx: Context, tokens: TokenService, auth: RouteSpec['auth']): Caller | null {
  if (auth === 'public') return null;
  const header = ctx.get('authorization');
  const m = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
  if (!m) throw new DomainError('UNAUTHENTICATED', 'missing bearer token');
  const claims = tokens.verify(m[1]);
  if (claims.aud !== auth) throw new DomainError('FORBIDDEN', `this route needs a ${auth} token`);
  return claims;
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}

interface Reply {
  status: number;
  body: unknown;
}

/**
 * Runs `run` at most once per (caller, route, Idempotency-Key): the record is inserted in the same
 * transaction as the effect, so a concurrent duplicate waits on the unique key and then replays
 * the committed response; a different body under the same key is 409 IDEMPOTENCY_MISMATCH.
 * Failures are not recorded: retrying a refused request evaluates it again.
 */
async function idempotently(db: Db, scope: string, key: string, requestHash: string, run: () => Promise<Reply>): Promise<Reply & { replayed: boolean }> {
  const replay = async () => {
    const prior = await db.manager.findOneBy(IdempotencyEntity, { scope, idemKey: key });
    if (!prior) return null;
    if (prior.requestHash !== requestHash) throw new DomainError('IDEMPOTENCY_MISMATCH', 'Idempotency-Key reused with a different request');
    return { status: prior.statusCode, body: JSON.parse(prior.responseBody ?? 'null'), replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await db.transaction(async (em) => {
      const id = newId();
      await em.insert(IdempotencyEntity, { id, scope, idemKey: key, requestHash, statusCode: 0, responseBody: null, createdAt: new Date() });
      const reply = await run();
      await em.update(IdempotencyEntity, { id }, { statusCode: reply.status, responseBody: JSON.stringify(reply.body) });
      return { ...reply, replayed: false };
    });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    const later = await replay();
    if (later) return later;
    throw e;
  }
}

export interface RouteDeps {
  db: Db;
  tokens: TokenService;
}

export function mount(router: Router, routes: AnyRoute[], deps: RouteDeps): void {
  for (const spec of routes) {
    router[spec.method](spec.path, async (ctx: Context) => {
      ctx.state.routeTemplate = spec.path;
      if (spec.rateLimit) {
        const [limit, key] = spec.rateLimit(ctx);
        await limit.consume(key);
      }
      const caller = callerOf(ctx, deps.tokens, spec.auth);
      const params = parse(spec.params, ctx.params, 'path');
      const query = parse(spec.query, ctx.query, 'query');
      const body = parse(spec.body, (ctx.request as { body?: unknown }).body ?? {}, 'body');
      const run = async (): Promise<Reply> => {
        const result = await spec.handler({ body, query, params, caller, ctx });
        // Every list has the contract's shape; a list that is not paged says so with a null cursor.
        const reply = spec.paged ? result : Array.isArray(result) ? { data: result, nextCursor: null } : { data: result };
        return { status: spec.status ?? 200, body: reply };
      };
      const rawKey = ctx.get('idempotency-key');
      if (spec.idempotent === 'required' && rawKey === '') {
        throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key header is required', {
          issues: [{ in: 'header', path: ['Idempotency-Key'], message: 'required' }],
        });
      }
      let reply: Reply;
      if (spec.idempotent && rawKey !== '') {
        const key = IdempotencyKey.safeParse(rawKey);
        if (!key.success) throw validationError('header Idempotency-Key', key.error);
        const scope = `${caller?.aud ?? 'public'}:${caller?.sub ?? '-'}:${spec.method} ${spec.path}`.slice(0, 128);
        const hash = createHash('sha256').update(stableStringify({ params, body })).digest('hex');
        const r = await idempotently(deps.db, scope, key.data, hash, run);
        if (r.replayed) ctx.set('Idempotent-Replayed', 'true');
        reply = r;
      } else {
        reply = await run();
      }
      ctx.status = reply.status;
      ctx.body = reply.body;
    });
  }
}

/** OpenAPI 3.1 document generated from the same route table and schemas that validate requests. */
export function openApiDocument(routes: AnyRoute[], info: { title: string; version: string }) {
  const json = (s: Schema, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [['path', r.params], ['query', r.query]] as const) {
      if (!schema) continue;
      const js = json(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
      }
    }
    if (r.idempotent) {
      parameters.push({ name: 'Idempotency-Key', in: 'header', required: r.idempotent === 'required', schema: { type: 'string', minLength: 1, maxLength: 255 } });
    }
    const status = String(r.status ?? 200);
    const dataSchema = r.response
      ? r.paged
        ? r.response
        : r.response instanceof z.ZodArray
          ? z.object({ data: r.response, nextCursor: z.null() })
          : z.object({ data: r.response })
      : z.object({ data: z.unknown() });
    const responses: Record<string, unknown> = {
      [status]: { description: 'success', content: { 'application/json': { schema: json(dataSchema, 'output') } } },
    };
    const errorCodes = new Set<keyof typeof STATUS_OF>(['VALIDATION_FAILED', ...(r.auth !== 'public' ? (['UNAUTHENTICATED', 'FORBIDDEN'] as const) : []), ...(r.errors ?? [])]);
    for (const code of errorCodes) {
      const s = String(STATUS_OF[code]);
      const existing = responses[s] as { description: string } | undefined;
      responses[s] = {
        description: existing ? `${existing.description}, ${code}` : code,
        content: { 'application/json': { schema: json(ErrorBody, 'output') } },
      };
    }
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      tags: [r.tag],
      ...(r.auth !== 'public' ? { security: [{ [`${r.auth}Token`]: [] }] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  const bearer = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: { securitySchemes: { memberToken: bearer, staffToken: bearer, adminToken: bearer } },
  };
}

import { ErrorBody, IdempotencyKey, type ErrorCode } from '@member/shared';
import { z } from 'zod';
import { STATUS_OF } from './errors';
import type { AnyRoute } from './route';

const json = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const { $schema: _, ...idempotencyKeySchema } = json(IdempotencyKey, 'input');

/** The body a route answers with on success: its declared `data` schema inside the envelope (a file's bytes for binary routes). */
export function successBodySchema(r: AnyRoute): z.ZodType {
  if (r.binary) return z.instanceof(Uint8Array);
  if (r.paged) return z.object({ data: z.array(r.response), nextCursor: z.string().nullable() });
  if (r.response instanceof z.ZodArray) return z.object({ data: r.response, nextCursor: z.null() });
  return z.object({ data: r.response });
}

const camel = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * A stable operationId from the method and the contract's path, which never changes:
 * `GET /api/v1/me/points/ledger` → `getMePointsLedger`, `POST /api/v1/me/orders/{orderId}/review` →
 * `postMeOrdersByOrderIdReview`. Generated, so a new route has one the day it is added.
 */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v\d+\//, '')
    .split('/')
    .filter(Boolean)
    .flatMap((seg) => {
      const param = /^[:{]([A-Za-z]+)\}?$/.exec(seg);
      return param ? ['by', param[1]] : seg.split(/[-_.]/);
    });
  return method.toLowerCase() + words.map(camel).join('');
}

/** OpenAPI 3.1 document generated from the same route table and schemas that validate requests. */
export function openApiDocument(routes: readonly AnyRoute[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!schema) continue;
      const js = json(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
      }
    }
    if (r.idempotent) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: r.idempotent === 'required',
        description: 'The same key and body replay the first response; 1–128 characters of A-Z, a-z, 0-9, - and _ (longer keys are 400).',
        schema: idempotencyKeySchema,
      });
    }
    const success = r.binary
      ? Object.fromEntries(r.binary.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }]))
      : { 'application/json': { schema: json(successBodySchema(r), 'output') } };
    const responses: Record<string, unknown> = { [String(r.status ?? 200)]: { description: 'success', content: success } };
    const errorCodes = new Set<ErrorCode>([
      'VALIDATION_FAILED',
      ...(r.auth !== 'public' ? (['UNAUTHENTICATED', 'FORBIDDEN'] as const) : []),
      ...(r.errors ?? []),
      // Any route may find the database away for a moment (a restart, a failover): retry later.
      'SERVICE_UNAVAILABLE',
    ]);
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
      operationId: operationIdOf(r.method, path),
      summary: r.summary,
      tags: [r.tag],
      // Public operations say so (an empty requirement), rather than leaving it unsaid. A staff
      // route narrowed to roles lists them as the requirement's role names (OpenAPI 3.1 allows role
      // names there for non-OAuth schemes), so clients and the access-matrix tests can read them.
      security: r.auth !== 'public' ? [{ [`${r.auth.audience}Token`]: r.auth.audience === 'staff' ? [...(r.auth.roles ?? [])] : [] }] : [],
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  const bearer = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
  return {
    openapi: '3.1.0',
    info,
    // Paths are absolute from the BFF's origin (the H5 app and the API share it).
    servers: [{ url: '/', description: 'this BFF' }],
    paths,
    components: { securitySchemes: { memberToken: bearer, staffToken: bearer, adminToken: bearer } },
  };
}

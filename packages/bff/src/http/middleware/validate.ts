import { DomainError, IdempotencyKey } from '@member/shared';
import type { Middleware } from 'koa';
import type { z } from 'zod';
import type { AnyRoute } from '../route';
import { routeState } from './state';

export function validationError(where: string, error: z.ZodError): DomainError {
  return new DomainError('VALIDATION_FAILED', `invalid ${where}`, {
    issues: error.issues.map((i) => ({ in: where, path: i.path.map(String), message: i.message, code: i.code })),
  });
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(where, r.error);
  return r.data;
}

/**
 * Validates path, query, body and the Idempotency-Key header against the route's schemas; a
 * malformed request is a 400 VALIDATION_FAILED naming every bad field, and reaches no handler.
 */
export function validate(route: AnyRoute): Middleware {
  return async (ctx, next) => {
    const state = routeState(ctx);
    state.params = parse(route.params, ctx.params, 'path');
    state.query = parse(route.query, ctx.query, 'query');
    state.body = parse(route.body, (ctx.request as { body?: unknown }).body ?? {}, 'body');
    const rawKey = ctx.get('idempotency-key');
    state.idempotencyKey = null;
    if (route.idempotent) {
      if (rawKey === '') {
        if (route.idempotent === 'required') {
          throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key header is required', {
            issues: [{ in: 'header', path: ['Idempotency-Key'], message: 'required' }],
          });
        }
      } else {
        const key = IdempotencyKey.safeParse(rawKey);
        if (!key.success) throw validationError('header Idempotency-Key', key.error);
        state.idempotencyKey = key.data;
      }
    }
    await next();
  };
}

import { createHash } from 'node:crypto';
import { DomainError } from '@member/shared';
import type { Middleware } from 'koa';
import { isDuplicateKey, type Db } from '../../db/db';
import type { IdempotencyRepository } from '../../db/repositories';
import { newId } from '../../lib/ids';
import type { AnyRoute } from '../route';
import { routeState } from './state';

/** JSON with sorted keys, so the same request hashes the same whatever the key order. */
function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    // What JSON.stringify answers undefined for (its type says string).
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return 'null';
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}

/**
 * Makes the handler run at most once per (caller, route, Idempotency-Key). The key is claimed with
 * an INSERT in the same transaction as the effect, before it: a concurrent duplicate waits on the
 * unique key and, once the first commits, replays its stored response; a later retry fails the
 * INSERT at once and replays. A different body under the same key is 409 IDEMPOTENCY_MISMATCH.
 * Failures are not recorded: retrying a refused request evaluates it again.
 *
 * The transaction wraps the handler only (via `state.once`, which `respond` calls), not the rest of
 * the middleware chain, so a deadlock victim can safely be run again.
 */
export function idempotency(route: AnyRoute, deps: { db: Db; records: IdempotencyRepository }): Middleware {
  return async (ctx, next) => {
    const state = routeState(ctx);
    const key = state.idempotencyKey;
    if (!route.idempotent || route.idempotencyOwnedByService || key === null) {
      await next();
      return;
    }
    const caller = state.caller;
    const who = caller === null ? 'public:-' : caller.audience === 'member' ? `member:${caller.memberId}` : `${caller.audience}:${caller.staffId}`;
    const scope = `${who}:${route.method} ${route.path}`.slice(0, 128);
    const requestHash = createHash('sha256')
      .update(stableStringify({ params: state.params, body: state.body }))
      .digest('hex');
    state.once = async (produce) => {
      try {
        return await deps.db.transaction(async () => {
          const id = newId();
          await deps.records.claim({ id, scope, idemKey: key, requestHash, statusCode: 0, responseBody: null, createdAt: new Date() });
          const reply = await produce();
          await deps.records.complete(id, reply.status, JSON.stringify(reply.body));
          return { ...reply, replayed: false };
        });
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        const prior = await deps.records.find(scope, key);
        if (!prior) throw e;
        if (prior.requestHash !== requestHash) throw new DomainError('IDEMPOTENCY_MISMATCH', 'Idempotency-Key reused with a different request');
        return { status: prior.statusCode, body: JSON.parse(prior.responseBody ?? 'null') as unknown, replayed: true };
      }
    };
    await next();
  };
}

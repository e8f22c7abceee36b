import type { Middleware } from 'koa';
import { FileBody, type AnyRoute, type Page } from '../route';
import { routeState, type Reply } from './state';

/**
 * Calls the handler with the typed caller and validated input, and wraps what it returns in the
 * contract's envelope: `{data}`, or `{data: [...], nextCursor}` for lists (null when not paged); a
 * `binary` route answers with the file's bytes and media type instead.
 * Anything carrying a caller's data (and every sign-in: it carries a token) is `Cache-Control:
 * no-store`. With an Idempotency-Key the handler runs through `state.once`.
 */
export function respond(route: AnyRoute): Middleware {
  return async (ctx) => {
    const state = routeState(ctx);
    const produce = async (): Promise<Reply> => {
      const result = await route.handler({
        caller: state.caller,
        body: state.body,
        query: state.query,
        params: state.params,
        idempotencyKey: state.idempotencyKey,
        replayed: () => {
          state.replayed = true;
        },
        clientAddress: ctx.ip,
      });
      if (route.binary) {
        const file = FileBody.parse(result);
        if (!route.binary.includes(file.contentType)) throw new Error(`a ${file.contentType} file from a route that answers ${route.binary.join(', ')}`);
        return { status: route.status ?? 200, body: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength), type: file.contentType };
      }
      if (route.paged) {
        const page = result as Page<unknown>;
        return { status: route.status ?? 200, body: { data: page.items, nextCursor: page.nextCursor } };
      }
      return { status: route.status ?? 200, body: Array.isArray(result) ? { data: result, nextCursor: null } : { data: result } };
    };
    const reply = state.once ? await state.once(produce) : { ...(await produce()), replayed: false };
    ctx.status = reply.status;
    ctx.body = reply.body;
    if (reply.type) ctx.type = reply.type;
    ctx.set('Cache-Control', route.auth === 'public' ? (route.cacheControl ?? 'no-cache') : 'no-store');
    if (state.replayed || reply.replayed) ctx.set('Idempotent-Replayed', 'true');
  };
}

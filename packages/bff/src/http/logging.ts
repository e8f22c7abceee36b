import pino, { type Logger } from 'pino';
import type { Middleware } from 'koa';
import { newId } from '../lib/ids';

/** Paths pino blanks wherever they appear in a log object: no phone, openid or token reaches a log. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  '*.phone',
  '*.phoneCode',
  '*.openid',
  '*.token',
  '*.code',
  '*.codeSecret',
  '*.sessionKey',
  '*.session_key',
  'phone',
  'openid',
  'token',
  'codeSecret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'member-bff' } }, destination);
}

const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Gives every request an id (a well-formed incoming X-Request-Id, or a new one), echoes it, and logs
 * one line per request with the matched route template (not the raw URL, which may hold tokens).
 */
export function requestLogging(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : newId();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          requestId,
          method: ctx.method,
          // The matched route's template, never the raw path: a path may carry a phone number or a code.
          route: ctx.state.routeTemplate ?? '(no route)',
          status: ctx.status,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    }
  };
}

/**
 * An error as it may be logged: its kind, the database's error code and a stack, but no values —
 * a failed query's message and parameters can hold a phone number, an openid or a token.
 */
export function loggableError(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { type: typeof e };
  const driver = (e as { driverError?: { code?: unknown; errno?: unknown } }).driverError;
  // `sqlCode`, not `code`: the redaction of `*.code` (member codes) would blank it.
  if (driver || e.name === 'QueryFailedError') return { type: e.name, sqlCode: driver?.code, errno: driver?.errno };
  return { type: e.name, message: e.message, stack: e.stack };
}

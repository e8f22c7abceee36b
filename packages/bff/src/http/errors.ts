import { DomainError, type ErrorCode } from '@member/shared';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/db';
import { loggableError } from './logging';

/** The one table from domain error codes to HTTP statuses (the contract's common error codes, docs/api.md). */
export const STATUS_OF: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_REGISTERED: 409,
  ALREADY_CHECKED_IN: 409,
  IDEMPOTENCY_MISMATCH: 409,
  CODE_ALREADY_USED: 409,
  ALREADY_REVIEWED: 409,
  USERNAME_TAKEN: 409,
  TEMPLATE_CODE_TAKEN: 409,
  CAMPAIGN_CODE_TAKEN: 409,
  JOB_RUNNING: 409,
  POINTS_INSUFFICIENT: 422,
  OUT_OF_STOCK: 422,
  LIMIT_REACHED: 422,
  TIER_REQUIRED: 422,
  COUPON_NOT_APPLICABLE: 422,
  POINTS_CAP_EXCEEDED: 422,
  CODE_EXPIRED: 422,
  CODE_INVALID: 422,
  REFUND_EXCEEDS_ORDER: 422,
  NOT_ELIGIBLE: 422,
  RATE_LIMITED: 429,
  WECHAT_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** What a caller is told to wait before retrying while the database is away. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Errors Koa or its body parser raise themselves (bad JSON, too large, wrong type). */
function fromHttpError(e: unknown): { status: number; message: string } | null {
  const err = e as { status?: number; expose?: boolean; message?: string } | null | undefined;
  if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500 && err.expose) {
    return { status: err.status, message: err.message ?? 'bad request' };
  }
  return null;
}

/**
 * Maps anything thrown below it to the contract's `{error:{code,message,details?}}`. Unknown
 * errors become a masked 500 INTERNAL, logged with the request id, never with a stack in the body.
 */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new DomainError('NOT_FOUND', 'no such route');
      }
    } catch (e) {
      // An error may carry a caller's figures (`details.balance`) or describe their account: never cache it.
      ctx.set('Cache-Control', 'no-store');
      if (e instanceof DomainError) {
        ctx.status = STATUS_OF[e.code];
        ctx.body = { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
        if (e.code === 'RATE_LIMITED' && typeof e.details?.retryAfterSeconds === 'number') {
          ctx.set('Retry-After', String(e.details.retryAfterSeconds));
        }
        // A dependency that is down (WeChat) is the operator's problem, not the caller's: say so in the log.
        if (ctx.status >= 500) logger.warn({ code: e.code, reason: e.message, requestId: ctx.state.requestId as string | undefined }, 'dependency unavailable');
        return;
      }
      const http = fromHttpError(e);
      if (http) {
        ctx.status = http.status;
        ctx.body = { error: { code: 'VALIDATION_FAILED', message: http.message } };
        return;
      }
      const requestId = ctx.state.requestId as string | undefined;
      // The database is away (restarting, failing over): retryable, and not a bug of ours to page about.
      if (isDatabaseUnavailable(e)) {
        logger.warn({ err: loggableError(e), requestId }, 'database unavailable');
        ctx.status = 503;
        ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        ctx.body = { error: { code: 'SERVICE_UNAVAILABLE', message: 'the service is briefly unavailable, please retry', details: { requestId } } };
        return;
      }
      logger.error({ err: loggableError(e), requestId }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: { code: 'INTERNAL', message: 'internal error', details: { requestId } } };
    }
  };
}

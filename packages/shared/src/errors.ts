/**
 * Domain error codes shared by the BFF and the mini-program. They say what went wrong in
 * business terms; the BFF maps each to an HTTP status in exactly one place.
 */
export const ErrorCodes = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ALREADY_REGISTERED',
  'ALREADY_CHECKED_IN',
  'IDEMPOTENCY_MISMATCH',
  'CODE_ALREADY_USED',
  'ALREADY_REVIEWED',
  'USERNAME_TAKEN',
  'TEMPLATE_CODE_TAKEN',
  'CAMPAIGN_CODE_TAKEN',
  'JOB_RUNNING',
  'POINTS_INSUFFICIENT',
  'OUT_OF_STOCK',
  'LIMIT_REACHED',
  'TIER_REQUIRED',
  'COUPON_NOT_APPLICABLE',
  'POINTS_CAP_EXCEEDED',
  'CODE_EXPIRED',
  'CODE_INVALID',
  'REFUND_EXCEEDS_ORDER',
  'NOT_ELIGIBLE',
  'RATE_LIMITED',
  'WECHAT_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

/** A refusal in business terms, thrown anywhere; the BFF maps its code to HTTP in one place. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? code);
    this.name = 'DomainError';
  }
}

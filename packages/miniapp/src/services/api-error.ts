import type { ErrorCode } from '@member/shared/errors';

/** The contract's error codes, plus NETWORK when the BFF could not be reached at all. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

/** A failed call, with the contract's error code (or NETWORK when the BFF could not be reached). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** True when `e` is a failed call answered with `code`; the client decides by code, never by message. */
export function hasCode(e: unknown, code: ClientErrorCode): e is ApiError {
  return e instanceof ApiError && e.code === code;
}

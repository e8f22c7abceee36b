/**
 * The 5xx gate: every answer of 500 or above that any test app gives is recorded here, and the
 * test during which it happened fails (test/support/server-errors.setup.ts), unless that test
 * said it provokes that status on purpose (a WeChat outage is a 503 by contract; a failure
 * injected into a transaction is a 500). A bug that surfaces as a 500 in a test that did not look
 * at the status is therefore still caught.
 */
const seen: string[] = [];
const allowed = new Set<number>();

/** Declares that the current test provokes these 5xx statuses on purpose (reset after each test). */
export function allowServerErrors(...statuses: number[]): void {
  for (const s of statuses) allowed.add(s);
}

/** Called by the test app for every answer of 500 or above. */
export function recordServerError(status: number, where: string): void {
  if (!allowed.has(status)) seen.push(where);
}

/** The unexpected 5xx answers since the last call, and the allowances cleared. */
export function takeServerErrors(): string[] {
  allowed.clear();
  return seen.splice(0);
}

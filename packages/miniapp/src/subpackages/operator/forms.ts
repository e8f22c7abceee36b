import { ApiError } from '../../services/api-error';

/**
 * What the API said about each field of a refused form (400 VALIDATION_FAILED, `details.issues`),
 * keyed by the field's path ("title", "validity.days"); issues without a path under "_". The first
 * message per field wins. Any other error gives none (the page shows its text instead).
 */
export function fieldIssues(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION_FAILED') return {};
  const raw = e.details?.issues;
  const issues = Array.isArray(raw) ? (raw as { path?: unknown; message?: unknown }[]) : [];
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = Array.isArray(i.path) && i.path.length ? i.path.map(String).join('.') : '_';
    if (!(key in out)) out[key] = typeof i.message === 'string' ? i.message : '无效';
  }
  return out;
}

/**
 * A typed number for a request body: "" → undefined (left out), whole numbers → numbers, anything
 * else as typed, so the API's own validation names the field (the form never guesses a number).
 */
export function wholeOrText(text: string): number | string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

/** Like `wholeOrText`, but an empty field means "none" (null), for limits that may be lifted. */
export function wholeOrNull(text: string): number | string | null {
  return wholeOrText(text) ?? null;
}

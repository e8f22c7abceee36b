/**
 * Text a person types that other people will see (nicknames): cleaned and counted the same way on
 * the phone and on the server. No zod here, so the mini-program can use it at run time.
 */

/** Most characters a nickname may have, counted as Unicode code points (an emoji is one). */
export const NICKNAME_MAX_CHARS = 20;

/**
 * Characters that are never kept: C0/C1 controls, bidirectional controls (U+061C, U+200E/F,
 * U+202A–U+202E, U+2066–U+2069), zero-width characters (U+200B–U+200D, U+2060, U+FEFF), the
 * soft hyphen, line and paragraph separators, and the blank "filler" letters used to fake an
 * empty name (U+115F, U+1160, U+3164, U+FFA0). Bidi controls can make a name read backwards next
 * to other text; zero-width ones make two names look alike or a name look empty.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\u3164\ufeff\uffa0]/g;
/** Something a reader can see: not only spaces, combining marks or variation selectors. */
const VISIBLE = /[^\s\p{M}\p{Z}]/u;

/** Removes invisible and control characters, then trims surrounding white space. */
export function cleanText(s: string): string {
  return s.replace(INVISIBLE, '').trim();
}

/** Length in characters as a person counts them (code points, not UTF-16 units). */
export function charCount(s: string): number {
  return Array.from(s).length;
}

/** The first `max` characters (code points) of `s`: never cuts an emoji in half. */
export function truncateChars(s: string, max: number): string {
  if (s.length <= max) return s;
  return Array.from(s).slice(0, max).join('');
}

/** Why a cleaned nickname is refused, or null when it is fine. */
export type NicknameProblem = 'empty' | 'too-long' | 'forbidden-characters';

/** Checks a nickname after `cleanText`: 1–20 characters with something visible, no `<` or `>`. */
export function nicknameProblem(cleaned: string): NicknameProblem | null {
  if (!VISIBLE.test(cleaned)) return 'empty';
  if (charCount(cleaned) > NICKNAME_MAX_CHARS) return 'too-long';
  if (/[<>]/.test(cleaned)) return 'forbidden-characters';
  return null;
}

/** Most characters a review comment may have (code points). */
export const REVIEW_COMMENT_MAX_CHARS = 200;

/** Why a cleaned review comment is refused, or null when it is fine (an empty one is simply left out). */
export type CommentProblem = 'too-long' | 'forbidden-characters';

/** Checks a review comment after `cleanText`: at most 200 characters, no `<` or `>` (as nicknames). */
export function commentProblem(cleaned: string): CommentProblem | null {
  if (charCount(cleaned) > REVIEW_COMMENT_MAX_CHARS) return 'too-long';
  if (/[<>]/.test(cleaned)) return 'forbidden-characters';
  return null;
}

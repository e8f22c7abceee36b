/**
 * Text a person types that other people will see (nicknames): cleaned and counted the same way on
 * the phone and on the server. No zod here, so the mini-program can use it at run time.
 */

/** Most characters a nickname may have, counted as Unicode code points (an emoji is one). */
export const NICKNAME_MAX_CHARS = 20;

/**
 * Characters that are never kept: C0/C1 controls, bidirectional controls (U+061C, U+200E/F,
 * U+202A–U+202E, U+2066–U+2069), zero-width characters (U+200B, U+200C, U+2060, U+FEFF), the
 * soft hyphen, line and paragraph separators, interlinear annotation marks (U+FFF9–U+FFFB), and
 * the blank "filler" letters used to fake an empty name (U+115F, U+1160, U+3164, U+FFA0, the
 * braille blank U+2800). Bidi controls can make a name read backwards next to other text;
 * zero-width ones make two names look alike or a name look empty.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b\u200c\u200e\u200f\u2028-\u202e\u2060-\u2069\u2800\u3164\ufeff\uffa0\ufff9-\ufffb]/;
/** Something a reader can see: not only spaces, combining marks or variation selectors. */
const VISIBLE = /[^\s\p{M}\p{Z}]/u;
const ZWJ = '\u200d';
const BLACK_FLAG = '\u{1F3F4}';
/** What may stand before a joiner inside an emoji sequence: an emoji, a skin tone, or the emoji-style selector. */
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const joinsAfter = (c: string) => {
  const cp = c.codePointAt(0) ?? 0;
  return PICTOGRAPHIC.test(c) || (cp >= 0x1f3fb && cp <= 0x1f3ff) || cp === 0xfe0f;
};
/** Tag characters (U+E0020–U+E007F): invisible, kept only in the flag sequences they exist for (🏴 + tags, as England's flag). */
const isTag = (c: string) => {
  const cp = c.codePointAt(0) ?? 0;
  return cp >= 0xe0020 && cp <= 0xe007f;
};

/**
 * Removes invisible and control characters, then trims surrounding white space. The zero-width
 * joiner stays only between two emoji (👨‍👩‍👧 keeps its family), and tag characters only after
 * 🏴: everywhere else both are invisible.
 */
export function cleanText(s: string): string {
  const chars = Array.from(s);
  const kept: string[] = [];
  let inFlagTags = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (isTag(c)) {
      if (inFlagTags) kept.push(c);
      continue;
    }
    inFlagTags = c === BLACK_FLAG;
    if (c === ZWJ) {
      if (kept.length > 0 && i + 1 < chars.length && joinsAfter(kept[kept.length - 1]) && PICTOGRAPHIC.test(chars[i + 1])) kept.push(c);
      continue;
    }
    if (!INVISIBLE.test(c)) kept.push(c);
  }
  return kept.join('').trim();
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

import { z } from 'zod';
import { REVIEW_COMMENT_MAX_CHARS, cleanText, commentProblem, type CommentProblem } from '../text/text';
import { ReviewTag } from '../vocabulary';
import { BusinessDay, Id, IsoDateTime } from './common';

// ── Check-in ─────────────────────────────────────────────────────────────────────────────────

/** What a check-in gave. `points` includes `bonus` (the day-7 bonus of the streak cycle, else 0). */
export const CheckinResult = z.object({
  /** The business day checked in (the server's, in the business time zone). */
  day: BusinessDay,
  /** Consecutive days checked in, this one included. */
  streak: z.number().int().positive(),
  points: z.number().int(),
  growth: z.number().int(),
  bonus: z.number().int(),
  /** True when the interaction earning caps took something off the reward. */
  capped: z.boolean(),
});
export type CheckinResult = z.infer<typeof CheckinResult>;

export const CheckinsQuery = z.object({
  /** The business month to list (`YYYY-MM`); the current one when absent. */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM')
    .optional(),
});
export type CheckinsQuery = z.infer<typeof CheckinsQuery>;

export const CheckinMonth = z.object({
  month: z.string(),
  /** The server's business day today, so the calendar never trusts the phone's clock. */
  today: BusinessDay,
  /** Days of the month checked in, ascending. */
  days: z.array(BusinessDay),
  /** The current streak: 0 once a day was missed. */
  streak: z.number().int().nonnegative(),
  todayChecked: z.boolean(),
});
export type CheckinMonth = z.infer<typeof CheckinMonth>;

// ── Reviews ──────────────────────────────────────────────────────────────────────────────────

const COMMENT_MESSAGES: Record<CommentProblem, string> = {
  'too-long': `comment is at most ${REVIEW_COMMENT_MAX_CHARS} characters`,
  'forbidden-characters': 'comment has forbidden characters',
};

/** A review comment: cleaned like a nickname (invisible and control characters out, trimmed), at most 200 characters. */
const ReviewComment = z
  .string()
  .max(2000, 'comment is too long')
  .describe(`at most ${REVIEW_COMMENT_MAX_CHARS} characters (code points) once invisible and control characters are removed and the ends trimmed`)
  .transform(cleanText)
  .superRefine((s, ctx) => {
    const problem = commentProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: COMMENT_MESSAGES[problem] });
  });

export const ReviewParams = z.object({ orderId: Id });
export type ReviewParams = z.infer<typeof ReviewParams>;

export const ReviewBody = z
  .object({
    stars: z.number().int().min(1).max(5),
    /** Up to three quick tags, each once. */
    answers: z
      .array(ReviewTag)
      .max(3)
      .refine((a) => new Set(a).size === a.length, 'each tag once')
      .optional(),
    comment: ReviewComment.optional(),
  })
  .strict();
export type ReviewBody = z.infer<typeof ReviewBody>;

export const Review = z.object({
  id: Id,
  orderId: Id,
  stars: z.number().int(),
  answers: z.array(ReviewTag),
  comment: z.string().nullable(),
  /** What the review earned (after the interaction caps). */
  points: z.number().int(),
  growth: z.number().int(),
  createdAt: IsoDateTime,
});
export type Review = z.infer<typeof Review>;

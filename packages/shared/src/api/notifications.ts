import { z } from 'zod';
import { NotificationKind } from '../vocabulary';

/**
 * What the member accepted in WeChat's one-time subscribe dialog (`requestSubscribeMessage`), by
 * kind: each accepted kind is one message the member center may send of that kind. WeChat's dialog
 * asks for at most three templates at a time, and a kind appears once per answer.
 */
export const SubscriptionsBody = z
  .object({
    accepted: z
      .array(NotificationKind)
      .max(NotificationKind.options.length)
      .refine((a) => new Set(a).size === a.length, 'a kind may be accepted once per answer'),
  })
  .strict();
export type SubscriptionsBody = z.infer<typeof SubscriptionsBody>;

/** Per kind: the WeChat template the mini-program asks for, and how many messages the member has allowed and not yet received. */
export const Subscriptions = z.object({
  kinds: z.array(
    z.object({
      kind: NotificationKind,
      templateId: z.string(),
      credits: z.number().int().min(0),
    }),
  ),
});
export type Subscriptions = z.infer<typeof Subscriptions>;

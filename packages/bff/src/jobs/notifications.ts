import type { Services } from '../services';

/**
 * Sends the notifications that are due (WeChat subscribe messages), in batches. Safe beside
 * another instance's run: each row is claimed by one sender (see NotificationService).
 */
export async function runNotifications(s: Services, ctx: { now: Date }): Promise<Record<string, number>> {
  return { ...(await s.notifications.sendDue(ctx.now)) };
}

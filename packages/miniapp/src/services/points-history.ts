import type { PointsLedgerEntry, PointsLedgerType } from '@member/shared/api';
import { labelOf, POINTS_REASON_TEXT } from './labels';

/** One line of the points history: every ledger entry of one event (an order, a refund, a cancellation…). */
export interface LedgerLine {
  key: string;
  /** What happened: "到店消费", "订单退款", "兑换取消退回", "积分过期"… */
  title: string;
  /** The store of the order, or the redeemed item; null when the event names none. */
  subject: string | null;
  /** The order the line is about, for its detail page. */
  orderId: string | null;
  /** Net change of the event. */
  delta: number;
  /** Balance after the event (its newest entry). */
  balanceAfter: number;
  createdAt: string;
  /** The parts of an event of more than one entry, by reason: "积分抵现 -1,000", "到店消费 +90". */
  parts: { reason: string; delta: number }[];
}

/** Names an event by its kind when it holds more than one entry (a refund writes a take-back and give-backs). */
function titleOf(entries: PointsLedgerEntry[]): string {
  const event = entries[0].event;
  if (event.startsWith('order:')) return '到店消费';
  if (event.startsWith('refund:')) return '订单退款';
  return labelOf(POINTS_REASON_TEXT, entries[0].reason);
}

/**
 * The ledger (newest first, as pages arrive) as lines: entries sharing an `event` become one line
 * at the place of its newest entry, even when a page boundary split them.
 */
export function ledgerLines(entries: readonly PointsLedgerEntry[]): LedgerLine[] {
  const groups = new Map<string, PointsLedgerEntry[]>();
  for (const e of entries) {
    const g = groups.get(e.event);
    if (g) g.push(e);
    else groups.set(e.event, [e]);
  }
  return [...groups.entries()].map(([key, g]) => {
    const byReason = new Map<string, number>();
    for (const e of g) byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + e.delta);
    const subject = g.find((e) => e.subject)?.subject;
    return {
      key,
      title: titleOf(g),
      subject: subject?.title || null,
      orderId: subject?.kind === 'order' ? subject.id : null,
      delta: g.reduce((s, e) => s + e.delta, 0),
      balanceAfter: g[0].balanceAfter,
      createdAt: g[0].createdAt,
      parts:
        byReason.size > 1
          ? [...byReason.entries()].map(([reason, delta]) => ({ reason: labelOf(POINTS_REASON_TEXT, reason as PointsLedgerEntry['reason']), delta }))
          : [],
    };
  });
}

export const LEDGER_FILTERS: { type: PointsLedgerType | undefined; text: string; empty: string }[] = [
  { type: undefined, text: '全部', empty: '还没有积分记录' },
  { type: 'earned', text: '获得', empty: '还没有获得积分的记录' },
  { type: 'spent', text: '使用', empty: '还没有使用积分的记录' },
  { type: 'expired', text: '过期', empty: '没有过期的积分' },
];

import { describe, expect, it } from '@jest/globals';
import type { PointsLedgerEntry } from '@member/shared/api';
import { ledgerLines } from './points-history';

const at = '2026-11-20T04:00:00.000Z';
const order = { kind: 'order' as const, id: 'ORDER00001', title: '静安店' };
const e = (
  id: string,
  delta: number,
  balanceAfter: number,
  reason: PointsLedgerEntry['reason'],
  event: string,
  subject?: PointsLedgerEntry['subject'],
): PointsLedgerEntry => ({
  id,
  delta,
  balanceAfter,
  reason,
  createdAt: at,
  event,
  ...(subject ? { subject } : {}),
});

describe('points history lines', () => {
  // Newest first, as the BFF sends them: a refund (take-back and two give-backs), the order, a check-in.
  const entries = [
    e('E6', 400, 1110, 'refund_return', 'refund:R1', order),
    e('E5', 600, 710, 'refund_return', 'refund:R1', order),
    e('E4', -90, 110, 'refund', 'refund:R1', order),
    e('E3', 90, 200, 'order', 'order:ORDER00001', order),
    e('E2', -1000, 110, 'spend', 'order:ORDER00001', order),
    e('E1', 10, 1110, 'checkin', 'entry:E1'),
  ];

  it('shows one refund as one line with its order, not one row per ledger entry', () => {
    const lines = ledgerLines(entries);
    expect(lines.map((l) => [l.title, l.subject, l.delta, l.balanceAfter])).toEqual([
      ['订单退款', '静安店', 910, 1110],
      ['到店消费', '静安店', -910, 200],
      ['每日签到', null, 10, 1110],
    ]);
    expect(lines[0].parts).toEqual([
      { reason: '退款退回', delta: 1000 },
      { reason: '退款扣回', delta: -90 },
    ]);
    expect(lines[0].orderId).toBe('ORDER00001');
    expect(lines[2].parts).toEqual([]);
  });

  it('keeps an event whole when a page boundary split it', () => {
    const firstPage = entries.slice(0, 2);
    const both = [...firstPage, ...entries.slice(2)];
    expect(ledgerLines(firstPage)).toHaveLength(1);
    expect(ledgerLines(both)[0].delta).toBe(910);
  });
});

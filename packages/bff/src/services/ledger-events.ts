import type { PointsLedgerRow } from '../db/entities';

/**
 * The event a ledger entry belongs to, from its source key: an order's earn (`order:O`) and spend
 * (`order:O:spend`); a refund's take-back (`refund:R`) and give-backs (`refund:R:return:<lot>`); a
 * cancelled redemption's give-backs (`redemption:X:cancel:<lot>`); lots expired in one run (one
 * entry per lot, same instant). Anything else is an event of its own.
 */
export function ledgerEvent(e: Pick<PointsLedgerRow, 'id' | 'reason' | 'sourceKey' | 'createdAt'>): string {
  const m = /^(order|refund|redemption):([^:]+)(:cancel)?/.exec(e.sourceKey);
  if (m) return `${m[1]}:${m[2]}${m[3] ? ':cancel' : ''}`;
  if (e.reason === 'expire') return `expire:${e.createdAt.toISOString()}`;
  return `entry:${e.id}`;
}

/** Which order, refund or redemption a ledger entry names, if any: the id in its source key. */
export function ledgerSource(e: Pick<PointsLedgerRow, 'sourceKey'>): { kind: 'order' | 'refund' | 'redemption'; id: string } | null {
  const m = /^(order|refund|redemption):([^:]+)/.exec(e.sourceKey);
  return m ? { kind: m[1] as 'order' | 'refund' | 'redemption', id: m[2] } : null;
}

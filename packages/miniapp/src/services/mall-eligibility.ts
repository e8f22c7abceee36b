import type { MallItem } from '@member/shared/api';
import { thousands } from './format';

/** What the mall knows about the member (all null for a visitor who has not joined). */
export interface Shopper {
  /** The member's tier code. */
  tier: string | null;
  balance: number | null;
  /** How many of this item the member holds already (redemptions not cancelled). */
  held: number | null;
}

/**
 * Why the member cannot redeem this item now, in the order the BFF refuses (sold out, tier,
 * per-member limit, points), or null when they can: the item page disables its button with this
 * reason before any confirmation sheet. `tiers` are the tiers from `/rules`, lowest first.
 */
export function redeemBlock(item: MallItem, tiers: readonly { code: string; name: string }[], me: Shopper): string | null {
  if (item.stockLeft <= 0) return '已兑完';
  if (item.minTier && me.tier !== null) {
    const rank = (code: string) => tiers.findIndex((t) => t.code === code);
    if (rank(me.tier) < rank(item.minTier)) return `${tiers.find((t) => t.code === item.minTier)?.name ?? item.minTier}及以上可兑换`;
  }
  if (item.perMemberLimit !== null && me.held !== null && me.held >= item.perMemberLimit) return `每人限兑 ${item.perMemberLimit} 件，你已兑换 ${me.held} 件`;
  if (me.balance !== null && me.balance < item.pointsCost) return `积分不足（还差 ${thousands(item.pointsCost - me.balance)}）`;
  return null;
}

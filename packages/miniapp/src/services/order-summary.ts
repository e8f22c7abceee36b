import type { MemberOrder } from '@member/shared/api';
import { thousands, yuan } from './format';

/**
 * One order in the member's list, in a line that adds up: 原价 minus each discount is what was
 * paid (the e-receipt shows the same figures one per line), and the points the order still gives
 * after its refunds.
 */
export function orderSummary(
  o: Pick<MemberOrder, 'grossCents' | 'tierDiscountCents' | 'couponDiscountCents' | 'pointsDiscountCents' | 'pointsEarned' | 'pointsReversed'>,
): {
  breakdown: string;
  earned: string;
} {
  const parts = [`原价 ${yuan(o.grossCents)}`];
  if (o.tierDiscountCents) parts.push(`会员折扣 -${yuan(o.tierDiscountCents)}`);
  if (o.couponDiscountCents) parts.push(`券 -${yuan(o.couponDiscountCents)}`);
  if (o.pointsDiscountCents) parts.push(`积分抵扣 -${yuan(o.pointsDiscountCents)}`);
  const kept = o.pointsEarned - o.pointsReversed;
  let earned = `+${thousands(kept)} 积分`;
  if (o.pointsReversed > 0) earned = kept > 0 ? `+${thousands(kept)} 积分（已扣回 ${thousands(o.pointsReversed)}）` : '积分已扣回';
  return { breakdown: parts.join(' · '), earned };
}

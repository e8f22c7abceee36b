import type { CounterOrder } from '@member/shared/api';
import { thousands, yuan } from '../../services/format';

/** One line of the till's receipt: what it is, its figure, the test id it is read by, and whether it takes money off. */
export interface ReceiptLine {
  id: string;
  label: string;
  value: string;
  minus?: boolean;
}

/**
 * The recorded order line by line, as the member's e-receipt has it, so the cashier can check it
 * against the bill: gross, tier discount, coupon, points used, paid, then what it earned and the
 * balances. The balances are the member's right after this order (the order's own posting): a
 * reward credited after it (an invitee's first-order reward) is not in them, hence "本单后".
 */
export function receiptLines(order: CounterOrder, couponTitle: string | null): ReceiptLine[] {
  return [
    { id: 'receipt-gross', label: '原价', value: yuan(order.grossCents) },
    order.tierDiscountCents > 0
      ? { id: 'receipt-tier-discount', label: '会员折扣', value: `-${yuan(order.tierDiscountCents)}`, minus: true }
      : { id: 'receipt-tier-discount', label: '会员折扣', value: '无' },
    order.couponId
      ? { id: 'receipt-coupon', label: '优惠券', value: `${couponTitle ?? '已使用'} -${yuan(order.couponDiscountCents)}`, minus: true }
      : { id: 'receipt-coupon', label: '优惠券', value: '未使用' },
    order.pointsUsed > 0
      ? { id: 'receipt-points-used', label: '积分抵扣', value: `${thousands(order.pointsUsed)} 积分 -${yuan(order.pointsDiscountCents)}`, minus: true }
      : { id: 'receipt-points-used', label: '积分抵扣', value: '未使用' },
    { id: 'receipt-paid', label: '实付', value: yuan(order.dueCents) },
    { id: 'receipt-earned', label: '本单积分', value: `+${thousands(order.pointsEarned)}` },
    { id: 'receipt-growth', label: '成长值', value: `+${thousands(order.growthEarned)}` },
    { id: 'receipt-balance', label: '本单后积分余额', value: thousands(order.member.pointsBalance) },
    { id: 'receipt-growth-total', label: '本单后成长值', value: thousands(order.member.growth) },
    { id: 'receipt-tier', label: '会员等级', value: order.member.tier.name },
  ];
}

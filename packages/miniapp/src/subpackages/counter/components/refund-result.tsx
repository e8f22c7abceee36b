import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Refund } from '@member/shared/api';
import { thousands, yuan } from '../../../services/format';
import { RefundPointsLines } from './refund-points';
import { labelOf, REFUND_COUPON_RESULT } from '../../../services/labels';

/** What the refund did: amount, points and growth, the coupon (and why), balance; then back to the order or the counter. */
export function RefundResult({ refund, onOrder, onCounter }: { refund: Refund; onOrder: () => void; onCounter: () => void }) {
  const fullyRefunded = refund.order.refundedCents === refund.order.dueCents;
  return (
    <View className='panel' data-testid='refund-result'>
      <View className='panel-title'>退款成功 · 小票 {refund.order.receiptNo}</View>
      <View className='receipt-big' data-testid='result-amount'>
        {yuan(refund.amountCents)}
      </View>
      <RefundPointsLines
        testIdPrefix='result'
        pointsReversed={refund.pointsReversed}
        pointsReturned={refund.pointsReturned}
        growthReversed={refund.growthReversed}
        showReturned={refund.pointsReturned > 0}
      />
      <View className='receipt-line'>
        <Text>优惠券</Text>
        <Text data-testid='result-coupon'>{labelOf(REFUND_COUPON_RESULT, refund.couponOutcome)}</Text>
      </View>
      <View className='receipt-line'>
        <Text>订单</Text>
        <Text data-testid='result-order-state'>
          {fullyRefunded ? '已全额退款' : `已退 ${yuan(refund.order.refundedCents)}，可再退 ${yuan(refund.order.dueCents - refund.order.refundedCents)}`}
        </Text>
      </View>
      <View className='receipt-line'>
        <Text>会员积分余额</Text>
        <Text data-testid='result-balance'>{thousands(refund.member.pointsBalance)}</Text>
      </View>
      {refund.approvedBy ? <View className='muted approval-note'>本次退款已由经理授权</View> : null}
      <Button className='wide' data-testid='back-to-order' type='primary' block onClick={onOrder}>
        查看订单
      </Button>
      <Button className='wide' data-testid='back-to-counter' block fill='none' onClick={onCounter}>
        返回收银台
      </Button>
    </View>
  );
}

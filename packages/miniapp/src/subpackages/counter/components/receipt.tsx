import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CounterOrder } from '@member/shared/api';
import { yuan } from '../../../services/format';
import { receiptLines } from '../receipt-lines';

/**
 * What the order did for the member, line by line like the e-receipt (gross, tier discount, coupon,
 * points, paid, earned), the balances right after it, the tier and any upgrade.
 */
export function Receipt({ order, couponTitle, onNext }: { order: CounterOrder; couponTitle: string | null; onNext: () => void }) {
  return (
    <View className='panel' data-testid='receipt'>
      <View className='panel-title'>收款成功 · 小票 {order.receiptNo}</View>
      <View className='receipt-big' data-testid='receipt-due'>
        {yuan(order.dueCents)}
      </View>
      <View className='receipt-line'>
        <Text>会员</Text>
        <Text>{order.member.nickname}</Text>
      </View>
      {receiptLines(order, couponTitle).map((l) => (
        <View key={l.id} className={l.id === 'receipt-paid' ? 'receipt-line total' : 'receipt-line'}>
          <Text>{l.label}</Text>
          <Text className={l.minus ? 'minus' : ''} data-testid={l.id}>
            {l.value}
          </Text>
        </View>
      ))}
      <View className='muted receipt-note' data-testid='receipt-balance-note'>
        余额为本单入账后的数额，不含之后到账的奖励（如邀请奖励）
      </View>
      {order.upgradedTo ? (
        <View className='upgrade' data-testid='receipt-upgrade'>
          恭喜升级为{order.upgradedTo.name}，升级礼券已发放
        </View>
      ) : null}
      <Button className='wide' data-testid='next-customer' type='primary' block onClick={onNext}>
        下一位顾客
      </Button>
    </View>
  );
}

import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CounterOrder } from '@member/shared/api';
import { thousands, yuan } from '../../../services/format';

/** What the order did for the member: the coupon and points used, paid, earned, new balance and tier, any upgrade. */
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
      {order.couponId ? (
        <View className='receipt-line'>
          <Text>优惠券</Text>
          <Text data-testid='receipt-coupon'>
            {couponTitle ?? '已使用'} -{yuan(order.couponDiscountCents)}
          </Text>
        </View>
      ) : null}
      <View className='receipt-line'>
        <Text>积分抵扣</Text>
        <Text data-testid='receipt-points-used'>
          {order.pointsUsed > 0 ? `${thousands(order.pointsUsed)} 积分 -${yuan(order.pointsDiscountCents)}` : '未使用'}
        </Text>
      </View>
      <View className='receipt-line'>
        <Text>本单获得积分</Text>
        <Text data-testid='receipt-earned'>+{thousands(order.pointsEarned)}</Text>
      </View>
      <View className='receipt-line'>
        <Text>积分余额</Text>
        <Text data-testid='receipt-balance'>{thousands(order.member.pointsBalance)}</Text>
      </View>
      <View className='receipt-line'>
        <Text>会员等级</Text>
        <Text data-testid='receipt-tier'>{order.member.tier.name}</Text>
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

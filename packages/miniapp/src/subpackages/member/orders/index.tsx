import { View, Text } from '@tarojs/components';
import { api } from '../../../services/api';
import { dateTime, thousands, yuan } from '../../../services/format';
import { useAsync } from '../../../hooks/use-async';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import './index.css';

/** The member's counter orders: where, how much, what it earned, any refund. */
export default function Orders() {
  const state = useAsync(api.orders);
  if (state.loading && !state.data) return <LoadingState />;
  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  const orders = state.data ?? [];
  if (orders.length === 0) return <EmptyState title='还没有消费记录' hint='到店出示会员码即可积分' />;
  return (
    <View className='page'>
      {orders.map((o) => (
        <View key={o.id} className='panel order' data-testid='order-row'>
          <View className='order-head'>
            <Text>{o.storeName}</Text>
            <Text className='muted'>{dateTime(o.createdAt)}</Text>
          </View>
          <View className='order-body'>
            <View>
              <View className='order-due'>{yuan(o.dueCents)}</View>
              <View className='muted'>
                原价 {yuan(o.grossCents)}
                {o.couponDiscountCents ? ` · 券 -${yuan(o.couponDiscountCents)}` : ''}
                {o.pointsUsed ? ` · 积分 -${thousands(o.pointsUsed)}` : ''}
              </View>
            </View>
            <View className='order-earn'>+{thousands(o.pointsEarned)} 积分</View>
          </View>
          {o.refundedCents ? <View className='order-refund'>已退款 {yuan(o.refundedCents)}</View> : null}
        </View>
      ))}
    </View>
  );
}

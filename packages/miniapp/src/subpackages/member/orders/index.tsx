import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { MemberOrder } from '@member/shared/api';
import { api } from '../../../services/api';
import { businessDateTime, yuan } from '../../../services/format';
import { REVIEW_TAG_TEXT, labelOf } from '../../../services/labels';
import { orderSummary } from '../../../services/order-summary';
import { useAsync } from '../../../hooks/use-async';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { ReviewSheet } from '../components/review-sheet';
import './index.css';

/** The member's counter orders: where, how much, what it earned, any refund, and its review (or 评价 while it can be reviewed). */
export default function Orders() {
  const state = useAsync(async () => {
    const [orders, rules] = await Promise.all([api.orders(), api.rules()]);
    return { orders, rules };
  });
  const [reviewing, setReviewing] = useState<MemberOrder | null>(null);
  if (state.loading && !state.data) return <LoadingState />;
  if (state.error || !state.data) return <ErrorState error={state.error} onRetry={state.reload} />;
  const { orders, rules } = state.data;
  if (orders.length === 0) {
    return (
      <EmptyState
        title='还没有消费记录'
        hint='到店出示会员码即可积分'
        action={{ text: '出示会员码', onClick: () => void Taro.switchTab({ url: '/pages/code/index' }) }}
      />
    );
  }
  return (
    <View className='page'>
      {orders.map((o) => (
        <View
          key={o.id}
          className='panel order'
          data-testid='order-row'
          onClick={() => void Taro.navigateTo({ url: `/subpackages/member/order/index?id=${o.id}` })}
        >
          <View className='order-head'>
            <Text>{o.storeName}</Text>
            <Text className='muted'>{businessDateTime(o.createdAt, rules.businessTimeZone)}</Text>
          </View>
          <View className='order-body'>
            <View>
              <View className='order-due'>{yuan(o.dueCents)}</View>
              <View className='muted' data-testid='order-breakdown'>
                {orderSummary(o).breakdown}
              </View>
            </View>
            <View className='order-earn' data-testid='order-earned'>
              {orderSummary(o).earned}
            </View>
          </View>
          {o.refundedCents ? <View className='order-refund'>已退款 {yuan(o.refundedCents)}</View> : null}
          {o.review ? (
            <View className='order-review' data-testid='order-review'>
              <View>
                <Text className='review-stars'>{'★'.repeat(o.review.stars)}</Text>
                <Text className='review-stars off'>{'★'.repeat(5 - o.review.stars)}</Text>
                <Text className='muted'> 已评价{o.review.points ? ` · +${o.review.points} 积分` : ''}</Text>
              </View>
              {o.review.answers.length ? (
                <View className='tags'>
                  {o.review.answers.map((a) => (
                    <View key={a} className='tag on small'>
                      {labelOf(REVIEW_TAG_TEXT, a)}
                    </View>
                  ))}
                </View>
              ) : null}
              {o.review.comment ? <View className='review-text'>{o.review.comment}</View> : null}
            </View>
          ) : o.reviewable ? (
            <View className='order-actions'>
              <Text className='muted'>
                评价得 {rules.review.points} 积分，限消费后 {rules.review.windowDays} 天内
              </Text>
              <View
                className='review-button'
                data-testid='review-open'
                onClick={(e) => {
                  e.stopPropagation();
                  setReviewing(o);
                }}
              >
                评价
              </View>
            </View>
          ) : null}
        </View>
      ))}
      {reviewing ? (
        <ReviewSheet
          order={reviewing}
          reward={rules.review}
          onCancel={() => setReviewing(null)}
          onDone={() => {
            setReviewing(null);
            void state.reload();
          }}
        />
      ) : null}
    </View>
  );
}

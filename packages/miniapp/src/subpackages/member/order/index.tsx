import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { api } from '../../../services/api';
import { businessDateTime, thousands, yuan } from '../../../services/format';
import { REVIEW_TAG_TEXT, labelOf } from '../../../services/labels';
import { useMember } from '../../../hooks/use-member';
import { ErrorState, LoadingState } from '../../../components/states';
import { ReviewSheet } from '../components/review-sheet';
import '../orders/index.css';
import './index.css';

function Line({ label, value, id, minus }: { label: string; value: string; id?: string; minus?: boolean }) {
  return (
    <View className='receipt-row'>
      <Text className='muted'>{label}</Text>
      <Text className={minus ? 'minus' : ''} data-testid={id}>
        {value}
      </Text>
    </View>
  );
}

/**
 * One order as an e-receipt: store and time (in the business time zone), gross, tier discount,
 * coupon, points used, paid, what it earned, its refunds, and the review entry.
 */
export default function OrderDetail() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const state = useMember(async () => {
    const [order, rules] = await Promise.all([api.order(id), api.rules()]);
    return { order, rules };
  }, [id]);
  const [reviewing, setReviewing] = useState(false);
  if (state.loading && !state.data) return <LoadingState />;
  if (state.error || !state.data) return <ErrorState error={state.error} onRetry={state.reload} />;
  const { order: o, rules } = state.data;
  const tz = rules.businessTimeZone;

  return (
    <View className='page order-detail' data-testid='order-detail'>
      <View className='panel'>
        <View className='receipt-store' data-testid='receipt-store'>
          {o.storeName}
        </View>
        <View className='muted receipt-meta'>
          <Text data-testid='receipt-time'>{businessDateTime(o.createdAt, tz)}</Text> · 小票 {o.receiptNo}
        </View>
        <View className='receipt-paid' data-testid='receipt-paid'>
          {yuan(o.dueCents)}
        </View>
        <View className='muted receipt-paid-label'>实付金额</View>
      </View>
      <View className='panel'>
        <Line label='商品金额' value={yuan(o.grossCents)} id='receipt-gross' />
        {o.tierDiscountCents ? <Line label={`${o.tierName}折扣`} value={`-${yuan(o.tierDiscountCents)}`} id='receipt-tier' minus /> : null}
        {o.coupon ? <Line label={`优惠券 · ${o.coupon.title}`} value={`-${yuan(o.couponDiscountCents)}`} id='receipt-coupon' minus /> : null}
        {o.pointsUsed ? (
          <Line label={`积分抵扣 · ${thousands(o.pointsUsed)} 积分`} value={`-${yuan(o.pointsDiscountCents)}`} id='receipt-points-used' minus />
        ) : null}
        <Line label='实付' value={yuan(o.dueCents)} />
      </View>
      <View className='panel'>
        <Line label={o.multiplier > 1 ? `获得积分（×${o.multiplier}）` : '获得积分'} value={`+${thousands(o.pointsEarned)}`} id='receipt-earned' />
        <Line label='获得成长值' value={`+${thousands(o.growthEarned)}`} id='receipt-growth' />
      </View>
      {o.refunds.length ? (
        <View className='panel' data-testid='receipt-refunds'>
          <View className='panel-title'>退款</View>
          {o.refunds.map((r) => (
            <View key={r.id} className='refund-block' data-testid='receipt-refund'>
              <Line label={businessDateTime(r.createdAt, tz)} value={`-${yuan(r.amountCents)}`} minus />
              <View className='muted refund-effects'>
                {[
                  r.pointsReversed ? `扣回积分 ${thousands(r.pointsReversed)}` : null,
                  r.growthReversed ? `扣回成长值 ${thousands(r.growthReversed)}` : null,
                  r.pointsReturned ? `退回抵扣积分 ${thousands(r.pointsReturned)}` : null,
                  r.couponRestored ? '优惠券已退回券包' : null,
                ]
                  .filter(Boolean)
                  .join('，') || '仅退款金额'}
              </View>
            </View>
          ))}
        </View>
      ) : null}
      <View className='panel'>
        {o.review ? (
          <View className='order-review' data-testid='order-review'>
            <Text className='review-stars'>{'★'.repeat(o.review.stars)}</Text>
            <Text className='review-stars off'>{'★'.repeat(5 - o.review.stars)}</Text>
            <Text className='muted'> 已评价{o.review.answers.length ? ` · ${o.review.answers.map((a) => labelOf(REVIEW_TAG_TEXT, a)).join('、')}` : ''}</Text>
            {o.review.comment ? <View className='review-text'>{o.review.comment}</View> : null}
          </View>
        ) : o.reviewable ? (
          <View className='order-actions'>
            <Text className='muted'>
              评价得 {rules.review.points} 积分，限消费后 {rules.review.windowDays} 天内
            </Text>
            <View className='review-button' data-testid='review-open' onClick={() => setReviewing(true)}>
              评价
            </View>
          </View>
        ) : (
          <View className='muted'>此订单已不可评价</View>
        )}
      </View>
      {reviewing ? (
        <ReviewSheet
          order={o}
          reward={rules.review}
          onCancel={() => setReviewing(false)}
          onDone={() => {
            setReviewing(false);
            void state.reload();
          }}
        />
      ) : null}
    </View>
  );
}

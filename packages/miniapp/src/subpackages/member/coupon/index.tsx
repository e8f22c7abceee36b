import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { CouponView } from '@member/shared/vocabulary';
import { api } from '../../../services/api';
import { businessDateTime, couponText, tierLabel } from '../../../services/format';
import { chooseCoupon } from '../../../services/chosen-coupon';
import { useMember } from '../../../hooks/use-member';
import { CouponCard } from '../../../components/coupon-card';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import './index.css';

/** How a coupon is used, whatever its kind: the pricing rule every till applies. */
const USAGE = [
  '到店结账时出示会员码，收银员在收银台选择本券即可抵扣。',
  '每笔订单限用一张优惠券；使用门槛按会员折扣后的金额计算。',
  '可与积分抵扣同时使用（先用券，再按剩余金额抵扣积分）。',
  '优惠金额高于应付金额时不找零，不兑换现金。',
  '订单全额退款时，若本券仍在有效期内，将退回券包。',
];

/**
 * A coupon in full: value and terms, validity in the store's time, who may use it, where, the
 * usage rules, and 去使用 (opens the member code with this coupon shown to the cashier).
 */
export default function CouponDetail() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const view: CouponView = params.status === 'used' || params.status === 'expired' ? params.status : 'available';
  const state = useMember(
    async (session) => {
      const [coupons, rules] = await Promise.all([api.coupons(view), api.rules()]);
      return { coupon: coupons.find((c) => c.id === id) ?? null, rules, codeRef: session.codeRef };
    },
    [id, view],
  );

  if (state.loading && !state.data) return <LoadingState />;
  if (state.error || !state.data) return <ErrorState error={state.error} onRetry={state.reload} />;
  const { coupon, rules, codeRef } = state.data;
  if (!coupon) {
    return (
      <EmptyState
        title='找不到这张券'
        hint='它可能已被使用或已过期'
        action={{ text: '回到券包', onClick: () => void Taro.switchTab({ url: '/pages/coupons/index' }) }}
      />
    );
  }
  const tz = rules.businessTimeZone;
  const started = new Date(coupon.validFrom).getTime() <= Date.now();
  const usable = coupon.status === 'available' && started;

  const use = async () => {
    chooseCoupon({ ref: codeRef, id: coupon.id, title: coupon.title, terms: couponText(coupon) });
    await Taro.switchTab({ url: '/pages/code/index' });
  };

  return (
    <View className='page coupon-detail' data-testid='coupon-detail'>
      <CouponCard coupon={coupon} rules={rules} />
      <View className='panel terms'>
        <View className='term'>
          <Text className='term-label'>优惠内容</Text>
          <Text data-testid='coupon-terms'>{couponText(coupon)}</Text>
        </View>
        <View className='term'>
          <Text className='term-label'>有效期</Text>
          <Text data-testid='coupon-validity'>
            {businessDateTime(coupon.validFrom, tz)} 至 {businessDateTime(coupon.validTo, tz)}
          </Text>
        </View>
        <View className='term'>
          <Text className='term-label'>适用会员</Text>
          <Text>{tierLabel(rules, coupon.minTier) ?? '全部会员'}</Text>
        </View>
        <View className='term'>
          <Text className='term-label'>适用门店</Text>
          {/* Templates carry no store list today: every store's till accepts every coupon. */}
          <Text data-testid='coupon-stores'>全部门店通用</Text>
        </View>
      </View>
      <View className='panel'>
        <View className='panel-title'>使用说明</View>
        {USAGE.map((line) => (
          <View key={line} className='usage-line'>
            · {line}
          </View>
        ))}
      </View>
      {coupon.status === 'available' ? (
        <View className='use-bar'>
          <Button type='primary' block disabled={!usable} data-testid='use-coupon' onClick={() => void use()}>
            {usable ? '去使用' : `${businessDateTime(coupon.validFrom, tz)} 起可用`}
          </Button>
        </View>
      ) : null}
    </View>
  );
}

import { View } from '@tarojs/components';
import type { Coupon } from '@member/shared/api';
import { couponText } from '../../../services/format';

/** The member's usable coupons, one at most, or none. */
export function CouponPicker({ coupons, selected, onSelect }: { coupons: Coupon[]; selected: string | null; onSelect: (couponId: string | null) => void }) {
  return (
    <View className='panel'>
      <View className='panel-title'>优惠券</View>
      <View className={`coupon-option ${selected === null ? 'selected' : ''}`} onClick={() => onSelect(null)}>
        <View className='title'>不使用优惠券</View>
      </View>
      {coupons.map((c) => (
        <View key={c.id} className={`coupon-option ${selected === c.id ? 'selected' : ''}`} data-testid='coupon-option' onClick={() => onSelect(c.id)}>
          <View>
            <View className='title'>{c.title}</View>
            <View className='terms'>{couponText(c)}</View>
          </View>
        </View>
      ))}
    </View>
  );
}

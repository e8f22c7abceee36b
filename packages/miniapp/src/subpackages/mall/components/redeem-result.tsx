import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { RedemptionResult } from '@member/shared/api';
import { thousands } from '../../../services/format';
import { CouponCard, type CouponCardRules } from '../../../components/coupon-card';
import { QrImage } from '../../../components/qr-image';

/** After a redemption: the coupons now in the wallet, or the pickup code to show at a store. */
export function RedeemResult({ result, rules }: { result: RedemptionResult; rules: CouponCardRules }) {
  return (
    <View className='page mall-result' data-testid='redeem-result'>
      <View className='panel'>
        <View className='panel-title'>兑换成功</View>
        {result.kind === 'coupon' ? (
          <View>
            <View className='muted result-line'>优惠券已放入券包，到店出示会员码即可使用</View>
            {result.coupons.map((c) => (
              <CouponCard key={c.id} coupon={c} rules={rules} />
            ))}
            <Button className='wide' type='primary' block data-testid='go-wallet' onClick={() => void Taro.switchTab({ url: '/pages/coupons/index' })}>
              去券包查看
            </Button>
          </View>
        ) : (
          <View className='pickup'>
            <View className='muted result-line'>到任一门店出示提货码，由店长确认后领取</View>
            <QrImage className='pickup-qr' text={result.pickupCode ?? ''} />
            <View className='pickup-code' data-testid='pickup-code'>
              {result.pickupCode}
            </View>
            <Button className='wide' block fill='outline' onClick={() => void Taro.redirectTo({ url: '/subpackages/mall/redemptions/index' })}>
              查看我的兑换
            </Button>
          </View>
        )}
        <View className='muted result-line'>剩余积分 {thousands(result.pointsBalance)}</View>
      </View>
    </View>
  );
}

import { View, Text } from '@tarojs/components';
import type { CounterQuote } from '@member/shared/api';
import { thousands, yuan } from '../../../services/format';

/** The server's price, line by line, and what the sale will earn. */
export function QuoteLines({ quote }: { quote: CounterQuote }) {
  return (
    <View>
      <View className='quote-line'>
        <Text>商品金额</Text>
        <Text>{yuan(quote.grossCents)}</Text>
      </View>
      {quote.tierDiscountCents ? (
        <View className='quote-line'>
          <Text>会员折扣</Text>
          <Text className='minus'>-{yuan(quote.tierDiscountCents)}</Text>
        </View>
      ) : null}
      {quote.couponDiscountCents ? (
        <View className='quote-line'>
          <Text>优惠券</Text>
          <Text className='minus'>-{yuan(quote.couponDiscountCents)}</Text>
        </View>
      ) : null}
      {quote.pointsDiscountCents ? (
        <View className='quote-line'>
          <Text>积分抵扣</Text>
          <Text className='minus'>-{yuan(quote.pointsDiscountCents)}</Text>
        </View>
      ) : null}
      <View className='quote-line total'>
        <Text>应付</Text>
        <Text data-testid='quote-due'>{yuan(quote.dueCents)}</Text>
      </View>
      <View className='earn-hint' data-testid='quote-earn'>
        本单可得 {thousands(quote.pointsToEarn)} 积分{quote.multiplier > 1 ? `（会员日 ×${quote.multiplier}）` : ''}、{thousands(quote.growthToEarn)} 成长值
      </View>
    </View>
  );
}

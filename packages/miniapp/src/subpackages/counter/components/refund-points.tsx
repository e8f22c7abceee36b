import { View, Text } from '@tarojs/components';
import { thousands } from '../../../services/format';

/** The points and growth lines of a refund, on the confirmation sheet (`sheet-…`) and the result (`result-…`). */
export function RefundPointsLines({
  testIdPrefix,
  pointsReversed,
  pointsReturned,
  growthReversed,
  showReturned,
}: {
  testIdPrefix: 'sheet' | 'result';
  pointsReversed: number;
  pointsReturned: number;
  growthReversed: number;
  showReturned: boolean;
}) {
  return (
    <>
      <View className='receipt-line'>
        <Text>扣回积分</Text>
        <Text data-testid={`${testIdPrefix}-points-reversed`}>-{thousands(pointsReversed)}</Text>
      </View>
      {showReturned ? (
        <View className='receipt-line'>
          <Text>退回抵扣积分</Text>
          <Text data-testid={`${testIdPrefix}-points-returned`}>+{thousands(pointsReturned)}</Text>
        </View>
      ) : null}
      <View className='receipt-line'>
        <Text>扣回成长值</Text>
        <Text>-{thousands(growthReversed)}</Text>
      </View>
    </>
  );
}

import { View } from '@tarojs/components';
import type { CounterLookup } from '@member/shared/api';
import { thousands } from '../../../services/format';

/** Who is paying: nickname, tier and its discount, points balance. */
export function MemberSummary({ member }: { member: CounterLookup['member'] }) {
  return (
    <View className='panel member-summary' data-testid='counter-member'>
      <View>
        <View className='name'>{member.nickname}</View>
        <View className='tier'>
          {member.tierName}
          {member.discountPercent < 100 ? ` · ${member.discountPercent / 10}折` : ''}
        </View>
      </View>
      <View className='balance'>
        <View className='muted'>积分</View>
        <View className='balance-value' data-testid='counter-balance'>
          {thousands(member.pointsBalance)}
        </View>
      </View>
    </View>
  );
}

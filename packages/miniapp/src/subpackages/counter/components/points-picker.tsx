import { View, Text } from '@tarojs/components';
import { Range } from '@nutui/nutui-react-taro';
import { thousands } from '../../../services/format';

interface Props {
  points: number;
  /** The member switched on 使用积分抵扣: the code carries the points flag (from the lookup). */
  allowed: boolean;
  /** The most the server's last quote allows; 0 before there is one. */
  max: number;
  /** Points per yuan (`spend.pointsPerYuan`), so the slider moves in whole yuan; null until rules load. */
  step: number | null;
  amountCents: number;
  onChange: (points: number) => void;
}

/**
 * How many points to spend: a slider up to what the quote allows, or none. Only when the member
 * allowed it in their code; otherwise the till says so and offers nothing to move.
 */
export function PointsPicker({ points, allowed, max, step, amountCents, onChange }: Props) {
  if (!allowed) {
    return (
      <View className='panel'>
        <View className='points-row'>
          <Text className='panel-title'>积分抵扣</Text>
          <Text data-testid='points-used'>0 积分</Text>
        </View>
        <View className='muted' data-testid='points-not-allowed'>
          会员未开启积分抵扣：请会员在会员码页打开“使用积分抵扣”后重新出示会员码
        </View>
      </View>
    );
  }
  return (
    <View className='panel'>
      <View className='points-row'>
        <Text className='panel-title'>积分抵扣</Text>
        <Text data-testid='points-used'>{thousands(points)} 积分</Text>
      </View>
      {max > 0 && step !== null ? (
        <View>
          <Range
            min={0}
            max={max}
            step={step}
            value={Math.min(points, max)}
            onChange={(v) => onChange(Array.isArray(v) ? v[0] : v)}
            minDescription='0'
            maxDescription={thousands(max)}
            currentDescription={null}
          />
          <View className='links'>
            <Text className='link' onClick={() => onChange(0)}>
              不用积分
            </Text>
            <Text className='link' data-testid='points-max' onClick={() => onChange(max)}>
              最多抵扣 {thousands(max)}
            </Text>
          </View>
        </View>
      ) : (
        <View className='muted'>{amountCents > 0 ? '本单暂无可用积分' : '输入金额后显示可用积分'}</View>
      )}
    </View>
  );
}

import { View, Text } from '@tarojs/components';
import type { KeypadKey } from '../../../hooks/use-counter-quote';

const KEYS: KeypadKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '0', '⌫'];
const TEST_ID: Partial<Record<KeypadKey, string>> = { '.': 'dot', '⌫': 'back' };

/**
 * The amount as typed and a 3 × 4 keypad: a till has no keyboard worth trusting for money. `limit`
 * says why the last press was refused (it would have passed the largest amount one order may have).
 */
export function Keypad({ amountText, limit, onPress }: { amountText: string; limit: string | null; onPress: (key: KeypadKey) => void }) {
  return (
    <View className='panel'>
      <View className='panel-title'>消费金额</View>
      <View className='amount-display' data-testid='amount'>
        {amountText ? `¥${amountText}` : <Text className='placeholder'>¥0.00</Text>}
      </View>
      {limit ? (
        <View className='amount-limit' data-testid='amount-limit'>
          {limit}
        </View>
      ) : null}
      <View className='keypad'>
        {KEYS.map((k) => (
          <View key={k} className='key' hoverClass='key-active' data-testid={`key-${TEST_ID[k] ?? k}`} onClick={() => onPress(k)}>
            {k}
          </View>
        ))}
      </View>
    </View>
  );
}

import { View, Text } from '@tarojs/components';
import { barLengths } from '../report';

export interface BarRow {
  label: string;
  value: number;
  /** What the row says beside its bar (the figure, formatted). */
  text: string;
}

/**
 * Horizontal bars drawn with Views (no chart library: a few rules of CSS weigh nothing, render the
 * same in WeChat and H5, and the figures stay text a test or a screen reader can read).
 */
export function BarChart({ rows, testId, tone = 'gold' }: { rows: BarRow[]; testId: string; tone?: 'gold' | 'blue' | 'green' }) {
  const lengths = barLengths(rows.map((r) => r.value));
  return (
    <View className='op-chart' data-testid={testId}>
      {rows.map((r, i) => (
        <View className='op-chart-row' key={r.label} data-testid={`${testId}-row`}>
          <Text className='op-chart-label'>{r.label}</Text>
          <View className='op-chart-track'>
            <View className={`op-chart-bar ${tone}`} style={{ width: `${lengths[i]}%` }} />
          </View>
          <Text className='op-chart-value' data-testid={`${testId}-value`}>
            {r.text}
          </Text>
        </View>
      ))}
    </View>
  );
}

/** Vertical bars (a figure over time), labels under, figures on top. */
export function ColumnChart({ rows, testId }: { rows: BarRow[]; testId: string }) {
  const lengths = barLengths(rows.map((r) => r.value));
  return (
    <View className='op-columns' data-testid={testId}>
      {rows.map((r, i) => (
        <View className='op-column' key={r.label} data-testid={`${testId}-col`}>
          <Text className='op-column-value'>{r.text}</Text>
          <View className='op-column-track'>
            <View className='op-column-bar' style={{ height: `${lengths[i]}%` }} />
          </View>
          <Text className='op-column-label'>{r.label}</Text>
        </View>
      ))}
    </View>
  );
}

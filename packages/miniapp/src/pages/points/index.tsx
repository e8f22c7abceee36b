import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useReachBottom } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { PointsLedgerEntry } from '@member/shared/api';
import { api } from '../../services/api';
import { dateTime, thousands } from '../../services/format';
import { labelOf, POINTS_REASON_TEXT } from '../../services/labels';
import { useAsync } from '../../hooks/use-async';
import { useAction } from '../../hooks/use-action';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import './index.css';

/** Points history, newest first, loaded a page at a time. */
export default function PointsHistory() {
  const [extra, setExtra] = useState<PointsLedgerEntry[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const first = useAsync(async () => {
    const page = await api.pointsLedger();
    setExtra([]);
    setCursor(page.nextCursor);
    return page.data;
  });

  const more = useAction(
    async () => {
      if (!cursor) return;
      const page = await api.pointsLedger(cursor);
      setExtra((e) => [...e, ...page.data]);
      setCursor(page.nextCursor);
    },
    { toast: true },
  );
  useReachBottom(() => {
    if (cursor) void more.run();
  });

  if (first.loading && !first.data) return <LoadingState />;
  if (first.error) return <ErrorState error={first.error} onRetry={first.reload} />;
  const entries = [...(first.data ?? []), ...extra];
  if (entries.length === 0) return <EmptyState title='还没有积分记录' hint='到店消费、每日签到都能赚积分' />;

  return (
    <View className='page points-page'>
      <View className='ledger' data-testid='ledger'>
        {entries.map((e) => (
          <View key={e.id} className='ledger-row' data-testid='ledger-row'>
            <View>
              <View className='ledger-reason'>{labelOf(POINTS_REASON_TEXT, e.reason)}</View>
              <View className='muted'>{dateTime(e.createdAt)}</View>
            </View>
            <View className='ledger-right'>
              <Text className={e.delta > 0 ? 'delta plus' : 'delta minus'}>
                {e.delta > 0 ? '+' : ''}
                {thousands(e.delta)}
              </Text>
              <View className='muted'>余额 {thousands(e.balanceAfter)}</View>
            </View>
          </View>
        ))}
      </View>
      {cursor ? (
        <Button className='more' block fill='none' loading={more.busy} onClick={() => void more.run()}>
          加载更多
        </Button>
      ) : (
        <View className='muted end'>没有更多了</View>
      )}
    </View>
  );
}

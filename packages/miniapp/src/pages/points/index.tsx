import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useReachBottom } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { PointsLedgerEntry, PointsLedgerType } from '@member/shared/api';
import { api } from '../../services/api';
import { businessDateTime, thousands } from '../../services/format';
import { LEDGER_FILTERS, ledgerLines } from '../../services/points-history';
import { useAsync } from '../../hooks/use-async';
import { useAction } from '../../hooks/use-action';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import './index.css';

const openOrder = (id: string) => () => void Taro.navigateTo({ url: `/subpackages/member/order/index?id=${id}` });
const signed = (n: number) => `${n > 0 ? '+' : ''}${thousands(n)}`;

/**
 * Points history, newest first, loaded a page at a time: one line per event (an order's points
 * spent and earned, a refund, a cancellation), with its store or item; 全部 / 获得 / 使用 / 过期.
 */
export default function PointsHistory() {
  const [type, setType] = useState<PointsLedgerType | undefined>(undefined);
  const [extra, setExtra] = useState<PointsLedgerEntry[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const first = useAsync(async () => {
    const [page, rules] = await Promise.all([api.pointsLedger(undefined, type), api.rules()]);
    setExtra([]);
    setCursor(page.nextCursor);
    return { entries: page.data, timeZone: rules.businessTimeZone };
  }, [type]);

  const more = useAction(
    async () => {
      if (!cursor) return;
      const page = await api.pointsLedger(cursor, type);
      setExtra((e) => [...e, ...page.data]);
      setCursor(page.nextCursor);
    },
    { toast: true },
  );
  useReachBottom(() => {
    if (cursor) void more.run();
  });

  const filter = LEDGER_FILTERS.find((f) => f.type === type) ?? LEDGER_FILTERS[0];
  const lines = ledgerLines([...(first.data?.entries ?? []), ...extra]);
  const timeZone = first.data?.timeZone;
  let body;
  if (first.loading && !first.data) body = <LoadingState />;
  else if (first.error) body = <ErrorState error={first.error} onRetry={first.reload} />;
  else if (lines.length === 0) {
    body = (
      <EmptyState
        title={filter.empty}
        hint={type === undefined ? '到店消费、每日签到都能赚积分' : undefined}
        action={type === undefined ? { text: '去签到', onClick: () => void Taro.navigateTo({ url: '/subpackages/engage/checkin/index' }) } : undefined}
      />
    );
  } else {
    body = (
      <>
        <View className='ledger' data-testid='ledger'>
          {lines.map((l) => (
            <View
              key={l.key}
              className={`ledger-row${l.orderId ? ' linked' : ''}`}
              data-testid='ledger-row'
              onClick={l.orderId ? openOrder(l.orderId) : undefined}
            >
              <View className='ledger-left'>
                <View className='ledger-reason'>
                  {l.title}
                  {l.subject ? <Text className='ledger-subject'> · {l.subject}</Text> : null}
                </View>
                {l.parts.length ? (
                  <View className='ledger-parts muted' data-testid='ledger-parts'>
                    {l.parts.map((p) => `${p.reason} ${signed(p.delta)}`).join('，')}
                  </View>
                ) : null}
                <View className='muted'>{timeZone ? businessDateTime(l.createdAt, timeZone) : null}</View>
              </View>
              <View className='ledger-right'>
                <Text className={l.delta > 0 ? 'delta plus' : 'delta minus'} data-testid='ledger-delta'>
                  {signed(l.delta)}
                </Text>
                <View className='muted'>余额 {thousands(l.balanceAfter)}</View>
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
      </>
    );
  }

  return (
    <View className='page points-page'>
      <View className='segments' data-testid='ledger-filters'>
        {LEDGER_FILTERS.map((f) => (
          <View key={f.text} className={`segment ${f.type === type ? 'active' : ''}`} data-testid={`filter-${f.type ?? 'all'}`} onClick={() => setType(f.type)}>
            {f.text}
          </View>
        ))}
      </View>
      {body}
    </View>
  );
}

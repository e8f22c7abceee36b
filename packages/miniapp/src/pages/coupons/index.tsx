import { useState } from 'react';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { api } from '../../services/api';
import { ensureRegistered } from '../../services/request';
import { useAsync } from '../../services/use-async';
import { CouponCard } from '../../components/coupon-card';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import './index.css';

type Tab = 'available' | 'used' | 'expired';
const TABS: { key: Tab; label: string }[] = [
  { key: 'available', label: '可使用' },
  { key: 'used', label: '已使用' },
  { key: 'expired', label: '已过期' },
];
const EMPTY: Record<Tab, string> = { available: '暂无可用优惠券', used: '还没有用过优惠券', expired: '没有过期的优惠券' };

/** The coupon wallet: available / used / expired. */
export default function Coupons() {
  const [tab, setTab] = useState<Tab>('available');
  const rules = useAsync(api.rules);
  const list = useAsync(async () => {
    await ensureRegistered();
    return api.coupons(tab);
  }, [tab]);
  useDidShow(() => {
    if (list.data) void list.reload();
  });

  return (
    <View className='page wallet'>
      <View className='segments'>
        {TABS.map((t) => (
          <View key={t.key} className={`segment ${tab === t.key ? 'active' : ''}`} data-testid={`tab-${t.key}`} onClick={() => setTab(t.key)}>
            {t.label}
          </View>
        ))}
      </View>
      {list.loading && !list.data ? (
        <LoadingState />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (list.data ?? []).length === 0 ? (
        <EmptyState title={EMPTY[tab]} hint={tab === 'available' ? '去积分商城兑换优惠券吧' : undefined} />
      ) : (
        <View data-testid='coupon-list'>
          {(list.data ?? []).map((c) => (
            <CouponCard key={c.id} coupon={c} expiringSoonDays={rules.data?.wallet.expiringSoonDays ?? 0} />
          ))}
        </View>
      )}
    </View>
  );
}

import { useState } from 'react';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { CouponView } from '@member/shared/vocabulary';
import { api } from '../../services/api';
import { COUPON_VIEW_EMPTY, COUPON_VIEW_TEXT } from '../../services/labels';
import { useAsync } from '../../hooks/use-async';
import { useMember } from '../../hooks/use-member';
import { usePageReload } from '../../hooks/use-page-reload';
import { CouponCard } from '../../components/coupon-card';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import './index.css';

const TABS: CouponView[] = ['available', 'used', 'expired'];

/** The coupon wallet: available / used / expired. */
export default function Coupons() {
  const [tab, setTab] = useState<CouponView>('available');
  const rules = useAsync(api.rules);
  const list = useMember(() => api.coupons(tab), [tab]);
  usePageReload(list);

  return (
    <View className='page wallet'>
      <View className='segments'>
        {TABS.map((t) => (
          <View key={t} className={`segment ${tab === t ? 'active' : ''}`} data-testid={`tab-${t}`} onClick={() => setTab(t)}>
            {COUPON_VIEW_TEXT[t]}
          </View>
        ))}
      </View>
      {list.loading && !list.data ? (
        <LoadingState />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (list.data ?? []).length === 0 ? (
        <EmptyState
          title={COUPON_VIEW_EMPTY[tab]}
          hint={tab === 'available' ? '积分可以兑换优惠券' : undefined}
          action={tab === 'available' ? { text: '去积分商城', onClick: () => void Taro.switchTab({ url: '/pages/mall/index' }) } : undefined}
        />
      ) : (
        <View data-testid='coupon-list'>
          {(list.data ?? []).map((c) => (
            <CouponCard
              key={c.id}
              coupon={c}
              expiringSoonDays={rules.data?.wallet.expiringSoonDays ?? 0}
              onClick={() => void Taro.navigateTo({ url: `/subpackages/member/coupon/index?id=${c.id}&status=${tab}` })}
            />
          ))}
        </View>
      )}
    </View>
  );
}

import { useState } from 'react';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { CouponView } from '@member/shared/vocabulary';
import { api } from '../../services/api';
import { COUPON_VIEW_EMPTY, COUPON_VIEW_TEXT } from '../../services/labels';
import { useMember } from '../../hooks/use-member';
import { usePageReload } from '../../hooks/use-page-reload';
import { CouponCard } from '../../components/coupon-card';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import './index.css';

const TABS: CouponView[] = ['available', 'used', 'expired'];

/** The coupon wallet: available / used / expired. */
export default function Coupons() {
  const [tab, setTab] = useState<CouponView>('available');
  const list = useMember(async () => {
    const [coupons, rules] = await Promise.all([api.coupons(tab), api.rules()]);
    return { coupons, rules };
  }, [tab]);
  usePageReload(list);
  const rules = list.data?.rules;

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
      ) : !list.data || !rules || list.data.coupons.length === 0 ? (
        <EmptyState
          title={COUPON_VIEW_EMPTY[tab]}
          hint={tab === 'available' ? '积分可以兑换优惠券' : undefined}
          action={tab === 'available' ? { text: '去积分商城', onClick: () => void Taro.switchTab({ url: '/pages/mall/index' }) } : undefined}
        />
      ) : (
        <View data-testid='coupon-list'>
          {list.data.coupons.map((c) => (
            <CouponCard
              key={c.id}
              coupon={c}
              rules={rules}
              onClick={() => void Taro.navigateTo({ url: `/subpackages/member/coupon/index?id=${c.id}&status=${tab}` })}
            />
          ))}
        </View>
      )}
    </View>
  );
}

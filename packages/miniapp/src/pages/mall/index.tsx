import { View, Image, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { MallItem, PublicRules } from '@member/shared/api';
import { api, assetUrl } from '../../services/api';
import { thousands, tierLabel } from '../../services/format';
import { useAsync } from '../../hooks/use-async';
import { isKnownMember } from '../../hooks/use-member';
import { usePageReload } from '../../hooks/use-page-reload';
import { useLanding } from '../../hooks/use-landing';
import { useSharePage } from '../../hooks/use-share-page';
import { SharePanel } from '../../components/share-panel';
import { shareRuleLines, shareRuleSummary } from '../../services/engagement-rules';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import './index.css';

async function loadMall(): Promise<{ items: MallItem[]; rules: PublicRules; balance: number | null }> {
  const [items, rules] = await Promise.all([api.mallItems(), api.rules()]);
  const balance = isKnownMember() ? (await api.me()).points.balance : null;
  return { items, rules, balance };
}

/** The points mall: what points buy, with stock and tier locks in plain sight. */
export default function Mall() {
  useLanding();
  const state = useAsync(loadMall);
  usePageReload(state);
  const mintLink = useSharePage({ page: 'mall' }, '积分商城：积分兑好礼', '/pages/mall/index');
  if (state.loading && !state.data) return <LoadingState />;
  if (state.error || !state.data) return <ErrorState error={state.error} onRetry={state.reload} />;
  const { items, rules, balance } = state.data;

  return (
    <View className='page mall'>
      <View className='mall-head'>
        <View>
          <View className='muted'>我的积分</View>
          <View className='mall-balance' data-testid='mall-balance'>
            {balance === null ? '—' : thousands(balance)}
          </View>
        </View>
        <Text className='link' data-testid='open-redemptions' onClick={() => void Taro.navigateTo({ url: '/subpackages/mall/redemptions/index' })}>
          我的兑换 ›
        </Text>
      </View>
      {items.length === 0 ? (
        <EmptyState title='商品正在上架中' />
      ) : (
        <View className='grid'>
          {items.map((i) => {
            const lock = tierLabel(rules, i.minTier);
            return (
              <View
                key={i.id}
                className={`tile${i.stockLeft === 0 ? ' sold-out' : ''}`}
                data-testid='mall-item'
                onClick={() => void Taro.navigateTo({ url: `/subpackages/mall/item/index?id=${i.id}` })}
              >
                <Image className='tile-picture' src={assetUrl(i.imageUrl)} mode='aspectFill' />
                {lock ? <View className='tile-lock'>{lock}</View> : null}
                <View className='tile-body'>
                  <View className='tile-title'>{i.title}</View>
                  <View className='tile-cost'>
                    <Text className='tile-points'>{thousands(i.pointsCost)}</Text> 积分
                  </View>
                  <View className={`tile-stock ${i.stockLeft === 0 ? 'out' : ''}`}>{i.stockLeft === 0 ? '已兑完' : `剩余 ${thousands(i.stockLeft)}`}</View>
                </View>
              </View>
            );
          })}
        </View>
      )}
      {balance !== null ? <SharePanel mint={mintLink} summary={shareRuleSummary(rules)} rules={shareRuleLines(rules)} /> : null}
    </View>
  );
}

import { useState } from 'react';
import { View, Image, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { RedemptionResult } from '@member/shared/api';
import { api, assetUrl, newKey } from '../../../services/api';
import { hasCode } from '../../../services/api-error';
import { couponText, thousands, tierLabel } from '../../../services/format';
import { redeemBlock, type Shopper } from '../../../services/mall-eligibility';
import { useAsync } from '../../../hooks/use-async';
import { useAction } from '../../../hooks/use-action';
import { isKnownMember, memberSession } from '../../../hooks/use-member';
import { useLanding } from '../../../hooks/use-landing';
import { useSharePage } from '../../../hooks/use-share-page';
import { SharePanel } from '../../../components/share-panel';
import { shareRuleLines, shareRuleSummary } from '../../../services/engagement-rules';
import { ErrorState, LoadingState } from '../../../components/states';
import { RedeemResult } from '../components/redeem-result';
import '../mall.css';

/** Item detail → confirmation with the balance after → result (coupon in the wallet, or a pickup code). */
export default function ItemPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  useLanding();
  const state = useAsync(async () => {
    const [item, rules] = await Promise.all([api.mallItem(id), api.rules()]);
    // A member's tier, balance and what they hold of this item decide the button before any sheet.
    const member = isKnownMember() ? await Promise.all([api.me(), api.redemptions()]) : null;
    const balance = member ? member[0].points.balance : null;
    const me: Shopper = member
      ? {
          tier: member[0].tier.code,
          balance,
          held: member[1].filter((r) => r.itemId === id && r.status !== 'cancelled').reduce((n, r) => n + r.quantity, 0),
        }
      : { tier: null, balance: null, held: null };
    return { item, rules, balance, me };
  }, [id]);
  const [confirming, setConfirming] = useState<string | null>(null); // the Idempotency-Key of this confirmation
  const [result, setResult] = useState<RedemptionResult | null>(null);
  const redeem = useAction(
    async (itemId: string, key: string) => {
      if (!(await memberSession())) return;
      setResult(await api.redeem(itemId, 1, key));
      setConfirming(null);
    },
    {
      // A refusal is final for this confirmation; a network failure may be retried with the same key.
      onError: (e) => {
        if (!hasCode(e, 'NETWORK')) setConfirming(null);
      },
    },
  );

  // A sold-out item is not offered for sharing; shared from WeChat's menu anyway, it carries no token.
  const shareable = id !== '' && (state.data?.item.stockLeft ?? 0) > 0;
  const mintLink = useSharePage(
    shareable ? { page: 'item', params: { id } } : null,
    state.data?.item.title ?? '积分商城',
    `/subpackages/mall/item/index?id=${id}`,
  );
  if (state.loading && !state.data) return <LoadingState />;
  if (state.error || !state.data) return <ErrorState error={state.error} onRetry={state.reload} />;
  const { item, rules, balance, me } = state.data;
  if (result) return <RedeemResult result={result} rules={rules} />;

  const lock = tierLabel(rules, item.minTier);
  const blocked = redeemBlock(item, rules.tiers, me);
  return (
    <View className='page item-page'>
      <Image className='item-picture' src={assetUrl(item.imageUrl)} mode='aspectFill' />
      <View className='panel'>
        <View className='item-title' data-testid='item-title'>
          {item.title}
        </View>
        <View className='item-cost'>
          <Text className='item-points'>{thousands(item.pointsCost)}</Text> 积分
        </View>
        {item.coupon ? <View className='item-terms'>{couponText(item.coupon)}</View> : null}
        <View className='item-facts'>
          <Text>剩余 {thousands(item.stockLeft)}</Text>
          {item.perMemberLimit ? <Text>每人限兑 {item.perMemberLimit}</Text> : null}
          {lock ? <Text className='item-lock'>{lock}</Text> : null}
        </View>
        {item.description ? <View className='item-description'>{item.description}</View> : null}
      </View>

      {confirming ? (
        <View className='panel confirm' data-testid='redeem-confirm'>
          <View className='panel-title'>确认兑换</View>
          <View className='receipt-line'>
            <Text>消耗积分</Text>
            <Text>{thousands(item.pointsCost)}</Text>
          </View>
          {balance !== null ? (
            <View className='receipt-line'>
              <Text>兑换后剩余</Text>
              <Text data-testid='balance-after'>{thousands(balance - item.pointsCost)}</Text>
            </View>
          ) : null}
          {redeem.error ? <View className='form-error'>{redeem.error}</View> : null}
          <Button
            className='wide'
            type='primary'
            block
            loading={redeem.busy}
            data-testid='redeem-confirm-button'
            onClick={() => void redeem.run(item.id, confirming)}
          >
            确认兑换
          </Button>
          <Button className='wide' block fill='none' onClick={() => setConfirming(null)}>
            再想想
          </Button>
        </View>
      ) : (
        <View className='panel'>
          {redeem.error ? <View className='form-error'>{redeem.error}</View> : null}
          <Button type='primary' block data-testid='redeem' disabled={blocked !== null} onClick={() => setConfirming(newKey())}>
            {blocked ?? '立即兑换'}
          </Button>
        </View>
      )}
      {balance !== null && item.stockLeft > 0 ? <SharePanel mint={mintLink} summary={shareRuleSummary(rules)} rules={shareRuleLines(rules)} /> : null}
    </View>
  );
}

import { useState } from 'react';
import { View, Image, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { RedemptionResult } from '@member/shared/api';
import { api, assetUrl, newKey } from '../../../services/api';
import { hasCode } from '../../../services/api-error';
import { errorText } from '../../../services/error-text';
import { ensureRegistered } from '../../../services/request';
import { loadSession } from '../../../services/session';
import { useAsync } from '../../../services/use-async';
import { couponText, thousands, tierLabel } from '../../../services/format';
import { CouponCard } from '../../../components/coupon-card';
import { QrImage } from '../../../components/qr-image';
import { ErrorState, LoadingState } from '../../../components/states';
import '../mall.css';

/** Item detail → confirmation with the balance after → result (coupon in the wallet, or a pickup code). */
export default function ItemPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const state = useAsync(async () => {
    const [item, rules] = await Promise.all([api.mallItem(id), api.rules()]);
    const balance = loadSession()?.registered ? (await api.me()).points.balance : null;
    return { item, rules, balance };
  }, [id]);
  const [confirming, setConfirming] = useState<string | null>(null); // the Idempotency-Key of this confirmation
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<RedemptionResult | null>(null);

  if (state.loading && !state.data) return <LoadingState />;
  if (state.error || !state.data) return <ErrorState error={state.error} onRetry={state.reload} />;
  const { item, rules, balance } = state.data;
  const lock = tierLabel(rules, item.minTier);

  const redeem = async () => {
    if (!confirming || busy) return;
    setBusy(true);
    setError(null);
    try {
      await ensureRegistered();
      setResult(await api.redeem(item.id, 1, confirming));
      setConfirming(null);
    } catch (e) {
      setError(errorText(e));
      // A refusal is final for this confirmation; a network failure may be retried with the same key.
      if (!hasCode(e, 'NETWORK')) setConfirming(null);
    } finally {
      setBusy(false);
    }
  };

  if (result) {
    return (
      <View className='page mall-result' data-testid='redeem-result'>
        <View className='panel'>
          <View className='panel-title'>兑换成功</View>
          {result.kind === 'coupon' ? (
            <View>
              <View className='muted result-line'>优惠券已放入券包，到店出示会员码即可使用</View>
              {result.coupons.map((c) => (
                <CouponCard key={c.id} coupon={c} expiringSoonDays={rules.wallet.expiringSoonDays} />
              ))}
              <Button className='wide' type='primary' block data-testid='go-wallet' onClick={() => Taro.switchTab({ url: '/pages/coupons/index' })}>
                去券包查看
              </Button>
            </View>
          ) : (
            <View className='pickup'>
              <View className='muted result-line'>到任一门店出示提货码，由店长确认后领取</View>
              <QrImage className='pickup-qr' text={result.pickupCode ?? ''} />
              <View className='pickup-code' data-testid='pickup-code'>{result.pickupCode}</View>
              <Button className='wide' block fill='outline' onClick={() => Taro.redirectTo({ url: '/subpackages/mall/redemptions/index' })}>
                查看我的兑换
              </Button>
            </View>
          )}
          <View className='muted result-line'>剩余积分 {thousands(result.pointsBalance)}</View>
        </View>
      </View>
    );
  }

  const soldOut = item.stockLeft === 0;
  const short = balance !== null && balance < item.pointsCost;
  return (
    <View className='page item-page'>
      <Image className='item-picture' src={assetUrl(item.imageUrl)} mode='aspectFill' />
      <View className='panel'>
        <View className='item-title' data-testid='item-title'>{item.title}</View>
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
          <View className='receipt-line'><Text>消耗积分</Text><Text>{thousands(item.pointsCost)}</Text></View>
          {balance !== null ? (
            <View className='receipt-line'><Text>兑换后剩余</Text><Text data-testid='balance-after'>{thousands(balance - item.pointsCost)}</Text></View>
          ) : null}
          {error ? <View className='form-error'>{error}</View> : null}
          <Button className='wide' type='primary' block loading={busy} data-testid='redeem-confirm-button' onClick={redeem}>确认兑换</Button>
          <Button className='wide' block fill='none' onClick={() => setConfirming(null)}>再想想</Button>
        </View>
      ) : (
        <View className='panel'>
          {error ? <View className='form-error'>{error}</View> : null}
          <Button type='primary' block data-testid='redeem' disabled={soldOut || short} onClick={() => setConfirming(newKey())}>
            {soldOut ? '已兑完' : short ? `积分不足（还差 ${thousands(item.pointsCost - (balance ?? 0))}）` : '立即兑换'}
          </Button>
        </View>
      )}
    </View>
  );
}

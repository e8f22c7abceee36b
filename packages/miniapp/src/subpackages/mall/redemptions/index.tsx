import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { Redemption } from '@member/shared/api';
import { api } from '../../../services/api';
import { businessDateTime, thousands } from '../../../services/format';
import { labelOf, REDEMPTION_STATUS_TEXT } from '../../../services/labels';
import { useAction } from '../../../hooks/use-action';
import { useMember } from '../../../hooks/use-member';
import { QrImage } from '../../../components/qr-image';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import '../mall.css';

/** My redemptions: status, pickup codes to show at the store, and cancelling what is not picked up. */
export default function Redemptions() {
  const state = useMember(async () => {
    const [rows, rules] = await Promise.all([api.redemptions(), api.rules()]);
    return { rows, timeZone: rules.businessTimeZone };
  });
  const cancel = useAction(
    async (r: Redemption) => {
      await api.cancelRedemption(r.id);
      await state.reload();
    },
    { toast: true },
  );

  const askCancel = async (r: Redemption) => {
    const { confirm } = await Taro.showModal({
      title: '取消兑换',
      content: `取消后 ${thousands(r.pointsSpent)} 积分将退回`,
      confirmText: '取消兑换',
      cancelText: '保留',
    });
    if (confirm) await cancel.run(r);
  };

  if (state.loading && !state.data) return <LoadingState />;
  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  const rows = state.data?.rows ?? [];
  const timeZone = state.data?.timeZone;
  if (rows.length === 0) {
    return (
      <EmptyState
        title='还没有兑换记录'
        hint='积分可以兑换优惠券和礼品'
        action={{ text: '去积分商城', onClick: () => void Taro.switchTab({ url: '/pages/mall/index' }) }}
      />
    );
  }
  return (
    <View className='page'>
      {rows.map((r) => (
        <View key={r.id} className='panel redemption' data-testid='redemption'>
          <View className='redemption-head'>
            <Text className='item-title'>{r.title}</Text>
            <Text className={`redemption-status ${r.status}`} data-testid='redemption-status'>
              {labelOf(REDEMPTION_STATUS_TEXT, r.status)}
            </Text>
          </View>
          <View className='muted'>
            {timeZone ? businessDateTime(r.createdAt, timeZone) : null} · {thousands(r.pointsSpent)} 积分
          </View>
          {r.status === 'awaiting_pickup' && r.pickupCode ? (
            <View className='pickup'>
              <QrImage className='pickup-qr' text={r.pickupCode} />
              <View className='pickup-code'>{r.pickupCode}</View>
              <Button
                className='wide'
                block
                fill='outline'
                loading={cancel.args?.[0].id === r.id}
                data-testid='cancel-redemption'
                onClick={() => void askCancel(r)}
              >
                取消兑换
              </Button>
            </View>
          ) : null}
        </View>
      ))}
    </View>
  );
}

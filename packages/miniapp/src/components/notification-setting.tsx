import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { Subscriptions } from '@member/shared/api';
import type { NotificationKind } from '@member/shared/vocabulary';
import { api } from '../services/api';
import { NOTIFICATION_KIND_TEXT } from '../services/labels';
import { askForNotifications, creditText, ONLY_IN_WECHAT, SETTING_KINDS } from '../services/subscriptions';
import { subscribe } from '../platform/subscribe';
import { useAsync } from '../hooks/use-async';
import { useAction } from '../hooks/use-action';

/** Opens WeChat's dialog for `kinds` from a tap, reports the answer, and says what happened. */
function useAsk(kinds: readonly NotificationKind[], onReported: () => Promise<void>) {
  return useAction(
    async (current: Subscriptions) => {
      const out = await askForNotifications(kinds, current, subscribe, api.reportSubscriptions);
      if (out.subscriptions) await onReported();
      await Taro.showToast({ title: out.message, icon: 'none', duration: 2500 });
    },
    { toast: true },
  );
}

/** 我的 → 消息通知: what the member allowed per kind, and the button that asks WeChat for more. */
export function NotificationSetting() {
  const subs = useAsync(() => api.subscriptions(), []);
  const ask = useAsk(SETTING_KINDS, subs.reload);
  if (!subscribe.available) {
    return (
      <View data-testid='notifications-unavailable'>
        <View className='muted'>积分到期、优惠券到期、等级变动和消费积分变动的提醒，通过微信服务通知发送。</View>
        <Button size='small' disabled data-testid='subscribe-button'>
          请在微信小程序中开启
        </Button>
        <View className='muted'>{ONLY_IN_WECHAT}。</View>
      </View>
    );
  }
  const kinds = subs.data?.kinds ?? [];
  return (
    <View data-testid='notifications-setting'>
      {kinds.map((k) => (
        <View className='profile-row' key={k.kind}>
          <Text>{NOTIFICATION_KIND_TEXT[k.kind]}</Text>
          <Text className='muted' data-testid={`credits-${k.kind}`}>
            {creditText(k.credits)}
          </Text>
        </View>
      ))}
      <View className='muted'>微信的提醒是一次性的：每次允许，可收到一条对应提醒；收到后可再来开启。消费积分变动可在会员码页开启。</View>
      <Button
        size='small'
        type='primary'
        data-testid='subscribe-button'
        disabled={!subs.data}
        loading={ask.busy}
        onClick={() => subs.data && void ask.run(subs.data)}
      >
        开启提醒
      </Button>
    </View>
  );
}

/** The code page's line: be told of the points the coming purchase moves (WeChat only). */
export function PointsChangeSubscribe() {
  const subs = useAsync(() => (subscribe.available ? api.subscriptions() : Promise.resolve(null)), []);
  const ask = useAsk(['points_changed'], subs.reload);
  if (!subscribe.available || !subs.data) return null;
  const left = subs.data.kinds.find((k) => k.kind === 'points_changed')?.credits ?? 0;
  const data = subs.data;
  return (
    <View className='muted code-note link' data-testid='subscribe-points-changed' onClick={() => void ask.run(data)}>
      {left > 0 ? `积分变动提醒：可接收 ${left} 条，点此再开启 ›` : '消费后通过微信通知我积分变动 ›'}
    </View>
  );
}

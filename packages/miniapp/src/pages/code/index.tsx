import { useEffect, useMemo, useState } from 'react';
import { View, Image, Text } from '@tarojs/components';
import { Button, Switch } from '@nutui/nutui-react-taro';
import { generateMemberCode } from '@member/shared/code/member-code';
import { clearSession, clockSkewMs, loadSession } from '../../services/session';
import { login } from '../../services/request';
import { api } from '../../services/api';
import { barcodeDataUri, groupDigits, qrDataUri } from '../../services/code-images';
import { loadPointsHint, loadUsePoints, savePointsHint, saveUsePoints } from '../../services/code-prefs';
import { codePageState, orderPointsLine, pointsHint } from '../../services/code-status';
import { chosenCoupon, forgetChosenCoupon } from '../../services/chosen-coupon';
import { businessDateTime, yuan } from '../../services/format';
import { useMember } from '../../hooks/use-member';
import { useAsync } from '../../hooks/use-async';
import { usePageReload } from '../../hooks/use-page-reload';
import { useBrightness } from '../../hooks/use-brightness';
import { ErrorState, LoadingState } from '../../components/states';
import { PointsChangeSubscribe } from '../../components/notification-setting';
import './index.css';

/** How often, while the page is open and online, it asks whether its secret is still the current one and for the latest order. */
const ONLINE_CHECK_MS = 30_000;

/**
 * The dynamic member code: derived on the phone from the secret issued at login (so it works
 * offline), on the server's clock as learnt from response headers, redrawn when the window turns.
 * The member's 使用积分抵扣 switch is remembered on the phone and goes into the code (digit 11,
 * covered by its MAC). Online, the page also learns whether another device has signed in since
 * (the code secret's fingerprint differs: this code is dead) and shows the latest order.
 */
export default function MemberCode() {
  const member = useMember();
  useBrightness();
  const [now, setNow] = useState(() => Date.now() + clockSkewMs());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + clockSkewMs()), 1000);
    return () => clearInterval(timer);
  }, []);

  const session = member.data;
  const ref = session?.codeRef ?? '';
  const [usePoints, setUsePoints] = useState<boolean | null>(null);
  const pointsOn = usePoints ?? (ref ? loadUsePoints(ref) : false);

  // Online extras, each optional: offline the code still shows from what the phone holds.
  const check = useAsync(async () => {
    if (!session) return null;
    const server = await api.memberCode(pointsOn);
    // A request may have signed in again (an expired token): compare with what the phone holds now.
    const held = loadSession();
    return { fingerprint: server.secretFingerprint, heldSecret: held?.codeSecret ?? session.codeSecret };
  }, [session?.codeSecret, pointsOn]);
  const extras = useAsync(async () => {
    if (!session) return null;
    const [card, rules, orders] = await Promise.all([api.me(), api.rules(), api.orders()]);
    savePointsHint({
      ref: session.codeRef,
      balance: card.points.balance,
      pointsPerYuan: rules.spend.pointsPerYuan,
      maxPercentOfDue: rules.spend.maxPercentOfDue,
    });
    return { latest: orders[0] ?? null, timeZone: rules.businessTimeZone };
  }, [session?.codeRef]);
  const refresh = async () => {
    await member.reload();
    await Promise.all([check.reload(), extras.reload()]);
  };
  usePageReload({ data: member.data, reload: refresh });
  const { reload: recheck } = check;
  const { reload: reloadExtras } = extras;
  useEffect(() => {
    const timer = setInterval(() => void Promise.all([recheck(), reloadExtras()]), ONLINE_CHECK_MS);
    return () => clearInterval(timer);
  }, [recheck, reloadExtras]);
  const secretState = session ? codePageState(session.codeSecret, check.data) : 'unknown';
  // The phone signed in again meanwhile: show the code of the secret it holds now.
  const reloadMember = member.reload;
  useEffect(() => {
    if (secretState === 'reload') void reloadMember();
  }, [secretState, reloadMember]);

  const generated = session ? generateMemberCode(session.codeRef, session.codeSecret, now, session.periodSeconds, pointsOn) : null;
  const code = generated?.code ?? '';
  const images = useMemo(() => (code ? { qr: qrDataUri(code), bar: barcodeDataUri(code) } : null), [code]);
  const [reactivating, setReactivating] = useState(false);
  const [, setDismissed] = useState(0);

  if (member.error) return <ErrorState error={member.error} onRetry={member.reload} />;
  if (!generated || !images || !session) return <LoadingState />;
  const secondsLeft = Math.max(0, Math.ceil((generated.expiresAt.getTime() - now) / 1000));
  const hint = loadPointsHint(session.codeRef);
  const latest = extras.data?.latest ?? null;
  const timeZone = extras.data?.timeZone;
  // The coupon chosen with 去使用 in the wallet, until an order used it.
  const chosen = chosenCoupon(session.codeRef, Date.now(), latest?.couponId ?? null);

  const toggle = (on: boolean) => {
    saveUsePoints(session.codeRef, on);
    setUsePoints(on);
  };

  // Sign in on this phone again: it gets a new secret, and the other device's codes die in turn.
  const reactivate = async () => {
    setReactivating(true);
    try {
      clearSession();
      await login();
      await refresh();
    } finally {
      setReactivating(false);
    }
  };

  if (secretState === 'stale') {
    return (
      <View className='page code-page'>
        <View className='code-card stale-card' data-testid='stale-device'>
          <View className='code-title'>已在其他设备登录，此会员码已失效</View>
          <View className='muted stale-text'>你的账号刚在另一台设备上登录，本机显示的会员码收银台将无法识别。如需在本机出示会员码，请重新登录。</View>
          <Button className='wide' type='primary' block loading={reactivating} data-testid='reactivate' onClick={() => void reactivate()}>
            在本机重新登录
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View className='page code-page'>
      {chosen ? (
        <View className='panel chosen-coupon' data-testid='chosen-coupon'>
          <View className='chosen-coupon-head'>
            <Text className='chosen-coupon-title'>本单使用：{chosen.title}</Text>
            <Text
              className='link'
              data-testid='chosen-coupon-clear'
              onClick={() => {
                forgetChosenCoupon();
                setDismissed((n) => n + 1);
              }}
            >
              不用了
            </Text>
          </View>
          <View className='muted'>{chosen.terms} · 请出示此页，收银员会在收银台为您选用这张券</View>
        </View>
      ) : null}
      <View className='code-card'>
        <View className='code-title'>到店出示会员码</View>
        <View className='muted'>收银员扫码或输入数字即可积分、用券</View>
        <Image className='barcode' data-testid='barcode' src={images.bar} mode='scaleToFill' />
        <View className='digits' data-testid='code-digits' data-code={code}>
          {groupDigits(code)}
        </View>
        <Image className='qr' data-testid='qrcode' src={images.qr} mode='scaleToFill' />
        <View className='countdown' data-testid='countdown'>
          <Text>{secondsLeft}</Text> 秒后自动刷新
        </View>
      </View>
      <View className='panel points-switch'>
        <View>
          <View className='points-switch-title'>使用积分抵扣</View>
          <View className='muted' data-testid='use-points-hint'>
            {hint ? pointsHint(hint.balance, hint) : '联网后显示可用积分'}
          </View>
          {pointsOn ? (
            <View className='muted' data-testid='use-points-on'>
              收银员可用积分抵扣{hint ? `最多 ${hint.maxPercentOfDue}% ` : ''}的应付金额
            </View>
          ) : null}
        </View>
        <Switch checked={pointsOn} onChange={toggle} data-testid='use-points' />
      </View>
      {latest ? (
        <View className='panel latest-order' data-testid='latest-order'>
          <View className='latest-order-head'>
            <Text>最近消费 · {latest.storeName}</Text>
            <Text className='muted'>{timeZone ? businessDateTime(latest.createdAt, timeZone) : null}</Text>
          </View>
          <View>
            实付 <Text className='latest-order-due'>{yuan(latest.dueCents)}</Text>
          </View>
          <View className='muted' data-testid='latest-order-points'>
            {orderPointsLine(latest)}
          </View>
        </View>
      ) : null}
      <View className='muted code-note'>会员码每 {session.periodSeconds} 秒更新一次，截图无效；无网络时也可使用。</View>
      <PointsChangeSubscribe />
    </View>
  );
}

import { useEffect, useMemo, useState } from 'react';
import { View, Image, Text } from '@tarojs/components';
import { generateMemberCode } from '@member/shared/code/member-code';
import { clockSkewMs } from '../../services/session';
import { barcodeDataUri, groupDigits, qrDataUri } from '../../services/code-images';
import { useMember } from '../../hooks/use-member';
import { usePageReload } from '../../hooks/use-page-reload';
import { useBrightness } from '../../hooks/use-brightness';
import { ErrorState, LoadingState } from '../../components/states';
import './index.css';

/**
 * The dynamic member code: derived on the phone from the secret issued at login (so it works
 * offline), on the server's clock as learnt from response headers, redrawn when the window turns.
 */
export default function MemberCode() {
  const member = useMember();
  usePageReload(member);
  useBrightness();
  const [now, setNow] = useState(() => Date.now() + clockSkewMs());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() + clockSkewMs()), 1000);
    return () => clearInterval(timer);
  }, []);

  const session = member.data;
  const generated = session ? generateMemberCode(session.codeRef, session.codeSecret, now, session.periodSeconds, false) : null;
  const code = generated?.code ?? '';
  const images = useMemo(() => (code ? { qr: qrDataUri(code), bar: barcodeDataUri(code) } : null), [code]);

  if (member.error) return <ErrorState error={member.error} onRetry={member.reload} />;
  if (!generated || !images || !session) return <LoadingState />;
  const secondsLeft = Math.max(0, Math.ceil((generated.expiresAt.getTime() - now) / 1000));

  return (
    <View className='page code-page'>
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
      <View className='muted code-note'>会员码每 {session.periodSeconds} 秒更新一次，截图无效；无网络时也可使用。</View>
    </View>
  );
}

import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, Range } from '@nutui/nutui-react-taro';
import type { Coupon, CounterLookup, CounterOrder, CounterQuote } from '@member/shared/api';
import { api } from '../../../services/api';
import { staffApi, staffSession, signOut } from '../../../services/staff';
import { useAsync } from '../../../hooks/use-async';
import { hasCode } from '../../../services/api-error';
import { errorText } from '../../../services/error-text';
import { couponText, parseYuan, thousands, yuan } from '../../../services/format';
import { scan as scanner } from '../../../platform/scan';
import '../counter.css';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '0', '⌫'];

/** Applies one keypad press to the typed amount, keeping it a valid price (≤ 2 decimals). */
function press(text: string, key: string): string {
  if (key === '⌫') return text.slice(0, -1);
  const next = text === '0' && key !== '.' ? key : text + key;
  return parseYuan(next) !== null || next === '.' ? (next === '.' ? '0.' : next) : text;
}

/**
 * The counter: identify the member by code → type the amount → pick a coupon and points → live
 * quote from the server → confirm with the till's receipt number → receipt with new balances.
 */
export default function CounterPage() {
  const session = staffSession();
  const [code, setCode] = useState('');
  const [member, setMember] = useState<CounterLookup | null>(null);
  const [amountText, setAmountText] = useState('');
  const [couponId, setCouponId] = useState<string | null>(null);
  const [points, setPoints] = useState(0);
  const [quote, setQuote] = useState<CounterQuote | null>(null);
  const [quoteError, setQuoteError] = useState<string | null>(null);
  const [receiptNo, setReceiptNo] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState<CounterOrder | null>(null);
  const seq = useRef(0);
  // Points move in whole yuan: the step is the server's `spend.pointsPerYuan`.
  const rules = useAsync(api.rules);

  useEffect(() => {
    if (!session) void Taro.redirectTo({ url: '/subpackages/counter/login/index' });
  }, []);

  const amountCents = parseYuan(amountText) ?? 0;

  // Live quote: the server prices every change (debounced); the page never computes money itself.
  useEffect(() => {
    if (!member || amountCents <= 0) {
      setQuote(null);
      setQuoteError(null);
      return;
    }
    const mine = ++seq.current;
    const timer = setTimeout(async () => {
      try {
        const q = await staffApi.quote({ code, amountCents, ...(couponId ? { couponId } : {}), ...(points ? { pointsToUse: points } : {}) });
        if (mine !== seq.current) return;
        setQuote(q);
        setQuoteError(null);
      } catch (e) {
        if (mine !== seq.current) return;
        const max = hasCode(e, 'POINTS_CAP_EXCEEDED') ? e.details?.maxPointsUsable : undefined;
        if (typeof max === 'number') {
          setPoints(max);
          return;
        }
        if (hasCode(e, 'COUPON_NOT_APPLICABLE')) setCouponId(null);
        setQuote(null);
        setQuoteError(errorText(e));
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [member, code, amountCents, couponId, points]);

  const reset = () => {
    setCode('');
    setMember(null);
    setAmountText('');
    setCouponId(null);
    setPoints(0);
    setQuote(null);
    setQuoteError(null);
    setReceiptNo('');
    setMessage(null);
    setDone(null);
  };

  const identify = async (value = code) => {
    const digits = value.replace(/\s+/g, '');
    setCode(digits);
    if (!/^\d{18}$/.test(digits)) {
      setMessage('会员码为 18 位数字');
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      setMember(await staffApi.lookup(digits));
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const scan = async () => {
    const result = await scanner.scanMemberCode();
    if (result) await identify(result);
  };

  const confirm = async () => {
    if (!quote || !receiptNo.trim() || busy) return;
    setBusy(true);
    setMessage(null);
    try {
      setDone(await staffApi.order({ code, amountCents, receiptNo: receiptNo.trim(), ...(couponId ? { couponId } : {}), ...(points ? { pointsToUse: points } : {}) }));
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (!session) return null;

  const header = (
    <View className='store-bar'>
      <Text data-testid='staff-store'>{session.staff.storeName} · {session.staff.username}</Text>
      <Text
        className='link'
        onClick={() => {
          signOut();
          void Taro.redirectTo({ url: '/subpackages/counter/login/index' });
        }}
      >
        退出
      </Text>
    </View>
  );

  if (done) {
    return (
      <View className='page counter-page'>
        {header}
        <View className='panel' data-testid='receipt'>
          <View className='panel-title'>收款成功 · 小票 {done.receiptNo}</View>
          <View className='receipt-big' data-testid='receipt-due'>{yuan(done.dueCents)}</View>
          <View className='receipt-line'><Text>会员</Text><Text>{done.member.nickname}</Text></View>
          <View className='receipt-line'><Text>本单获得积分</Text><Text data-testid='receipt-earned'>+{thousands(done.pointsEarned)}</Text></View>
          <View className='receipt-line'><Text>积分余额</Text><Text data-testid='receipt-balance'>{thousands(done.member.pointsBalance)}</Text></View>
          <View className='receipt-line'><Text>会员等级</Text><Text data-testid='receipt-tier'>{done.member.tier.name}</Text></View>
          {done.upgradedTo ? <View className='upgrade' data-testid='receipt-upgrade'>恭喜升级为{done.upgradedTo.name}，升级礼券已发放</View> : null}
          <Button className='wide' data-testid='next-customer' type='primary' block onClick={reset}>下一位顾客</Button>
        </View>
      </View>
    );
  }

  if (!member) {
    return (
      <View className='page counter-page'>
        {header}
        <View className='panel'>
          <View className='panel-title'>识别会员</View>
          <Input className='code-input' type='digit' maxLength={22} placeholder='扫描或输入 18 位会员码' value={code} onChange={setCode} />
          {message ? <View className='form-error' data-testid='counter-error'>{message}</View> : null}
          {scanner.canScan ? <Button className='wide' type='primary' block onClick={scan}>扫码</Button> : null}
          <Button className='wide' data-testid='lookup' type={scanner.canScan ? 'default' : 'primary'} block loading={busy} onClick={() => identify()}>
            查询会员
          </Button>
        </View>
        <View className='links'>
          <Text className='link' onClick={() => Taro.navigateTo({ url: '/subpackages/counter/refund/index' })}>退款</Text>
          {session.staff.role === 'manager' ? (
            <Text className='link' data-testid='open-pickup' onClick={() => Taro.navigateTo({ url: '/subpackages/counter/pickup/index' })}>
              积分商城提货
            </Text>
          ) : null}
        </View>
      </View>
    );
  }

  const coupons: Coupon[] = member.coupons;
  const maxPoints = quote?.maxPointsUsable ?? 0;

  return (
    <View className='page counter-page'>
      {header}
      <View className='panel member-summary' data-testid='counter-member'>
        <View>
          <View className='name'>{member.member.nickname}</View>
          <View className='tier'>
            {member.member.tierName}
            {member.member.discountPercent < 100 ? ` · ${member.member.discountPercent / 10}折` : ''}
          </View>
        </View>
        <View className='balance'>
          <View className='muted'>积分</View>
          <View className='balance-value' data-testid='counter-balance'>{thousands(member.member.pointsBalance)}</View>
        </View>
      </View>

      <View className='panel'>
        <View className='panel-title'>消费金额</View>
        <View className='amount-display' data-testid='amount'>
          {amountText ? `¥${amountText}` : <Text className='placeholder'>¥0.00</Text>}
        </View>
        <View className='keypad'>
          {KEYS.map((k) => (
            <View key={k} className='key' hoverClass='key-active' data-testid={`key-${k === '.' ? 'dot' : k === '⌫' ? 'back' : k}`} onClick={() => setAmountText((t) => press(t, k))}>
              {k}
            </View>
          ))}
        </View>
      </View>

      <View className='panel'>
        <View className='panel-title'>优惠券</View>
        <View className={`coupon-option ${couponId === null ? 'selected' : ''}`} onClick={() => setCouponId(null)}>
          <View className='title'>不使用优惠券</View>
        </View>
        {coupons.map((c) => (
          <View key={c.id} className={`coupon-option ${couponId === c.id ? 'selected' : ''}`} data-testid='coupon-option' onClick={() => setCouponId(c.id)}>
            <View>
              <View className='title'>{c.title}</View>
              <View className='terms'>{couponText(c)}</View>
            </View>
          </View>
        ))}
      </View>

      <View className='panel'>
        <View className='points-row'>
          <Text className='panel-title'>积分抵扣</Text>
          <Text data-testid='points-used'>{thousands(points)} 积分</Text>
        </View>
        {maxPoints > 0 && rules.data ? (
          <View>
            <Range min={0} max={maxPoints} step={rules.data.spend.pointsPerYuan} value={Math.min(points, maxPoints)} onChange={(v) => setPoints(Array.isArray(v) ? v[0] : v)} minDescription='0' maxDescription={thousands(maxPoints)} currentDescription={null} />
            <View className='links'>
              <Text className='link' onClick={() => setPoints(0)}>不用积分</Text>
              <Text className='link' data-testid='points-max' onClick={() => setPoints(maxPoints)}>最多抵扣 {thousands(maxPoints)}</Text>
            </View>
          </View>
        ) : (
          <View className='muted'>{amountCents > 0 ? '本单暂无可用积分' : '输入金额后显示可用积分'}</View>
        )}
      </View>

      <View className='panel' data-testid='quote'>
        <View className='panel-title'>应付</View>
        {quote ? (
          <View>
            <View className='quote-line'><Text>商品金额</Text><Text>{yuan(quote.grossCents)}</Text></View>
            {quote.tierDiscountCents ? <View className='quote-line'><Text>会员折扣</Text><Text className='minus'>-{yuan(quote.tierDiscountCents)}</Text></View> : null}
            {quote.couponDiscountCents ? <View className='quote-line'><Text>优惠券</Text><Text className='minus'>-{yuan(quote.couponDiscountCents)}</Text></View> : null}
            {quote.pointsDiscountCents ? <View className='quote-line'><Text>积分抵扣</Text><Text className='minus'>-{yuan(quote.pointsDiscountCents)}</Text></View> : null}
            <View className='quote-line total'><Text>应付</Text><Text data-testid='quote-due'>{yuan(quote.dueCents)}</Text></View>
            <View className='earn-hint' data-testid='quote-earn'>
              本单可得 {thousands(quote.pointsToEarn)} 积分{quote.multiplier > 1 ? `（会员日 ×${quote.multiplier}）` : ''}、{thousands(quote.growthToEarn)} 成长值
            </View>
          </View>
        ) : (
          <View className='muted'>{quoteError ?? '输入金额后自动计算'}</View>
        )}
        <View className='field'>
          <Input className='receipt-input' placeholder='收银小票号（必填）' maxLength={64} value={receiptNo} onChange={setReceiptNo} />
        </View>
        {message ? <View className='form-error' data-testid='counter-error'>{message}</View> : null}
        <Button className='wide' data-testid='confirm-order' type='primary' block loading={busy} disabled={!quote || !receiptNo.trim()} onClick={confirm}>
          {quote ? `确认收款 ${yuan(quote.dueCents)}` : '确认收款'}
        </Button>
        <Button className='wide' block fill='none' onClick={reset}>换一位会员</Button>
      </View>
    </View>
  );
}

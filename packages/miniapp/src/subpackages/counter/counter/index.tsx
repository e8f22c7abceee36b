import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import type { CounterOrder } from '@member/shared/api';
import { api } from '../../../services/api';
import { staffApi } from '../../../services/staff';
import { yuan } from '../../../services/format';
import { scan } from '../../../platform/scan';
import { useAsync } from '../../../hooks/use-async';
import { useAction } from '../../../hooks/use-action';
import { useCounterQuote } from '../../../hooks/use-counter-quote';
import { useStaffSession } from '../../../hooks/use-staff-session';
import { CouponPicker } from '../components/coupon-picker';
import { Keypad } from '../components/keypad';
import { MemberSummary } from '../components/member-summary';
import { PointsPicker } from '../components/points-picker';
import { QuoteLines } from '../components/quote-lines';
import { Receipt } from '../components/receipt';
import { StoreBar } from '../components/store-bar';
import '../counter.css';

/**
 * The counter: identify the member by code → type the amount → pick a coupon and points → live
 * quote from the server → confirm with the till's receipt number → receipt with new balances.
 */
export default function CounterPage() {
  const session = useStaffSession();
  // Points move in whole yuan: the step is the server's `spend.pointsPerYuan`; the keypad stops at `counter.maxAmountCents`.
  const rules = useAsync(api.rules);
  const sale = useCounterQuote(rules.data?.counter.maxAmountCents ?? null);
  const [receiptNo, setReceiptNo] = useState('');
  const [done, setDone] = useState<CounterOrder | null>(null);
  // Identifying and confirming share one busy flag and one message line.
  const action = useAction((work: () => Promise<void>) => work());

  const reset = () => {
    sale.reset();
    setReceiptNo('');
    action.setError(null);
    setDone(null);
  };

  const identify = async (value = sale.code) => {
    const digits = value.replace(/\s+/g, '');
    sale.setCode(digits);
    if (!/^\d{18}$/.test(digits)) {
      action.setError('会员码为 18 位数字');
      return;
    }
    await action.run(async () => sale.setMember(await staffApi.lookup(digits)));
  };

  const scanCode = async () => {
    const result = await scan.scanMemberCode();
    if (result) await identify(result);
  };

  const confirm = async () => {
    if (!sale.quote || !receiptNo.trim()) return;
    const body = sale.orderBody(receiptNo.trim());
    await action.run(async () => setDone(await staffApi.order(body)));
  };

  if (!session) return null;

  if (done) {
    return (
      <View className='page counter-page'>
        <StoreBar session={session} />
        <Receipt order={done} couponTitle={sale.member?.coupons.find((c) => c.id === done.couponId)?.title ?? null} onNext={reset} />
      </View>
    );
  }

  const { member, quote } = sale;
  if (!member) {
    return (
      <View className='page counter-page'>
        <StoreBar session={session} />
        <View className='panel'>
          <View className='panel-title'>识别会员</View>
          {/* A barcode scanner types the digits and then Enter: Enter looks the member up, like the button. */}
          <Input
            className='code-input'
            type='digit'
            maxLength={22}
            placeholder='扫描或输入 18 位会员码'
            confirmType='search'
            value={sale.code}
            onChange={sale.setCode}
            onConfirm={(e) => void identify(e.detail.value)}
          />
          {action.error ? (
            <View className='form-error' data-testid='counter-error'>
              {action.error}
            </View>
          ) : null}
          {scan.canScan ? (
            <Button className='wide' type='primary' block onClick={() => void scanCode()}>
              扫码
            </Button>
          ) : null}
          <Button className='wide' data-testid='lookup' type={scan.canScan ? 'default' : 'primary'} block loading={action.busy} onClick={() => void identify()}>
            查询会员
          </Button>
        </View>
        <View className='links'>
          <Text className='link' onClick={() => void Taro.navigateTo({ url: '/subpackages/counter/refund/index' })}>
            退款
          </Text>
          {session.staff.role === 'manager' ? (
            <Text className='link' data-testid='open-pickup' onClick={() => void Taro.navigateTo({ url: '/subpackages/counter/pickup/index' })}>
              积分商城提货
            </Text>
          ) : null}
          {session.staff.role === 'admin' ? (
            <Text className='link' data-testid='open-operator' onClick={() => void Taro.navigateTo({ url: '/subpackages/operator/dashboard/index' })}>
              运营后台
            </Text>
          ) : null}
        </View>
      </View>
    );
  }

  if (member.codeUsed) {
    // One order per code: the BFF would refuse this one (409 CODE_ALREADY_USED), so say it before any amount is keyed.
    return (
      <View className='page counter-page'>
        <StoreBar session={session} />
        <MemberSummary member={member.member} />
        <View className='panel' data-testid='code-used'>
          <View className='panel-title'>该会员码已用于一笔订单</View>
          <View className='muted'>每个会员码只能支付一笔订单。请会员刷新会员码（或等待自动更新）后重新扫码。</View>
          <Button className='wide' data-testid='change-member' type='primary' block onClick={reset}>
            重新扫码
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View className='page counter-page'>
      <StoreBar session={session} />
      <MemberSummary member={member.member} />
      <Keypad amountText={sale.amountText} limit={sale.amountLimit} onPress={sale.press} />
      <CouponPicker coupons={member.coupons} selected={sale.couponId} onSelect={sale.setCouponId} />
      <PointsPicker
        points={sale.points}
        allowed={member.pointsAllowed}
        max={quote?.maxPointsUsable ?? 0}
        step={rules.data?.spend.pointsPerYuan ?? null}
        amountCents={sale.amountCents}
        onChange={sale.setPoints}
      />
      <View className='panel' data-testid='quote'>
        <View className='panel-title'>应付</View>
        {quote ? <QuoteLines quote={quote} /> : <View className='muted'>{sale.quoteError ?? '输入金额后自动计算'}</View>}
        <View className='field'>
          <Input className='receipt-input' placeholder='收银小票号（必填）' maxLength={64} value={receiptNo} onChange={setReceiptNo} />
        </View>
        {action.error ? (
          <View className='form-error' data-testid='counter-error'>
            {action.error}
          </View>
        ) : null}
        <Button
          className='wide'
          data-testid='confirm-order'
          type='primary'
          block
          loading={action.busy}
          disabled={!quote || !receiptNo.trim()}
          onClick={() => void confirm()}
        >
          {quote ? `确认收款 ${yuan(quote.dueCents)}` : '确认收款'}
        </Button>
        <Button className='wide' data-testid='change-member' block fill='none' onClick={reset}>
          换一位会员
        </Button>
      </View>
    </View>
  );
}

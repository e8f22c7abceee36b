import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import type { CounterOrderDetail, Refund } from '@member/shared/api';
import { api } from '../../../services/api';
import { staffApi } from '../../../services/staff';
import { businessDateTime, yuan, yuanInput } from '../../../services/format';
import { asksForManager, refundableCents, refundAmount, refundPreview, type RefundPreview } from '../../../services/refund-preview';
import { useAction } from '../../../hooks/use-action';
import { useAsync } from '../../../hooks/use-async';
import { useStaffSession } from '../../../hooks/use-staff-session';
import { RefundResult } from '../components/refund-result';
import { RefundSheet } from '../components/refund-sheet';
import '../counter.css';

const COUNTER_URL = '/subpackages/counter/counter/index';

/**
 * Refund by receipt number: find the order, type the amount (the rest by default) and a refund
 * number, check it on the confirmation sheet (where a manager approves when needed), then the result.
 */
export default function RefundPage() {
  const session = useStaffSession();
  // The approval threshold (the sheet asks a manager up front when the rules say so) and the business time zone.
  const rules = useAsync(api.rules);
  const [receiptNo, setReceiptNo] = useState('');
  const [order, setOrder] = useState<CounterOrderDetail | null>(null);
  const [amountText, setAmountText] = useState('');
  const [refundNo, setRefundNo] = useState('');
  const [preview, setPreview] = useState<RefundPreview | null>(null);
  const [result, setResult] = useState<Refund | null>(null);
  const find = useAction(async (no: string) => {
    const o = await staffApi.orderByReceipt(no);
    setOrder(o);
    setAmountText(yuanInput(refundableCents(o)));
    setRefundNo('');
  });

  const review = () => {
    if (!order) return;
    const amount = refundAmount(order, amountText);
    if ('error' in amount) {
      find.setError(amount.error);
      return;
    }
    find.setError(null);
    setPreview(refundPreview(order, amount.cents, new Date()));
  };

  if (!session) return null;

  if (result) {
    return (
      <View className='page counter-page'>
        <RefundResult
          refund={result}
          onOrder={() => {
            setResult(null);
            void find.run(result.order.receiptNo);
          }}
          onCounter={() => void Taro.redirectTo({ url: COUNTER_URL })}
        />
      </View>
    );
  }

  const left = order ? refundableCents(order) : 0;
  return (
    <View className='page counter-page'>
      <View className='panel'>
        <View className='panel-title'>查找订单</View>
        <View className='field'>
          <Text className='field-label'>收银小票号</Text>
          <Input
            className='refund-receipt'
            placeholder='输入或扫描小票号'
            confirmType='search'
            value={receiptNo}
            onChange={setReceiptNo}
            onConfirm={(e) => {
              const no = e.detail.value.trim();
              if (no) void find.run(no);
            }}
          />
        </View>
        <Button
          className='wide'
          data-testid='find-order'
          type='primary'
          block
          loading={find.busy}
          disabled={!receiptNo.trim()}
          onClick={() => void find.run(receiptNo.trim())}
        >
          查找
        </Button>
      </View>
      {order ? (
        <View className='panel' data-testid='refund-order'>
          <View className='panel-title'>小票 {order.receiptNo}</View>
          <View className='receipt-line'>
            <Text>会员</Text>
            <Text data-testid='order-member'>{order.member.nickname || '—'}</Text>
          </View>
          <View className='receipt-line'>
            <Text>消费时间</Text>
            <Text data-testid='order-time'>{rules.data ? businessDateTime(order.createdAt, rules.data.businessTimeZone) : ''}</Text>
          </View>
          <View className='receipt-line'>
            <Text>原价</Text>
            <Text data-testid='order-gross'>{yuan(order.grossCents)}</Text>
          </View>
          <View className='receipt-line'>
            <Text>实付</Text>
            <Text data-testid='order-paid'>{yuan(order.dueCents)}</Text>
          </View>
          <View className='receipt-line'>
            <Text>已退</Text>
            <Text data-testid='order-refunded'>{yuan(order.refundedCents)}</Text>
          </View>
          <View className='receipt-line'>
            <Text>优惠券</Text>
            <Text>{order.coupon ? order.coupon.title : '未使用'}</Text>
          </View>
          {left > 0 || order.refundedCents === 0 ? (
            <>
              <View className='field'>
                <Text className='field-label'>退款金额（元）</Text>
                {/* Plain text, parsed strictly: a numeric field would drop the "e" of "1e9" and refund ¥19. */}
                <Input className='refund-amount' placeholder='如 12 或 12.50' value={amountText} onChange={setAmountText} />
              </View>
              <View className='field'>
                <Text className='field-label'>退款单号（必填）</Text>
                <Input className='refund-no' placeholder='收银系统的退款单号' maxLength={64} value={refundNo} onChange={setRefundNo} />
              </View>
              <Button className='wide' data-testid='refund-review' type='primary' block disabled={!refundNo.trim()} onClick={review}>
                核对退款
              </Button>
            </>
          ) : (
            <View className='muted' data-testid='order-fully-refunded'>
              这笔订单已全额退款
            </View>
          )}
        </View>
      ) : null}
      {find.error ? (
        <View className='form-error' data-testid='refund-page-error'>
          {find.error}
        </View>
      ) : null}
      {order && preview ? (
        <RefundSheet
          order={order}
          refundNo={refundNo.trim()}
          preview={preview}
          asksManager={asksForManager(order, preview.amountCents, session.staff.role, rules.data?.refunds.managerApprovalAboveCents ?? null)}
          onDone={(r) => {
            setPreview(null);
            setResult(r);
          }}
          onCancel={() => setPreview(null)}
        />
      ) : null}
    </View>
  );
}

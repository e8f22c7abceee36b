import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button, Input } from '@nutui/nutui-react-taro';
import type { Order, Refund } from '@member/shared/api';
import { staffApi } from '../../../services/staff';
import { parseYuan, thousands, yuan } from '../../../services/format';
import { useAction } from '../../../hooks/use-action';
import '../counter.css';

/** Refund by receipt number: full by default, or a part; each refund has its own number. */
export default function RefundPage() {
  const [receiptNo, setReceiptNo] = useState('');
  const [order, setOrder] = useState<Order | null>(null);
  const [amountText, setAmountText] = useState('');
  const [refundNo, setRefundNo] = useState('');
  const [result, setResult] = useState<Refund | null>(null);
  // Finding and refunding share one busy flag and one message line.
  const action = useAction((work: () => Promise<void>) => work());

  const find = () =>
    action.run(async () => {
      const o = await staffApi.orderByReceipt(receiptNo.trim());
      setOrder(o);
      setAmountText(((o.dueCents - o.refundedCents) / 100).toFixed(2));
    });

  const submit = async () => {
    if (!order) return;
    const amountCents = parseYuan(amountText);
    if (amountCents === null) {
      action.setError('请输入正确的金额');
      return;
    }
    await action.run(async () => setResult(await staffApi.refund(order.id, { refundNo: refundNo.trim(), amountCents })));
  };

  if (result) {
    return (
      <View className='page counter-page'>
        <View className='panel' data-testid='refund-result'>
          <View className='panel-title'>退款成功</View>
          <View className='receipt-big'>{yuan(result.amountCents)}</View>
          <View className='receipt-line'>
            <Text>扣回积分</Text>
            <Text>-{thousands(result.pointsReversed)}</Text>
          </View>
          <View className='receipt-line'>
            <Text>退回抵扣积分</Text>
            <Text>+{thousands(result.pointsReturned)}</Text>
          </View>
          <View className='receipt-line'>
            <Text>扣回成长值</Text>
            <Text>-{thousands(result.growthReversed)}</Text>
          </View>
          <View className='receipt-line'>
            <Text>优惠券</Text>
            <Text>{result.couponRestored ? '已退回' : '未使用或已过期'}</Text>
          </View>
          <View className='receipt-line'>
            <Text>会员积分余额</Text>
            <Text>{thousands(result.member.pointsBalance)}</Text>
          </View>
        </View>
      </View>
    );
  }

  return (
    <View className='page counter-page'>
      <View className='panel'>
        <View className='panel-title'>查找订单</View>
        <View className='field'>
          <Input placeholder='收银小票号' value={receiptNo} onChange={setReceiptNo} />
        </View>
        <Button className='wide' type='primary' block loading={action.busy && !order} disabled={!receiptNo.trim()} onClick={() => void find()}>
          查找
        </Button>
      </View>
      {order ? (
        <View className='panel'>
          <View className='panel-title'>小票 {order.receiptNo}</View>
          <View className='receipt-line'>
            <Text>实付</Text>
            <Text>{yuan(order.dueCents)}</Text>
          </View>
          <View className='receipt-line'>
            <Text>已退</Text>
            <Text>{yuan(order.refundedCents)}</Text>
          </View>
          <View className='field'>
            <Input type='digit' placeholder='退款金额（元）' value={amountText} onChange={setAmountText} />
          </View>
          <View className='field'>
            <Input placeholder='退款单号（必填）' value={refundNo} onChange={setRefundNo} />
          </View>
          <Button className='wide' type='primary' block loading={action.busy} disabled={!refundNo.trim()} onClick={() => void submit()}>
            确认退款
          </Button>
        </View>
      ) : null}
      {action.error ? <View className='form-error'>{action.error}</View> : null}
    </View>
  );
}

import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button, Input } from '@nutui/nutui-react-taro';
import type { CounterOrderDetail, Refund, RefundBody } from '@member/shared/api';
import { staffApi } from '../../../services/staff';
import { hasCode } from '../../../services/api-error';
import { yuan } from '../../../services/format';
import { RefundPointsLines } from './refund-points';
import { labelOf, REFUND_COUPON_PREVIEW } from '../../../services/labels';
import type { RefundPreview } from '../../../services/refund-preview';
import { useAction } from '../../../hooks/use-action';

const NEEDS_MANAGER = '需要本店经理授权：请经理在本机输入账号和密码';
const MANAGER_REFUSED = '授权未通过：账号或密码错误，或不是本店经理';

interface Props {
  order: CounterOrderDetail;
  refundNo: string;
  preview: RefundPreview;
  /** The rules already say a manager must approve (the BFF's 403 `needs: manager` says so too). */
  asksManager: boolean;
  onDone: (refund: Refund) => void;
  onCancel: () => void;
}

/**
 * The confirmation before a refund: the order, the amount, the points taken back and given back,
 * and what happens to the coupon (the shared rule the BFF records it with). When a manager must
 * approve, the manager signs in here, on the same till, and the refund is sent with their approval.
 */
export function RefundSheet({ order, refundNo, preview, asksManager, onDone, onCancel }: Props) {
  const [needsManager, setNeedsManager] = useState(asksManager);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { effect } = preview;

  const submit = useAction(
    async () => {
      const body: RefundBody = {
        refundNo,
        amountCents: preview.amountCents,
        ...(needsManager ? { approval: { username: username.trim(), password } } : {}),
      };
      onDone(await staffApi.refund(order.id, body));
    },
    {
      // 403 here is the refund asking for a manager: asked already, the approval was refused.
      texts: { FORBIDDEN: needsManager ? MANAGER_REFUSED : NEEDS_MANAGER },
      onError: (e) => {
        if (hasCode(e, 'FORBIDDEN') && e.details?.needs === 'manager') {
          setNeedsManager(true);
          setPassword('');
        }
      },
    },
  );

  return (
    <View className='sheet-mask'>
      <View className='sheet' data-testid='refund-sheet'>
        <View className='panel-title'>确认退款</View>
        <View className='receipt-line'>
          <Text>小票号</Text>
          <Text>{order.receiptNo}</Text>
        </View>
        <View className='receipt-line'>
          <Text>实付 / 已退</Text>
          <Text>
            {yuan(order.dueCents)} / {yuan(order.refundedCents)}
          </Text>
        </View>
        <View className='receipt-big' data-testid='sheet-amount'>
          {yuan(preview.amountCents)}
        </View>
        <RefundPointsLines
          testIdPrefix='sheet'
          pointsReversed={effect.pointsReversed}
          pointsReturned={effect.pointsReturned}
          growthReversed={effect.growthReversed}
          showReturned={order.pointsUsed > 0}
        />
        <View className='receipt-line'>
          <Text>优惠券</Text>
          <Text className='sheet-coupon' data-testid='sheet-coupon'>
            {order.coupon && preview.coupon !== 'none' ? `${order.coupon.title}：` : ''}
            {labelOf(REFUND_COUPON_PREVIEW, preview.coupon)}
          </Text>
        </View>
        {needsManager ? (
          <View className='manager-approval' data-testid='manager-approval'>
            <View className='approval-hint'>{NEEDS_MANAGER}</View>
            <View className='field'>
              <Text className='field-label'>经理账号</Text>
              <Input className='manager-username' placeholder='经理的员工账号' value={username} onChange={setUsername} />
            </View>
            <View className='field'>
              <Text className='field-label'>经理密码</Text>
              <Input className='manager-password' type='password' placeholder='经理的密码' value={password} onChange={setPassword} />
            </View>
          </View>
        ) : null}
        {submit.error ? (
          <View className='form-error' data-testid='refund-error'>
            {submit.error}
          </View>
        ) : null}
        <Button
          className='wide'
          data-testid='refund-submit'
          type='primary'
          block
          loading={submit.busy}
          disabled={needsManager && (!username.trim() || !password)}
          onClick={() => void submit.run()}
        >
          {needsManager ? '经理授权并退款' : '确认退款'}
        </Button>
        <Button className='wide' block fill='none' onClick={onCancel}>
          返回修改
        </Button>
      </View>
    </View>
  );
}

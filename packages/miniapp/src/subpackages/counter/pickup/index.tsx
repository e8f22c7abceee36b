import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import type { Pickup } from '@member/shared/api';
import { signOut, STAFF_LOGIN_URL, staffApi } from '../../../services/staff';
import { labelOf, PICKUP_STATUS_TEXT } from '../../../services/labels';
import { scan } from '../../../platform/scan';
import { useAction } from '../../../hooks/use-action';
import { useStaffSession } from '../../../hooks/use-staff-session';
import { StoreBar } from '../components/store-bar';
import '../counter.css';

const PICKUP_CODE = /^\d{10}$/;

/**
 * Managers look up a pickup code, hand the goods over, or cancel it (points and stock go back).
 * Anyone else is told so before typing anything (the BFF refuses them with 403 all the same).
 */
export default function PickupPage() {
  const session = useStaffSession();
  const [code, setCode] = useState('');
  const [pickup, setPickup] = useState<Pickup | null>(null);
  // Every button here loads the pickup anew; they share one busy flag and one message line.
  const action = useAction(async (load: () => Promise<Pickup>) => setPickup(await load()));
  const digits = code.replace(/\s+/g, '');

  const find = (value: string) => {
    const typed = value.replace(/\s+/g, '');
    if (PICKUP_CODE.test(typed)) void action.run(() => staffApi.pickup(typed));
  };

  if (!session) return null;

  if (session.staff.role !== 'manager') {
    return (
      <View className='page counter-page'>
        <StoreBar session={session} />
        <View className='panel' data-testid='pickup-needs-manager'>
          <View className='panel-title'>积分商城提货需由经理办理</View>
          <View className='muted'>提货的确认和取消只能由本店经理操作，请由经理登录后办理。</View>
          <Button
            className='wide'
            data-testid='pickup-manager-login'
            type='primary'
            block
            onClick={() => {
              signOut();
              void Taro.redirectTo({ url: STAFF_LOGIN_URL });
            }}
          >
            退出并由经理登录
          </Button>
        </View>
      </View>
    );
  }

  const scanCode = async () => {
    const scanned = await scan.scanMemberCode();
    if (!scanned) return;
    setCode(scanned);
    await action.run(() => staffApi.pickup(scanned));
  };

  return (
    <View className='page counter-page'>
      <View className='panel'>
        <View className='panel-title'>提货码</View>
        <Input
          className='pickup-input'
          type='digit'
          maxLength={12}
          placeholder='扫描或输入 10 位提货码'
          confirmType='search'
          value={code}
          onChange={setCode}
          onConfirm={(e) => find(e.detail.value)}
        />
        {scan.canScan ? (
          <Button className='wide' block onClick={() => void scanCode()}>
            扫码
          </Button>
        ) : null}
        <Button
          className='wide'
          type='primary'
          block
          data-testid='find-pickup'
          loading={action.busy && !pickup}
          disabled={!PICKUP_CODE.test(digits)}
          onClick={() => find(digits)}
        >
          查询
        </Button>
      </View>
      {pickup ? (
        <View className='panel' data-testid='pickup'>
          <View className='panel-title'>
            {pickup.title} × {pickup.quantity}
          </View>
          <View className='receipt-line'>
            <Text>会员</Text>
            <Text>{pickup.memberNickname}</Text>
          </View>
          <View className='receipt-line'>
            <Text>状态</Text>
            <Text data-testid='pickup-status'>{labelOf(PICKUP_STATUS_TEXT, pickup.status)}</Text>
          </View>
          {pickup.status === 'awaiting_pickup' ? (
            <View>
              <Button
                className='wide'
                type='primary'
                block
                data-testid='fulfil'
                loading={action.busy}
                onClick={() => void action.run(() => staffApi.fulfil(digits))}
              >
                确认交付
              </Button>
              <Button className='wide' block fill='none' onClick={() => void action.run(() => staffApi.cancelPickup(digits))}>
                取消并退回积分
              </Button>
            </View>
          ) : null}
        </View>
      ) : null}
      {action.error ? <View className='form-error'>{action.error}</View> : null}
    </View>
  );
}

import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { StaffSession } from '@member/shared/api';
import { signOut, STAFF_LOGIN_URL } from '../../../services/staff';

/** Which store and which till user this is, and the way out. */
export function StoreBar({ session }: { session: StaffSession }) {
  return (
    <View className='store-bar'>
      <Text data-testid='staff-store'>
        {session.staff.storeName} · {session.staff.username}
      </Text>
      <Text
        className='link'
        onClick={() => {
          signOut();
          void Taro.redirectTo({ url: STAFF_LOGIN_URL });
        }}
      >
        退出
      </Text>
    </View>
  );
}

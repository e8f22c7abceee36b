import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import type { StaffSession } from '@member/shared/api';
import { STAFF_LOGIN_URL, staffSession } from '../services/staff';

/** The signed-in staff member, read when the page opens; without one, off to the sign-in page. */
export function useStaffSession(): StaffSession | null {
  const [session] = useState(staffSession);
  useEffect(() => {
    if (!session) void Taro.redirectTo({ url: STAFF_LOGIN_URL });
  }, [session]);
  return session;
}

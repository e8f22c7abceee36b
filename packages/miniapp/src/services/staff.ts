import Taro from '@tarojs/taro';
import type {
  CounterLookup,
  CounterOrder,
  CounterOrderBody,
  CounterOrderDetail,
  CounterQuote,
  CounterQuoteBody,
  Pickup,
  Refund,
  RefundBody,
  StaffSession,
} from '@member/shared/api';
import { pathTo } from '@member/shared/api/paths';
import { ApiError, hasCode } from './api-error';
import { send, type Method } from './request';

/** The counter's own session: a staff token, kept apart from any member session on the same phone. */
const KEY = 'mc.staff-session';

export function staffSession(): StaffSession | null {
  const s = Taro.getStorageSync<StaffSession | ''>(KEY);
  if (!s || typeof s !== 'object') return null;
  return new Date(s.expiresAt).getTime() > Date.now() ? s : null;
}

export function signOut(): void {
  Taro.removeStorageSync(KEY);
}

export const STAFF_LOGIN_URL = '/subpackages/counter/login/index';

async function staffRequest<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const session = staffSession();
  if (!session) {
    void Taro.redirectTo({ url: STAFF_LOGIN_URL });
    throw new ApiError(401, 'UNAUTHENTICATED', 'staff sign-in required');
  }
  try {
    return (await send<{ data: T }>(method, path, { body }, session)).data;
  } catch (e) {
    if (hasCode(e, 'UNAUTHENTICATED')) {
      signOut();
      void Taro.redirectTo({ url: STAFF_LOGIN_URL });
    }
    throw e;
  }
}

export const staffApi = {
  signIn: async (username: string, password: string) => {
    const r = await send<{ data: StaffSession }>('POST', pathTo('staffSessions'), { body: { username, password } }, null);
    Taro.setStorageSync(KEY, r.data);
    return r.data;
  },
  lookup: (code: string) => staffRequest<CounterLookup>('POST', pathTo('counterLookup'), { code }),
  quote: (body: CounterQuoteBody) => staffRequest<CounterQuote>('POST', pathTo('counterQuote'), body),
  order: (body: CounterOrderBody) => staffRequest<CounterOrder>('POST', pathTo('counterOrders'), body),
  orderByReceipt: (receiptNo: string) => staffRequest<CounterOrderDetail>('GET', pathTo('counterOrders', undefined, { receiptNo })),
  refund: (orderId: string, body: RefundBody) => staffRequest<Refund>('POST', pathTo('counterRefunds', { id: orderId }), body),
  pickup: (pickupCode: string) => staffRequest<Pickup>('GET', pathTo('counterPickup', { pickupCode })),
  fulfil: (pickupCode: string) => staffRequest<Pickup>('POST', pathTo('counterPickupFulfil', { pickupCode })),
  cancelPickup: (pickupCode: string) => staffRequest<Pickup>('POST', pathTo('counterPickupCancel', { pickupCode })),
};

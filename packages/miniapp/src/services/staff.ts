import Taro from '@tarojs/taro';
import type {
  CounterLookup,
  CounterOrder,
  CounterOrderBody,
  CounterQuote,
  CounterQuoteBody,
  Order,
  Pickup,
  Refund,
  RefundBody,
  StaffSession,
} from '@member/shared/api';
import { ApiError, send, type Method } from './request';

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

const LOGIN_URL = '/subpackages/counter/login/index';

async function staffRequest<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const session = staffSession();
  if (!session) {
    void Taro.redirectTo({ url: LOGIN_URL });
    throw new ApiError(401, 'UNAUTHENTICATED', 'staff sign-in required');
  }
  try {
    return (await send<{ data: T }>(method, path, { body }, session)).data;
  } catch (e) {
    if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') {
      signOut();
      void Taro.redirectTo({ url: LOGIN_URL });
    }
    throw e;
  }
}

export const staffApi = {
  signIn: async (username: string, password: string) => {
    const r = await send<{ data: StaffSession }>('POST', '/api/v1/staff/sessions', { body: { username, password } }, null);
    Taro.setStorageSync(KEY, r.data);
    return r.data;
  },
  lookup: (code: string) => staffRequest<CounterLookup>('POST', '/api/v1/counter/lookup', { code }),
  quote: (body: CounterQuoteBody) => staffRequest<CounterQuote>('POST', '/api/v1/counter/quote', body),
  order: (body: CounterOrderBody) => staffRequest<CounterOrder>('POST', '/api/v1/counter/orders', body),
  orderByReceipt: (receiptNo: string) => staffRequest<Order>('GET', `/api/v1/counter/orders?receiptNo=${encodeURIComponent(receiptNo)}`),
  refund: (orderId: string, body: RefundBody) => staffRequest<Refund>('POST', `/api/v1/counter/orders/${orderId}/refunds`, body),
  pickup: (code: string) => staffRequest<Pickup>('GET', `/api/v1/counter/pickups/${code}`),
  fulfil: (code: string) => staffRequest<Pickup>('POST', `/api/v1/counter/pickups/${code}/fulfil`),
  cancelPickup: (code: string) => staffRequest<Pickup>('POST', `/api/v1/counter/pickups/${code}/cancel`),
};

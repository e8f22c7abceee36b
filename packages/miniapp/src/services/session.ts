import Taro from '@tarojs/taro';
import type { AuthResponse } from '@member/shared/api';

/**
 * What the phone keeps between launches: the member token and the code secret from which the
 * dynamic member code is derived offline. A new login replaces both (and kills old codes).
 */
export interface Session {
  token: string;
  expiresAt: string;
  registered: boolean;
  codeSecret: string;
  codeRef: string;
  periodSeconds: number;
}

const KEY = 'mc.session';
const SKEW_KEY = 'mc.clock-skew';

export function loadSession(): Session | null {
  const s = Taro.getStorageSync<Session | ''>(KEY);
  if (!s || typeof s !== 'object') return null;
  return new Date(s.expiresAt).getTime() > Date.now() + 60_000 ? s : null;
}

export function saveSession(auth: AuthResponse): Session {
  const s: Session = {
    token: auth.token,
    expiresAt: auth.expiresAt,
    registered: auth.registered,
    codeSecret: auth.codeSecret,
    codeRef: auth.codeRef,
    periodSeconds: auth.codePeriodSeconds,
  };
  Taro.setStorageSync(KEY, s);
  return s;
}

export function markRegistered(): void {
  const s = loadSession();
  if (s) Taro.setStorageSync(KEY, { ...s, registered: true });
}

export function clearSession(): void {
  Taro.removeStorageSync(KEY);
}

/** Server time minus phone time, learnt from response Date headers: the server's clock decides codes. */
export function clockSkewMs(): number {
  return Number(Taro.getStorageSync(SKEW_KEY)) || 0;
}

export function recordServerDate(header: string | undefined): void {
  if (!header) return;
  const server = Date.parse(header);
  if (Number.isNaN(server)) return;
  // Date headers have 1 s resolution: ignore differences below that.
  const skew = server - Date.now();
  Taro.setStorageSync(SKEW_KEY, Math.abs(skew) < 1500 ? 0 : skew);
}

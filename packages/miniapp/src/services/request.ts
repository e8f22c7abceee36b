import Taro from '@tarojs/taro';
import type { AuthResponse, ErrorBody } from '@member/shared/api';
import { pathTo } from '@member/shared/api/paths';
import { login as platformLogin } from '../platform/login';
import { ApiError, hasCode } from './api-error';
import { clearSession, loadSession, recordServerDate, saveSession, type Session } from './session';

const BASE = process.env.TARO_APP_API_BASE ?? '';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Options {
  body?: unknown;
  auth?: boolean;
  idempotencyKey?: string;
}

/** One HTTP exchange with the BFF, with an optional bearer token; failures become ApiError. */
export async function send<T>(method: Method, path: string, opts: Options, session: { token: string } | null): Promise<T> {
  const header: Record<string, string> = { 'content-type': 'application/json' };
  if (session) header.Authorization = `Bearer ${session.token}`;
  if (opts.idempotencyKey) header['Idempotency-Key'] = opts.idempotencyKey;
  let res: Taro.request.SuccessCallbackResult<string | TaroGeneral.IAnyObject | ArrayBuffer>;
  try {
    res = await Taro.request({
      url: `${BASE}${path}`,
      method,
      header,
      data: opts.body as Record<string, unknown> | undefined,
      dataType: 'json',
      timeout: 15_000,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络不可用，请稍后重试');
  }
  const headers = res.header as Record<string, string | undefined>;
  recordServerDate(headers.Date ?? headers.date);
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data as T;
  const err = (res.data as ErrorBody | undefined)?.error;
  throw new ApiError(res.statusCode, err?.code ?? 'INTERNAL', err?.message ?? `HTTP ${res.statusCode}`, err?.details);
}

let pendingLogin: Promise<Session> | null = null;

/** Signs in (wx.login on WeChat, device identity on H5); concurrent callers share one attempt. */
export function login(): Promise<Session> {
  pendingLogin ??= (async () => {
    try {
      const proof = await platformLogin.obtainLoginProof();
      const path = proof.kind === 'wechat' ? pathTo('authWechat') : pathTo('authDev');
      const body = proof.kind === 'wechat' ? { code: proof.value } : { openid: proof.value };
      const res = await send<{ data: AuthResponse }>('POST', path, { body }, null);
      return saveSession(res.data);
    } finally {
      pendingLogin = null;
    }
  })();
  return pendingLogin;
}

export async function ensureSession(): Promise<Session> {
  return loadSession() ?? login();
}

/**
 * The one way the mini-program talks to the BFF: adds the token, turns failures into ApiError with
 * the contract's code, and on 401 signs in again once and retries.
 */
export async function request<T>(method: Method, path: string, opts: Options = {}): Promise<T> {
  if (opts.auth === false) return send<T>(method, path, opts, null);
  const session = await ensureSession();
  try {
    return await send<T>(method, path, opts, session);
  } catch (e) {
    if (!hasCode(e, 'UNAUTHENTICATED')) throw e;
    clearSession();
    return send<T>(method, path, opts, await login());
  }
}

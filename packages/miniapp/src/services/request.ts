import Taro from '@tarojs/taro';
import type { AuthResponse, ErrorBody } from '@member/shared/api';
import type { ErrorCode } from '@member/shared/errors';
import { login as platformLogin } from '../platform/login';
import { clearSession, loadSession, recordServerDate, saveSession, type Session } from './session';

const BASE = process.env.TARO_APP_API_BASE ?? '';

/** A failed call, with the contract's error code (or NETWORK when the BFF could not be reached). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

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
    res = await Taro.request({ url: `${BASE}${path}`, method, header, data: opts.body as Record<string, unknown> | undefined, dataType: 'json', timeout: 15_000 });
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
      const path = proof.kind === 'wechat' ? '/api/v1/auth/wechat' : '/api/v1/auth/dev';
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

/** For member-only pages: a signed-in, registered member, or off to registration. */
export async function ensureRegistered(): Promise<Session> {
  const session = await ensureSession();
  if (!session.registered) {
    void Taro.redirectTo({ url: '/pages/register/index' });
    throw new ApiError(404, 'NOT_FOUND', 'not registered yet');
  }
  return session;
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
    if (!(e instanceof ApiError) || e.code !== 'UNAUTHENTICATED') throw e;
    clearSession();
    return send<T>(method, path, opts, await login());
  }
}

/** Chinese text for an error, for toasts and error states. */
export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return '出错了，请稍后重试';
  switch (e.code) {
    case 'NETWORK':
      return '网络不可用，请检查网络后重试';
    case 'RATE_LIMITED':
      return '操作太频繁，请稍后再试';
    case 'WECHAT_UNAVAILABLE':
      return '微信服务繁忙，请稍后重试';
    case 'ALREADY_REGISTERED':
      return e.message.includes('phone') ? '该手机号已被其他会员使用' : '您已经是会员了';
    case 'VALIDATION_FAILED':
      return '填写的信息有误，请检查后重试';
    case 'LIMIT_REACHED':
      return '已达到次数上限';
    case 'CODE_EXPIRED':
      return '会员码已过期，请让会员刷新后重新扫码';
    case 'CODE_INVALID':
      return '会员码无效，请重新扫码或核对数字';
    case 'CODE_ALREADY_USED':
      return '该会员码已用于一笔订单，请让会员刷新后重新扫码';
    case 'COUPON_NOT_APPLICABLE':
      return '该优惠券不满足使用条件';
    case 'POINTS_INSUFFICIENT':
      return '积分余额不足';
    case 'POINTS_CAP_EXCEEDED':
      return '积分抵扣超过上限';
    case 'REFUND_EXCEEDS_ORDER':
      return '退款金额超过可退金额';
    case 'IDEMPOTENCY_MISMATCH':
      return '该单号已用于另一笔交易';
    case 'NOT_FOUND':
      return '没有找到对应记录';
    case 'UNAUTHENTICATED':
      return '请重新登录';
    case 'FORBIDDEN':
      return '没有权限进行此操作';
    default:
      return '出错了，请稍后重试';
  }
}

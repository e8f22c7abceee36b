import Taro from '@tarojs/taro';
import type { AuthResponse, ErrorBody } from '@member/shared/api';
import { pathTo } from '@member/shared/api/paths';
import { login as platformLogin } from '../platform/login';
import { ApiError, hasCode, type ClientErrorCode } from './api-error';
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

/**
 * The code a failed file download stands for: a download cannot read the error body the way a
 * request does, so its status decides (the contract gives each of these statuses one meaning here).
 */
const DOWNLOAD_FAILURES: Partial<Record<number, ClientErrorCode>> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  429: 'RATE_LIMITED',
  503: 'WECHAT_UNAVAILABLE',
};

/** Downloads a file the BFF serves (with the bearer token) to a temporary file; failures become ApiError. */
async function sendDownload(path: string, session: { token: string }): Promise<string> {
  let res: Taro.downloadFile.FileSuccessCallbackResult;
  try {
    res = await Taro.downloadFile({ url: `${BASE}${path}`, header: { Authorization: `Bearer ${session.token}` }, timeout: 15_000 });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络不可用，请稍后重试');
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.tempFilePath;
  throw new ApiError(res.statusCode, DOWNLOAD_FAILURES[res.statusCode] ?? 'INTERNAL', `HTTP ${res.statusCode}`);
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

/**
 * A file the BFF serves to the member (an image), downloaded with their token to a temporary file
 * whose path Taro's canvas can draw; on 401 signs in again once and retries, like `request`.
 */
export async function download(path: string): Promise<string> {
  const session = await ensureSession();
  try {
    return await sendDownload(path, session);
  } catch (e) {
    if (!hasCode(e, 'UNAUTHENTICATED')) throw e;
    clearSession();
    return sendDownload(path, await login());
  }
}

import { DomainError } from '@member/shared';

export interface WechatSession {
  openid: string;
  sessionKey: string;
  unionid?: string;
}

/** What the BFF needs from WeChat's servers; tests point the real HTTP client at a fake on loopback. */
export interface WechatClient {
  /** `wx.login` code → openid + session_key (code2Session). Codes are single-use. */
  code2Session(code: string): Promise<WechatSession>;
  /** `getPhoneNumber` button code → the member's phone number (a paid call). */
  phoneNumber(phoneCode: string): Promise<string>;
  /**
   * WeChat's risk rank of a user (getUserRiskRank): 0–4, higher is riskier. `scene` 1 asks about
   * marketing abuse (0 is registration); `clientIp` is the user's address now. WeChat only rates
   * users who were in the mini-program within the last two hours (61010 otherwise).
   */
  userRiskRank(input: { openid: string; clientIp: string; scene: 0 | 1 }): Promise<number>;
  /**
   * A mini-program code (wxacode.getUnlimited) that opens `page` (no leading `/`, no query) of the
   * `envVersion` build and hands it `scene` (at most 32 visible characters) as `query.scene`.
   * `width` is 280–1280 px (WeChat's default 430). The image comes back as WeChat made it (PNG or
   * JPEG), with its media type read from the bytes.
   */
  getUnlimitedCode(input: UnlimitedCodeRequest): Promise<CodeImage>;
  /**
   * A subscribe message (subscribeMessage.send) to a member who accepted one of this template.
   * Never rejects: the outcome says whether WeChat took it, refused it (its errcode), was never
   * reached (nothing sent), or did not answer (it may have been delivered).
   */
  sendSubscribeMessage(message: SubscribeMessage): Promise<SubscribeOutcome>;
}

export interface SubscribeMessage {
  openid: string;
  templateId: string;
  /** The mini-program page a tap opens (no leading `/`). */
  page: string;
  /** Template keyword → value (`{ thing1: '生日券' }`). */
  data: Record<string, string>;
  miniprogramState: 'formal' | 'trial' | 'developer';
}

export type SubscribeOutcome =
  | { outcome: 'sent' }
  /** WeChat answered and did not send: `errcode` says why. */
  | { outcome: 'refused'; errcode: number }
  /** The request never reached WeChat (no connection, no access token, a gateway error): nothing was sent. */
  | { outcome: 'not_reached'; error: string }
  /** No answer in time: WeChat may or may not have delivered it. */
  | { outcome: 'unknown'; error: string };

/** Connection failures that prove the request never left this machine. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

export type MiniProgramEnv = 'release' | 'trial' | 'develop';

export interface UnlimitedCodeRequest {
  scene: string;
  page: string;
  width?: number;
  /** Which build the code opens (WeChat's default: release). */
  envVersion?: MiniProgramEnv;
}

export interface CodeImage {
  contentType: 'image/png' | 'image/jpeg';
  bytes: Buffer;
}

/** The media type of an image by its first bytes (PNG or JPEG), or null for anything else. */
export function imageTypeOf(bytes: Uint8Array): CodeImage['contentType'] | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

interface WechatError {
  errcode?: number;
  errmsg?: string;
}

/** WeChat error codes → our contract. Unknown codes mean WeChat could not serve us. */
function mapWechatError(errcode: number): DomainError {
  switch (errcode) {
    case 40029: // invalid code
    case 40163: // code already used
      return new DomainError('UNAUTHENTICATED', 'WeChat login code is invalid or used');
    case 45011: // api minute-quota reached for this user
      return new DomainError('RATE_LIMITED', 'WeChat is rate limiting this user', { retryAfterSeconds: 60 });
    case 40226: // high-risk user intercepted by WeChat
      return new DomainError('FORBIDDEN', 'WeChat refused this user');
    default:
      return new DomainError('WECHAT_UNAVAILABLE', 'WeChat is unavailable, please retry');
  }
}

export interface HttpWechatOptions {
  baseUrl: string;
  appId: string;
  secret: string;
  timeoutMs: number;
}

/**
 * The real client over HTTP (fetch). The access token for server-side APIs comes from
 * `stable_token`, which does not invalidate tokens held by other instances, and is cached until
 * shortly before it expires.
 */
export class HttpWechatClient implements WechatClient {
  private accessToken: { value: string; until: number } | null = null;

  constructor(private readonly opts: HttpWechatOptions) {}

  private async send(path: string, init?: { method: 'POST'; body: unknown }): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.opts.baseUrl), {
        method: init?.method ?? 'GET',
        headers: init ? { 'content-type': 'application/json' } : undefined,
        body: init ? JSON.stringify(init.body) : undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch {
      throw new DomainError('WECHAT_UNAVAILABLE', 'WeChat is unreachable, please retry');
    }
    if (!res.ok) throw new DomainError('WECHAT_UNAVAILABLE', 'WeChat is unavailable, please retry');
    return res;
  }

  private async call<T>(path: string, init?: { method: 'POST'; body: unknown }): Promise<T & WechatError> {
    const res = await this.send(path, init);
    try {
      return (await res.json()) as T & WechatError;
    } catch {
      throw new DomainError('WECHAT_UNAVAILABLE', 'WeChat answered something unreadable');
    }
  }

  async code2Session(code: string): Promise<WechatSession> {
    const q = new URLSearchParams({ appid: this.opts.appId, secret: this.opts.secret, js_code: code, grant_type: 'authorization_code' });
    const r = await this.call<{ openid?: string; session_key?: string; unionid?: string }>(`/sns/jscode2session?${q.toString()}`);
    if (r.errcode) throw mapWechatError(r.errcode);
    if (!r.openid || !r.session_key) throw new DomainError('WECHAT_UNAVAILABLE', 'WeChat answered without a session');
    return { openid: r.openid, sessionKey: r.session_key, unionid: r.unionid };
  }

  private async token(): Promise<string> {
    if (this.accessToken && this.accessToken.until > Date.now()) return this.accessToken.value;
    const r = await this.call<{ access_token?: string; expires_in?: number }>('/cgi-bin/stable_token', {
      method: 'POST',
      body: { grant_type: 'client_credential', appid: this.opts.appId, secret: this.opts.secret },
    });
    if (r.errcode || !r.access_token) throw new DomainError('WECHAT_UNAVAILABLE', 'WeChat access token unavailable');
    this.accessToken = { value: r.access_token, until: Date.now() + Math.max(60, (r.expires_in ?? 7200) - 300) * 1000 };
    return r.access_token;
  }

  async phoneNumber(phoneCode: string): Promise<string> {
    const token = await this.token();
    const r = await this.call<{ phone_info?: { purePhoneNumber?: string; countryCode?: string } }>(
      `/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(token)}`,
      { method: 'POST', body: { code: phoneCode } },
    );
    if (r.errcode === 40029 || r.errcode === 40163) {
      throw new DomainError('VALIDATION_FAILED', 'phoneCode was rejected by WeChat', {
        issues: [{ in: 'body', path: ['phoneCode'], message: 'invalid or used' }],
      });
    }
    if (r.errcode === 40001 || r.errcode === 42001) this.accessToken = null;
    if (r.errcode) throw mapWechatError(r.errcode);
    const phone = r.phone_info?.purePhoneNumber;
    if (!phone) throw new DomainError('WECHAT_UNAVAILABLE', 'WeChat answered without a phone number');
    return phone;
  }

  async userRiskRank(input: { openid: string; clientIp: string; scene: 0 | 1 }): Promise<number> {
    const token = await this.token();
    const r = await this.call<{ risk_rank?: number }>(`/wxa/getuserriskrank?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      body: { appid: this.opts.appId, openid: input.openid, scene: input.scene, client_ip: input.clientIp },
    });
    if (r.errcode === 40001 || r.errcode === 42001) this.accessToken = null;
    // 40003 invalid openid, 43104 appid/openid mismatch, 61010 user not seen in the last two hours,
    // -1 busy: WeChat cannot rate this user now. The caller decides what an unrated friend gets.
    if (r.errcode) throw new DomainError('WECHAT_UNAVAILABLE', `WeChat could not rate this user (${r.errcode})`, { errcode: r.errcode });
    if (typeof r.risk_rank !== 'number') throw new DomainError('WECHAT_UNAVAILABLE', 'WeChat answered without a risk rank');
    return r.risk_rank;
  }

  async sendSubscribeMessage(m: SubscribeMessage): Promise<SubscribeOutcome> {
    let token: string;
    try {
      token = await this.token();
    } catch {
      return { outcome: 'not_reached', error: 'no_token' };
    }
    let res: Response;
    try {
      res = await fetch(new URL(`/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, this.opts.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          touser: m.openid,
          template_id: m.templateId,
          page: m.page,
          data: Object.fromEntries(Object.entries(m.data).map(([k, value]) => [k, { value }])),
          miniprogram_state: m.miniprogramState,
          lang: 'zh_CN',
        }),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (e) {
      const code = (e as { cause?: { code?: string } }).cause?.code;
      return code && NOT_CONNECTED.has(code) ? { outcome: 'not_reached', error: 'unreachable' } : { outcome: 'unknown', error: 'no_answer' };
    }
    // WeChat answers every API call with 200; anything else came from a gateway in front of it.
    if (!res.ok) return { outcome: 'not_reached', error: `http_${res.status}` };
    let r: WechatError;
    try {
      r = (await res.json()) as WechatError;
    } catch {
      return { outcome: 'unknown', error: 'unreadable' };
    }
    if (r.errcode === 40001 || r.errcode === 42001) this.accessToken = null;
    if (r.errcode) return { outcome: 'refused', errcode: r.errcode };
    return { outcome: 'sent' };
  }

  async getUnlimitedCode(input: UnlimitedCodeRequest): Promise<CodeImage> {
    const token = await this.token();
    const envVersion = input.envVersion ?? 'release';
    const res = await this.send(`/wxa/getwxacodeunlimit?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      body: {
        scene: input.scene,
        page: input.page,
        // Only a released build's pages can be checked; a trial or development build's may not exist there yet.
        check_path: envVersion === 'release',
        env_version: envVersion,
        ...(input.width ? { width: input.width } : {}),
      },
    });
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await res.arrayBuffer());
    } catch {
      throw new DomainError('WECHAT_UNAVAILABLE', 'WeChat is unreachable, please retry');
    }
    // Success is the image itself; a failure is JSON ({errcode, errmsg}), whatever the headers say.
    const contentType = imageTypeOf(bytes);
    if (contentType) return { contentType, bytes };
    let errcode: number | undefined;
    try {
      errcode = (JSON.parse(bytes.toString('utf8')) as WechatError).errcode;
    } catch {
      errcode = undefined;
    }
    if (errcode === 40001 || errcode === 42001) this.accessToken = null;
    // 45009: the app's minute quota for codes is used up; the member may try again shortly.
    if (errcode === 45009) throw new DomainError('RATE_LIMITED', 'WeChat is rate limiting mini-program codes', { retryAfterSeconds: 60 });
    // 41030 page not in the released build (or has a query or a leading "/"), 40129 / 40169 a bad or
    // too long scene, 40097 bad arguments, 48001 not authorised, -1 busy: nothing the member can fix.
    throw new DomainError(
      'WECHAT_UNAVAILABLE',
      `WeChat could not make the mini-program code (${errcode ?? 'not an image'})`,
      errcode !== undefined ? { errcode } : undefined,
    );
  }
}

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * A small stand-in for WeChat's servers on loopback (the real ones are unreachable here). It speaks
 * the same HTTP API the BFF's real client calls: code2Session (`/sns/jscode2session`),
 * `/cgi-bin/stable_token` and `/wxa/business/getuserphonenumber`, with WeChat's error codes:
 * 40029 invalid code, 40163 code already used, 45011 rate limited, -1 system busy.
 */
export class FakeWechat {
  private server: Server | null = null;
  private readonly loginCodes = new Map<string, { openid: string; used: boolean }>();
  private readonly phoneCodes = new Map<string, { phone: string; used: boolean }>();
  readonly calls: { path: string; query: Record<string, string | undefined>; body: unknown }[] = [];
  /** When set, every call answers with this errcode (simulating outages or throttling). */
  failWith: number | null = null;
  /** When true, requests hang long enough to trip the client's timeout. */
  hang = false;
  baseUrl = '';
  readonly appId = 'wx-test-appid';
  readonly secret = 'test-app-secret';
  private accessToken = randomBytes(8).toString('hex');

  /** What `wx.login()` would hand the phone for this user. */
  loginCode(openid: string): string {
    const code = `lc_${randomBytes(8).toString('hex')}`;
    this.loginCodes.set(code, { openid, used: false });
    return code;
  }

  /** What the `getPhoneNumber` button would hand the phone. */
  phoneCode(phone: string): string {
    const code = `pc_${randomBytes(8).toString('hex')}`;
    this.phoneCodes.set(code, { phone, used: false });
    return code;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then((body) => {
        if (this.hang) return; // never answer
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage): Promise<unknown> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body: unknown = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const query: Record<string, string | undefined> = Object.fromEntries(url.searchParams);
    this.calls.push({ path: url.pathname, query, body });
    if (this.failWith !== null) return { errcode: this.failWith, errmsg: 'simulated' };

    if (url.pathname === '/sns/jscode2session') {
      if (query.appid !== this.appId || query.secret !== this.secret) return { errcode: 40013, errmsg: 'invalid appid' };
      const entry = this.loginCodes.get(query.js_code ?? '');
      if (!entry) return { errcode: 40029, errmsg: 'invalid code' };
      if (entry.used) return { errcode: 40163, errmsg: 'code been used' };
      entry.used = true;
      return { openid: entry.openid, session_key: randomBytes(16).toString('base64') };
    }
    if (url.pathname === '/cgi-bin/stable_token') {
      const b = body as { appid?: string; secret?: string; grant_type?: string } | undefined;
      if (b?.appid !== this.appId || b.secret !== this.secret || b.grant_type !== 'client_credential') return { errcode: 40013, errmsg: 'invalid appid' };
      return { access_token: this.accessToken, expires_in: 7200 };
    }
    if (url.pathname === '/wxa/business/getuserphonenumber') {
      if (query.access_token !== this.accessToken) return { errcode: 40001, errmsg: 'invalid credential' };
      const entry = this.phoneCodes.get((body as { code?: string } | undefined)?.code ?? '');
      if (!entry) return { errcode: 40029, errmsg: 'invalid code' };
      if (entry.used) return { errcode: 40163, errmsg: 'code been used' };
      entry.used = true;
      return { errcode: 0, errmsg: 'ok', phone_info: { phoneNumber: entry.phone, purePhoneNumber: entry.phone, countryCode: '86' } };
    }
    return { errcode: 404, errmsg: 'not found' };
  }
}

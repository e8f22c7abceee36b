import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * A small stand-in for WeChat's servers on loopback (the real ones are unreachable here). It speaks
 * the same HTTP API the BFF's real client calls: code2Session (`/sns/jscode2session`),
 * `/cgi-bin/stable_token`, `/wxa/business/getuserphonenumber` and `/wxa/getuserriskrank`, with
 * WeChat's error codes: 40029 invalid code, 40163 code already used, 45011 rate limited, -1 system
 * busy; for the risk rank 40001 invalid token, 40003 unknown openid, 40129 bad scene, 44002 empty
 * parameter, 61010 a user not seen lately (`unseen`).
 */
export class FakeWechat {
  private server: Server | null = null;
  private readonly loginCodes = new Map<string, { openid: string; used: boolean }>();
  private readonly phoneCodes = new Map<string, { phone: string; used: boolean }>();
  /** Every openid that signed in (WeChat rates only users it knows). */
  private readonly knownOpenids = new Set<string>();
  /** Risk ranks WeChat gives users (0 unless set). */
  readonly riskRanks = new Map<string, number>();
  /** Users WeChat has not seen in the mini-program lately: getuserriskrank answers 61010. */
  readonly unseen = new Set<string>();
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
      this.knownOpenids.add(entry.openid);
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
    if (url.pathname === '/wxa/getuserriskrank') {
      if (req.method !== 'POST') return { errcode: 43302, errmsg: 'use post' };
      if (query.access_token !== this.accessToken) return { errcode: 40001, errmsg: 'invalid credential' };
      const b = (body ?? {}) as { appid?: string; openid?: string; scene?: number; client_ip?: string };
      if (!b.appid || !b.openid || b.scene === undefined || !b.client_ip) return { errcode: 44002, errmsg: 'empty post data' };
      if (b.scene !== 0 && b.scene !== 1) return { errcode: 40129, errmsg: 'invalid scene' };
      if (b.appid !== this.appId || !this.knownOpenids.has(b.openid)) return { errcode: 40003, errmsg: 'invalid openid' };
      if (this.unseen.has(b.openid)) return { errcode: 61010, errmsg: 'user access record expired' };
      return { errcode: 0, errmsg: 'getuserriskrank succ', risk_rank: this.riskRanks.get(b.openid) ?? 0, unoin_id: this.calls.length };
    }
    return { errcode: 404, errmsg: 'not found' };
  }
}

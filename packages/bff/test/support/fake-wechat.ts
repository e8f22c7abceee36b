import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import qrcode from 'qrcode-generator';

/** An answer of image bytes (anything else the fake answers is JSON). */
class Image {
  constructor(
    readonly contentType: string,
    readonly bytes: Buffer,
  ) {}
}

/** A greyscale PNG (8 bits, no filtering) of `pixels` (0 black … 255 white, row by row). */
export function encodePng(pixels: Uint8Array, width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(pixels.subarray(y * width, (y + 1) * width)).copy(rows, y * (width + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A QR code of `text` as a PNG about `width` pixels wide (whole pixels per module, 4-module quiet zone). */
export function qrPng(text: string, width: number): Buffer {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const scale = Math.max(1, Math.floor(width / (n + 8)));
  const size = (n + 8) * scale;
  const pixels = new Uint8Array(size * size).fill(255);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.floor(y / scale) - 4;
      const c = Math.floor(x / scale) - 4;
      if (r >= 0 && c >= 0 && r < n && c < n && qr.isDark(r, c)) pixels[y * size + x] = 0;
    }
  }
  return encodePng(pixels, size, size);
}

/** A mini-program code the fake made: what was asked for and the image it answered with. */
export interface MadeCode {
  scene: string;
  page: string;
  checkPath: boolean;
  envVersion: string;
  width: number;
  image: Buffer;
}

/** A subscribe message WeChat delivered. */
export interface Delivery {
  openid: string;
  templateId: string;
  page: string;
  data: Record<string, string>;
  miniprogramState: string;
}

/** The visible characters WeChat allows in a scene. */
const SCENE = /^[A-Za-z0-9!#$&'()*+,/:;=?@\-._~]{1,32}$/;

/**
 * A small stand-in for WeChat's servers on loopback (the real ones are unreachable here). It speaks
 * the same HTTP API the BFF's real client calls: code2Session (`/sns/jscode2session`),
 * `/cgi-bin/stable_token`, `/wxa/business/getuserphonenumber` and `/wxa/getuserriskrank`, with
 * WeChat's error codes: 40029 invalid code, 40163 code already used, 45011 rate limited, -1 system
 * busy; for the risk rank 40001 invalid token, 40003 unknown openid, 40129 bad scene, 44002 empty
 * parameter, 61010 a user not seen lately (`unseen`). `/wxa/getwxacodeunlimit` answers a real PNG
 * (a plain QR code of the scene standing in for WeChat's round code) or JSON errors: 40001 invalid
 * token, 40129 a scene of characters WeChat does not allow, 40169 a scene longer than 32, 41030 a
 * page that is not a page of the released build (`pages`) or has a leading "/" or a query, 45009
 * the minute quota (through `failWith`). Every code made is kept in `codes`.
 *
 * `/cgi-bin/message/subscribe/send` delivers a subscribe message when the user holds a one-time
 * subscription of that template (`acceptSubscription`, what the user's tap on 允许 gives WeChat;
 * each is used by one message), and records it in `deliveries`. Its errors: 40001 invalid token,
 * 40003 unknown openid, 40037 a template id not in `templateIds` (when set), 47003 data that is not
 * `{keyword: {value}}`, 43101 no subscription left; and any errcode queued in `subscribeFailures`
 * answers the next calls, one each (-1 busy, 45009 quota…). `subscribeHang` leaves the next calls
 * unanswered (the client times out) though the message is delivered, as a slow WeChat might.
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
  /** The pages of the released mini-program (what check_path checks against). */
  readonly pages = new Set(['pages/index/index', 'pages/code/index', 'pages/coupons/index', 'pages/mall/index', 'pages/points/index', 'pages/register/index']);
  /** Every mini-program code made, in order. */
  readonly codes: MadeCode[] = [];
  /** Subscribe messages delivered, in order. */
  readonly deliveries: Delivery[] = [];
  /** Errcodes the next subscribe sends answer with, one per call, before anything else is checked. */
  readonly subscribeFailures: number[] = [];
  /** How many of the next subscribe sends deliver but never answer. */
  subscribeHang = 0;
  /** The template ids of the mini-program (null: any id is one). */
  templateIds: Set<string> | null = null;
  /** One-time subscriptions users hold, by `openid template`. */
  private readonly subscriptions = new Map<string, number>();
  baseUrl = '';
  readonly appId = 'wx-test-appid';
  readonly secret = 'test-app-secret';
  private accessToken = randomBytes(8).toString('hex');

  /** WeChat invalidates the access token it gave out (the client's cached one answers 40001 until it asks again). */
  expireAccessToken(): void {
    this.accessToken = randomBytes(8).toString('hex');
  }

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

  /** The user tapped 允许 for this template in the subscribe dialog: one message may be sent. */
  acceptSubscription(openid: string, templateId: string): void {
    const key = `${openid} ${templateId}`;
    this.subscriptions.set(key, (this.subscriptions.get(key) ?? 0) + 1);
  }

  /** Deliveries to one user. */
  deliveriesTo(openid: string): Delivery[] {
    return this.deliveries.filter((d) => d.openid === openid);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then((body) => {
        if (this.hang) return; // never answer
        if (body instanceof Image) {
          res.setHeader('content-type', body.contentType);
          res.end(body.bytes);
          return;
        }
        // WeChat answers errors of its image APIs as JSON with a 200 too.
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
    if (url.pathname === '/wxa/getwxacodeunlimit') {
      if (req.method !== 'POST') return { errcode: 43302, errmsg: 'use post' };
      if (query.access_token !== this.accessToken) return { errcode: 40001, errmsg: 'invalid credential' };
      const b = (body ?? {}) as { scene?: unknown; page?: unknown; check_path?: unknown; env_version?: unknown; width?: unknown };
      if (typeof b.scene !== 'string' || b.scene.length === 0 || b.scene.length > 32) return { errcode: 40169, errmsg: 'invalid length for scene' };
      if (!SCENE.test(b.scene)) return { errcode: 40129, errmsg: 'invalid scene' };
      const page = typeof b.page === 'string' ? b.page : 'pages/index/index';
      const checkPath = b.check_path !== false;
      if (page.startsWith('/') || page.includes('?') || (checkPath && !this.pages.has(page))) return { errcode: 41030, errmsg: 'invalid page' };
      const envVersion = typeof b.env_version === 'string' ? b.env_version : 'release';
      if (!['release', 'trial', 'develop'].includes(envVersion)) return { errcode: 40097, errmsg: 'invalid args' };
      const width = typeof b.width === 'number' ? b.width : 430;
      if (width < 280 || width > 1280) return { errcode: 40097, errmsg: 'invalid args' };
      const image = qrPng(b.scene, width);
      this.codes.push({ scene: b.scene, page, checkPath, envVersion, width, image });
      return new Image('image/png', image);
    }
    if (url.pathname === '/cgi-bin/message/subscribe/send') {
      if (req.method !== 'POST') return { errcode: 43302, errmsg: 'use post' };
      const injected = this.subscribeFailures.shift();
      if (injected !== undefined) return { errcode: injected, errmsg: 'simulated' };
      if (query.access_token !== this.accessToken) return { errcode: 40001, errmsg: 'invalid credential' };
      const b = (body ?? {}) as { touser?: string; template_id?: string; page?: string; data?: unknown; miniprogram_state?: string };
      if (!b.touser || !this.knownOpenids.has(b.touser)) return { errcode: 40003, errmsg: 'invalid openid' };
      if (!b.template_id || (this.templateIds && !this.templateIds.has(b.template_id))) return { errcode: 40037, errmsg: 'invalid template_id' };
      const entries = typeof b.data === 'object' && b.data !== null ? Object.entries(b.data as Record<string, unknown>) : [];
      const data: Record<string, string> = {};
      for (const [k, v] of entries) {
        const value = (v as { value?: unknown } | null)?.value;
        if (typeof value !== 'string') return { errcode: 47003, errmsg: 'argument invalid! data.value' };
        data[k] = value;
      }
      if (entries.length === 0) return { errcode: 47003, errmsg: 'argument invalid! data' };
      const key = `${b.touser} ${b.template_id}`;
      const left = this.subscriptions.get(key) ?? 0;
      if (left <= 0) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
      this.subscriptions.set(key, left - 1);
      this.deliveries.push({ openid: b.touser, templateId: b.template_id, page: b.page ?? '', data, miniprogramState: b.miniprogram_state ?? 'formal' });
      if (this.subscribeHang > 0) {
        this.subscribeHang--;
        await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
      }
      return { errcode: 0, errmsg: 'ok' };
    }
    return { errcode: 404, errmsg: 'not found' };
  }
}

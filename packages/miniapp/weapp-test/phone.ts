/**
 * A WeChat phone for the compiled weapp bundle (dist/weapp), inside WeChat's own component test
 * harness, miniprogram-simulate (j-component, with the official wcc template compiler).
 *
 * What WeChat's client would provide is supplied here, at the boundary and nowhere else:
 * - the mini-program constructors `App`, `Page`, `getApp`, `getCurrentPages`. simulate knows only
 *   `Component`; a Taro page is `Page(createPageConfig(...))`, so `Page` turns the page's options
 *   into a component whose `attached` runs the page's onLoad → onShow → onReady, as WeChat does
 *   when it opens a page;
 * - the `wx` APIs the pages call: `wx.request` is answered by the test's `backend` (contract
 *   fixtures, see backend.ts) or, given `apiBase`, does real HTTP to a server there; `wx.login`
 *   hands out the test's login code, storage lives in memory, screen brightness is a number.
 *   Everything else is simulate's own `wx`.
 *
 * Nothing of the bundle is replaced: app.js, the Taro runtime, React, NutUI, our pages and the
 * base.wxml templates all run as they would on the phone.
 */
import { request as httpRequest } from 'node:http';
import path from 'node:path';

export const WEAPP_DIST = path.resolve(__dirname, '../dist/weapp');

interface WxRequestOptions {
  url: string;
  method?: string;
  header?: Record<string, string>;
  data?: unknown;
  timeout?: number;
  success?: (res: { data: unknown; statusCode: number; header: Record<string, string> }) => void;
  fail?: (err: { errMsg: string }) => void;
  complete?: () => void;
}

interface WxCallbacks<T> {
  success?: (res: T) => void;
  fail?: (err: { errMsg: string }) => void;
  complete?: () => void;
}

/** Answers a wx-style call (success/complete callbacks, and the promise newer base libraries return). */
function answer<T>(opts: WxCallbacks<T> | undefined, res: T): Promise<T> {
  opts?.success?.(res);
  opts?.complete?.();
  return Promise.resolve(res);
}

/** What the phone's `wx.request` asked: the path without its query, the query, the JSON body. */
export interface BackendRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

/** A server in the test's hands: answers each request in memory, as the BFF's HTTP would. */
export type Backend = (req: BackendRequest) => { status: number; data: unknown };

/**
 * wx.request answered by `backend`, later (as a network would: never inside the call), with the
 * JSON round trip and the `Date` header a server sends.
 */
function answerInMemory(backend: Backend, o: WxRequestOptions, method: string, url: URL, exchanges: Exchange[]) {
  let aborted = false;
  setTimeout(() => {
    if (aborted) return;
    const query = Object.fromEntries(url.searchParams);
    if (method === 'GET' && o.data && typeof o.data === 'object') for (const [k, v] of Object.entries(o.data)) query[k] = String(v);
    const body: unknown = method === 'GET' || o.data === undefined ? undefined : JSON.parse(JSON.stringify(o.data));
    const res = backend({ method, path: url.pathname, query, body });
    exchanges.push({ method, path: url.pathname + url.search, status: res.status });
    o.success?.({
      data: JSON.parse(JSON.stringify(res.data)),
      statusCode: res.status,
      header: { 'content-type': 'application/json', date: new Date().toUTCString() },
    });
    o.complete?.();
  }, 0);
  return {
    abort: () => {
      aborted = true;
    },
    onHeadersReceived: () => undefined,
    offHeadersReceived: () => undefined,
  };
}

export interface PhoneOptions {
  /** Answers wx.request in memory (takes precedence over `apiBase`). */
  backend?: Backend;
  /** A server, as `http://127.0.0.1:port`: where the bundle's relative API paths go by real HTTP. */
  apiBase?: string;
  /** A fresh login code for each wx.login (default: none: a page that signs in fails). */
  loginCode?: () => string;
  /** The bundle to run (default: dist/weapp). */
  dist?: string;
  /** What wx storage holds at start. */
  storage?: Record<string, unknown>;
}

/** One exchange the bundle made with the BFF through wx.request. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
}

/** A page opened in the harness: its root element, and its data tree as Taro last set it. */
export interface OpenedPage {
  route: string;
  root: Element;
  /** The page's text, whitespace collapsed. */
  text: () => string;
  close: () => void;
}

export interface Phone {
  exchanges: Exchange[];
  /** The names of the wx APIs the bundle called (a set, in first-call order). */
  wxCalls: Set<string>;
  open: (route: string, query?: Record<string, string>) => OpenedPage;
}

interface SimulateComponent {
  dom: Element;
  attach: (parent: Element) => void;
  detach: () => void;
}

interface Simulate {
  load: (componentPath: string, options?: { rootPath?: string }) => string;
  render: (id: string) => SimulateComponent;
}

type PageOptions = Record<string, unknown>;
type PageInstance = Record<string, unknown> & { route?: string; options?: Record<string, string> };

/**
 * Loads the bundle's app.js on a phone wired to the BFF; pages are then opened with `open`.
 * Call once per module registry (`jest.isolateModules` for a second bundle in the same file).
 */
export function startPhone(opts: PhoneOptions): Phone {
  const dist = opts.dist ?? WEAPP_DIST;
  const g = globalThis as unknown as Record<string, unknown>;
  const storage = new Map<string, unknown>(Object.entries(opts.storage ?? {}));
  const exchanges: Exchange[] = [];
  const wxCalls = new Set<string>();
  let brightness = 0.5;

  const stubs: Record<string, (o?: never) => unknown> = {
    request: (o: WxRequestOptions) => {
      const url = new URL(o.url, opts.apiBase ?? 'http://backend.invalid');
      const method = (o.method ?? 'GET').toUpperCase();
      const { backend } = opts;
      if (backend) return answerInMemory(backend, o, method, url, exchanges);
      let body: string | undefined;
      if (o.data !== undefined && o.data !== null) {
        if (method === 'GET') {
          for (const [k, v] of Object.entries(o.data as Record<string, unknown>)) url.searchParams.set(k, String(v));
        } else body = JSON.stringify(o.data);
      }
      const req = httpRequest(
        url,
        { method, headers: { ...o.header, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) }, timeout: o.timeout },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            let data: unknown = raw;
            try {
              data = JSON.parse(raw);
            } catch {
              /* not JSON: WeChat hands the string over */
            }
            const status = res.statusCode ?? 0;
            exchanges.push({ method, path: url.pathname + url.search, status });
            // WeChat gives response headers with the server's spelling; Node lower-cases them.
            const header = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
            o.success?.({ data, statusCode: status, header });
            o.complete?.();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => {
        o.fail?.({ errMsg: `request:fail ${e.message}` });
        o.complete?.();
      });
      if (body) req.write(body);
      req.end();
      return { abort: () => req.destroy(), onHeadersReceived: () => undefined, offHeadersReceived: () => undefined };
    },
    login: (o?: WxCallbacks<{ code: string; errMsg: string }>) => {
      if (!opts.loginCode) {
        o?.fail?.({ errMsg: 'login:fail this test gives no login code' });
        o?.complete?.();
        return Promise.reject(new Error('login:fail'));
      }
      return answer(o, { code: opts.loginCode(), errMsg: 'login:ok' });
    },
    getStorageSync: (key = '') => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key = '', value?: unknown) => void storage.set(key, value),
    removeStorageSync: (key = '') => void storage.delete(key),
    getScreenBrightness: (o?: WxCallbacks<{ value: number }>) => answer(o, { value: brightness }),
    setScreenBrightness: (o: WxCallbacks<{ errMsg: string }> & { value: number }) => {
      brightness = o.value;
      return answer(o, { errMsg: 'setScreenBrightness:ok' });
    },
  } as never;

  // simulate installs its own `wx` when first required, keeping what is already there.
  g.wx = { ...stubs };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const simulate = require('miniprogram-simulate') as Simulate;
  const wx = g.wx as Record<string, unknown>;
  g.wx = new Proxy(wx, {
    get(target, key: string) {
      const v = target[key];
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        wxCalls.add(key);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });

  let app: Record<string, unknown> | null = null;
  const pages: PageInstance[] = [];
  let opening: { route: string; query: Record<string, string> } | null = null;
  g.App = (options: Record<string, unknown>) => {
    app = options;
  };
  g.getApp = () => app;
  g.getCurrentPages = () => [...pages];
  g.requirePlugin = () => ({});
  g.Page = (options: PageOptions) => {
    const { data, ...rest } = options;
    const methods = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'function'));
    if (!opening) throw new Error('Page() called outside open()');
    const { route, query } = opening;
    const call = (self: PageInstance, name: string, ...args: unknown[]) => (self[name] as ((...a: unknown[]) => unknown) | undefined)?.apply(self, args);
    (g.Component as (o: unknown) => void)({
      data,
      methods,
      lifetimes: {
        attached(this: PageInstance) {
          this.route = route;
          this.options = query;
          pages.push(this);
          call(this, 'onLoad', query);
          call(this, 'onShow');
          call(this, 'onReady');
        },
        detached(this: PageInstance) {
          call(this, 'onHide');
          call(this, 'onUnload');
          pages.splice(pages.indexOf(this), 1);
        },
      },
    });
  };

  // WeChat runs app.js first (it loads the Taro runtime, React and the vendor chunks), then launches.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(dist, 'app.js'));
  const launched = app as Partial<Record<string, (o: unknown) => void>> | null;
  if (!launched) throw new Error(`${dist}/app.js did not call App()`);
  launched.onLaunch?.({ path: 'pages/index/index', query: {}, scene: 1001 });
  launched.onShow?.({ path: 'pages/index/index', query: {}, scene: 1001 });

  return {
    exchanges,
    wxCalls,
    open(route, query = {}) {
      opening = { route, query };
      const id = simulate.load(path.join(dist, route), { rootPath: dist });
      const page = simulate.render(id);
      const parent = document.createElement('page-wrapper');
      document.body.appendChild(parent);
      page.attach(parent);
      opening = null;
      return {
        route,
        root: page.dom,
        text: () => page.dom.textContent.replace(/\s+/g, ' ').trim(),
        close: () => {
          page.detach();
          parent.remove();
        },
      };
    },
  };
}

/** Waits until `probe` returns a value (not null/undefined/false), polling; throws what it last saw on time-out. */
export async function waitFor<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

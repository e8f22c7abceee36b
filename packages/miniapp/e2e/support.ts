import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createTestDatabase, withServices as withBffServices } from '@member/bff/testing';
import { chromium, type Browser } from 'playwright-core';

export const ARTIFACTS = path.resolve(__dirname, 'artifacts');
const ROOT = path.resolve(__dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** The fields of the BFF's JSON log lines the 5xx gate reads. */
interface LogEntry {
  level?: number;
  status?: number;
  method?: string;
  route?: string;
}

export interface RunningBff {
  url: string;
  env: Record<string, string>;
  stop: () => Promise<void>;
}

/**
 * Starts the real BFF (the compiled main.js, as `pnpm start` runs it) on a fresh MariaDB database,
 * serving the real H5 build, and waits until /readyz answers.
 */
export async function startBff(): Promise<RunningBff> {
  const database = await createTestDatabase('mc_e2e');
  const port = await freePort();
  const env = {
    NODE_ENV: 'test',
    DB_URL: database.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    STATIC_DIR: path.join(ROOT, 'packages/miniapp/dist/h5'),
    APP_SECRET: randomBytes(32).toString('hex'),
    DATA_KEY: randomBytes(32).toString('hex'),
    DEV_LOGIN: 'true',
    LOG_LEVEL: 'info',
  };
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'packages/bff/dist/main.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The 5xx gate: the BFF logs every request with its status; any answer of 500 or above fails
  // the file when the BFF stops. Only warnings and errors reach the console, as before.
  const serverErrors: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let entry: LogEntry | null = null;
    try {
      entry = JSON.parse(line) as LogEntry;
    } catch {
      /* not a log line */
    }
    if (entry && typeof entry.status === 'number' && entry.status >= 500) serverErrors.push(`${entry.method ?? '?'} ${entry.route ?? '?'} → ${entry.status}`);
    if (!entry || (entry.level ?? 0) >= 40) process.stdout.write(`${line}\n`);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 100 || child.exitCode !== null) throw new Error('BFF did not become ready');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    env,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await database.drop();
      if (serverErrors.length) throw new Error(`the BFF answered with server errors (5xx):\n${serverErrors.join('\n')}`);
    },
  };
}

/** Debian's Chromium, headless, with the flags that keep it off the (closed) network. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Runs `fn` with the BFF's own services on the running BFF's database (for setting up a scene). */
export function withServices<T>(bff: RunningBff, fn: Parameters<typeof withBffServices<T>>[1]): Promise<T> {
  return withBffServices(bff.env, fn);
}

/** Reads the session the H5 app keeps in localStorage (Taro wraps values as {data}). */
export async function storedSession(page: import('playwright-core').Page): Promise<{ token: string }> {
  const raw = await page.evaluate(() => localStorage.getItem('mc.session'));
  const parsed = JSON.parse(raw ?? 'null') as { data?: { token: string } } | null;
  return (parsed?.data ?? parsed) as { token: string };
}

/**
 * A phone-sized browser context (as Taro's H5 build expects: 375 × 667, touch, zh-CN), on a phone
 * set to New York time: a member abroad, so a time shown in the phone's zone instead of the
 * store's (`rules.businessTimeZone`, Asia/Shanghai) is caught whatever this machine's zone is.
 */
export async function phonePage(browser: Browser): Promise<import('playwright-core').Page> {
  const context = await browser.newContext({
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'America/New_York',
  });
  return context.newPage();
}

/** "2026-11-20 12:05": an instant as the store's clock (Asia/Shanghai, the demo business zone) reads it. */
export function storeTime(iso: string): string {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Consents and registers on the phone like a new member; returns the member's id. */
export async function registerOnPhone(page: import('playwright-core').Page, bff: RunningBff, nickname: string): Promise<string> {
  await page.goto(`${bff.url}/#/pages/index/index`);
  await page.locator('[data-testid="consent-check"]').first().click();
  await page.locator('.nickname-input input').fill(nickname);
  await page.locator('[data-testid="register-submit"]').first().click();
  await page.locator('[data-testid="member-card"]').first().waitFor();
  const { token } = await storedSession(page);
  const res = await fetch(`${bff.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await res.json()) as { data: { id: string } }).data.id;
}

/** Signs a staff member in on the counter pages. */
export async function staffSignIn(page: import('playwright-core').Page, bff: RunningBff, username: string, password: string): Promise<void> {
  await page.goto(`${bff.url}/#/subpackages/counter/login/index`);
  await page.locator('.staff-username input').fill(username);
  await page.locator('.staff-password input').fill(password);
  await page.locator('[data-testid="staff-login"]').first().click();
}

/** What a browser test file works with: the BFF, one browser, the member's phone and the cashier's till. */
export interface Stage {
  bff: RunningBff;
  browser: Browser;
  phone: import('playwright-core').Page;
  till: import('playwright-core').Page;
}

/** Starts the BFF, sets up the scene with its services, and opens a phone and a till (for `beforeAll`). */
export async function openStage(scene?: Parameters<typeof withBffServices<unknown>>[1]): Promise<Stage> {
  const bff = await startBff();
  if (scene) await withServices(bff, scene);
  const browser = await launchChromium();
  return { bff, browser, phone: await phonePage(browser), till: await phonePage(browser) };
}

/** Closes what `openStage` opened (for `afterAll`; tolerates a `beforeAll` that failed half-way). */
export async function closeStage(stage: Partial<Stage> | undefined): Promise<void> {
  await stage?.browser?.close();
  await stage?.bff?.stop();
}

/** The element a test id marks on a page. */
export const on = (page: import('playwright-core').Page, id: string) => page.locator(`[data-testid="${id}"]`).first();

/** A full-page screenshot in the artifacts once the page has stopped moving (Taro's H5 page transition included). */
export async function snap(page: import('playwright-core').Page, name: string): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// The phone load benchmark of `pnpm bench`: how long a member waits, cold, until the member centre
// shows the points balance, in Debian's Chromium against the real BFF serving the real H5 build.
//
//   throttled    1.6 Mbps down, 150 ms RTT, 4× CPU slow-down (a mid-range phone on a weak 4G cell)
//   unthrottled  this machine over loopback
//
// Each load is in a fresh browser context (empty HTTP cache) of a member already signed in (the
// session in localStorage, as on a returning phone), timed from navigation start to the balance on
// screen. Baselines measured in the same run, in the same browser and BFF:
//
//   uncompressed   the same page with the browser accepting no compression (as the BFF served it before)
//   static floor   a bare static HTML page showing a number: what the network alone costs
//
// Prints the median of BENCH_LOAD_ROUNDS (5) loads each, beside the targets (2.5 s and 1.0 s).
// Needs the builds (`pnpm build`). CHROMIUM_PATH overrides /usr/bin/chromium; BENCH_H5_DIR serves another
// H5 build (to compare builds in one run of this script).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const here = import.meta.dirname;
const ROOT = path.resolve(here, '../../..');
const H5 = process.env.BENCH_H5_DIR ? path.resolve(process.env.BENCH_H5_DIR) : path.join(ROOT, 'packages/miniapp/dist/h5');
const MAIN = path.join(ROOT, 'packages/bff/dist/main.js');
const ROUNDS = Number(process.env.BENCH_LOAD_ROUNDS ?? 5);
const TARGETS = { throttled: 2500, unthrottled: 1000 };
const THROTTLE = { latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0, cpu: 4 };

for (const f of [path.join(H5, 'index.html'), MAIN]) {
  if (!existsSync(f)) {
    console.error(`missing ${path.relative(ROOT, f)}: run \`pnpm build\` first`);
    process.exit(1);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** The environment without DB_URL: the BFF then runs on its embedded SQLite database. */
function withoutDbUrl(env) {
  const rest = { ...env };
  delete rest.DB_URL;
  return rest;
}

/** The compiled BFF as `pnpm start` runs it (embedded SQLite in a temporary directory), serving `staticDir`. */
async function startBff(staticDir, dataDir) {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...withoutDbUrl(process.env),
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      STATIC_DIR: staticDir,
      DEV_LOGIN: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 150 || child.exitCode !== null) throw new Error('BFF did not become ready');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
  };
}

async function api(url, pathname, body, token) {
  const res = await fetch(`${url}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${pathname} → ${res.status} ${await res.text()}`);
  return (await res.json()).data;
}

/** A registered member's session, as the H5 app keeps it in localStorage (Taro wraps values as {data}). */
async function memberStorage(url) {
  const openid = 'bench-load-member';
  const auth = await api(url, '/api/v1/auth/dev', { openid });
  if (!auth.registered) {
    const rules = await (await fetch(`${url}/api/v1/rules`)).json();
    await api(url, '/api/v1/members', { nickname: '测速会员', consentVersion: rules.data.privacy.consentVersion }, auth.token);
  }
  const session = {
    token: auth.token,
    expiresAt: auth.expiresAt,
    registered: true,
    codeSecret: auth.codeSecret,
    codeRef: auth.codeRef,
    periodSeconds: auth.codePeriodSeconds,
  };
  return [
    { name: 'mc.session', value: JSON.stringify({ data: session }) },
    { name: 'mc.h5-device', value: JSON.stringify({ data: openid }) },
  ];
}

/** Milliseconds from navigation start until `selector` shows text, in a cold context. */
async function loadOnce(browser, { url, origin, storage, selector, throttled, compressed }) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    storageState: { cookies: [], origins: storage ? [{ origin, localStorage: storage }] : [] },
  });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (!compressed) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
    if (throttled) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: THROTTLE.latency,
        downloadThroughput: THROTTLE.downloadThroughput,
        uploadThroughput: THROTTLE.uploadThroughput,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE.cpu });
    }
    // The baseline is what it says: every script came compressed, or none did.
    const encodings = new Set();
    page.on('response', (res) => {
      if (res.url().endsWith('.js')) encodings.add(res.headers()['content-encoding'] ?? 'identity');
    });
    await page.goto(url, { waitUntil: 'commit' });
    const shown = await page.waitForFunction(
      (sel) => {
        // eslint-disable-next-line no-undef -- runs in the page
        const el = document.querySelector(sel);
        return el && el.textContent.trim() !== '' && el.getBoundingClientRect().height > 0 ? performance.now() : false;
      },
      selector,
      { polling: 'raf', timeout: 60_000 },
    );
    const ms = await shown.jsonValue();
    const expected = compressed ? 'br' : 'identity';
    if ([...encodings].some((e) => e !== expected)) throw new Error(`${url}: scripts came ${[...encodings].join(', ')}, expected ${expected}`);
    return ms;
  } finally {
    await context.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mc-load-'));
  const floorDir = mkdtempSync(path.join(tmpdir(), 'mc-floor-'));
  writeFileSync(
    path.join(floorDir, 'index.html'),
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>会员中心</title></head><body><div data-testid="points-balance">1,280</div></body></html>',
  );
  const bff = await startBff(H5, dataDir);
  const floorData = mkdtempSync(path.join(tmpdir(), 'mc-load-'));
  const floor = await startBff(floorDir, floorData);
  const browser = await chromium.launch({
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
  try {
    const storage = await memberStorage(bff.url);
    const subjects = [
      { name: 'member centre (brotli/gzip)', url: `${bff.url}/#/pages/index/index`, origin: bff.url, storage, compressed: true, target: true },
      { name: 'same, uncompressed', url: `${bff.url}/#/pages/index/index`, origin: bff.url, storage, compressed: false },
      { name: 'bare static page (floor)', url: `${floor.url}/`, origin: floor.url, storage: null, compressed: true },
    ];
    console.log(`\nH5 cold load until the member centre shows the balance: median of ${ROUNDS} loads, fresh browser context each`);
    const results = [];
    // Warm-up: the BFF's first answers (compression of files without a precompressed sibling, SQLite pages).
    for (const s of subjects) await loadOnce(browser, { ...s, selector: '[data-testid="points-balance"]', throttled: false });
    for (const s of subjects) {
      const row = { name: s.name, target: s.target };
      for (const throttled of [true, false]) {
        const times = [];
        for (let r = 0; r < ROUNDS; r++) times.push(await loadOnce(browser, { ...s, selector: '[data-testid="points-balance"]', throttled }));
        row[throttled ? 'throttled' : 'unthrottled'] = median(times);
      }
      results.push(row);
    }
    const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
    const verdict = (ms, target) => `${ms <= target ? '✓' : '✗'} target < ${sec(target)}`;
    console.log(`\n${''.padEnd(30)} ${'throttled (1.6 Mbps, 150 ms RTT, 4× CPU)'.padEnd(42)} unthrottled`);
    for (const r of results) {
      const t = `${sec(r.throttled).padStart(7)}  ${r.target ? verdict(r.throttled, TARGETS.throttled) : ''}`;
      const u = `${sec(r.unthrottled).padStart(7)}  ${r.target ? verdict(r.unthrottled, TARGETS.unthrottled) : ''}`;
      console.log(`${r.name.padEnd(30)} ${t.padEnd(42)} ${u}`);
    }
  } finally {
    await browser.close();
    await bff.stop();
    await floor.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(floorDir, { recursive: true, force: true });
    rmSync(floorData, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

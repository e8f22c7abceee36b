import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { scenes } from '@member/bff/testing';
import { launchChromium, startBff, storedSession, withServices, type RunningBff, snap } from './support';

let bff: RunningBff;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  bff = await startBff();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  // beforeAll may have failed before starting it.
  await (bff as RunningBff | undefined)?.stop();
});

const testId = (id: string) => page.locator(`[data-testid="${id}"]`).first();

async function api<T>(p: string): Promise<T> {
  const { token } = await storedSession(page);
  const res = await fetch(`${bff.url}${p}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: T }).data;
}

/** Credits points and growth the way a counter order will, through the BFF's own services. */
async function earn(memberId: string, yuan: number): Promise<void> {
  await withServices(bff, (services) => scenes.earn(services, memberId, yuan, `e2e:${yuan}`));
}

describe('member on the H5 mini-program', () => {
  it('consents, registers and sees the member card with the progress bar', async () => {
    await page.goto(`${bff.url}/#/pages/index/index`);
    await testId('consent').waitFor();
    expect(await testId('consent').innerText()).toContain('隐私保护指引');
    // Nothing can be submitted before consenting.
    expect(await testId('register-submit').getAttribute('class')).toContain('nut-button-disabled');
    // The disabled button says why.
    expect(await testId('submit-why').innerText()).toBe('请先勾选同意《会员隐私保护指引》');
    // The notice opens from its link, without ticking the box.
    await testId('open-privacy-notice').click();
    await testId('privacy-notice').waitFor();
    expect(await testId('privacy-notice').innerText()).toContain('您的权利');
    await snap(page, 'privacy-notice');
    await testId('privacy-notice-close').click();
    expect(await page.locator('[data-testid="privacy-notice"]').count()).toBe(0);
    expect(await testId('submit-why').innerText()).toBe('请先勾选同意《会员隐私保护指引》');
    await testId('consent-check').click();
    expect(await testId('submit-why').innerText()).toBe('请填写昵称');
    await page.locator('.nickname-input input').fill('测试会员');
    await page.locator('.phone-input input').fill('1390000');
    expect(await testId('submit-why').innerText()).toBe('请输入 11 位手机号');
    await page.locator('.phone-input input').fill('13900001234');
    expect(await testId('register-submit').getAttribute('class')).not.toContain('nut-button-disabled');
    expect(await page.locator('[data-testid="submit-why"]').count()).toBe(0);
    await testId('register-submit').click();

    await testId('member-card').waitFor({ timeout: 15_000 });
    expect(await testId('nickname').innerText()).toBe('测试会员');
    expect(await testId('tier-name').innerText()).toBe('普通会员');
    expect(await testId('points-balance').innerText()).toBe('0');
    expect(await testId('growth-hint').innerText()).toBe('差 1,000 成长值升级银卡会员');
    expect(await page.locator('[data-testid="keep-hint"]').count()).toBe(0); // 普通会员 has nothing to keep
    await snap(page, 'member-card-new');
  });

  it('shows new points, tier and progress after the member earns', async () => {
    const me = await api<{ id: string }>('/api/v1/me');
    await earn(me.id, 1280);
    await page.reload();
    await testId('member-card').waitFor();
    expect(await testId('points-balance').innerText()).toBe('1,280');
    expect(await testId('tier-name').innerText()).toBe('银卡会员');
    expect(await testId('growth-hint').innerText()).toBe('差 3,720 成长值升级金卡会员');
    expect(await testId('spend-hint').innerText()).toBe('再消费 ¥3,720.00 即可升级金卡会员');
    // 保级: growth earned today still counts at the next quarterly review.
    expect(await testId('keep-hint').innerText()).toMatch(/^已满足保级条件（\d{4}年\d{1,2}月1日评定）$/);
    expect(await testId('projection').innerText()).toMatch(/一年可得约 5,191 积分/);
    await snap(page, 'member-card');
  });

  it('keeps 会员码 on one line beside a nickname of the full 20 characters', async () => {
    const { token } = await storedSession(page);
    const res = await fetch(`${bff.url}/api/v1/me`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ nickname: '一二三四五六七八九十一二三四五六七八九十' }),
    });
    expect(res.status).toBe(200);
    await page.reload();
    await testId('member-card').waitFor();
    // It wrapped to 会员 / 码 before.
    const lines = await testId('open-code').evaluate((e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      return new Set(Array.from(r.getClientRects(), (rect: DOMRect) => Math.round(rect.top))).size;
    });
    expect(await testId('open-code').innerText()).toBe('会员码');
    expect(lines).toBe(1);
    const back = await fetch(`${bff.url}/api/v1/me`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ nickname: '测试会员' }),
    });
    expect(back.status).toBe(200);
  });

  it('shows the dynamic code (QR, barcode, digits) that matches the server and changes every 30 s, offline too', async () => {
    await testId('open-code').click();
    await testId('code-digits').waitFor();
    expect(await testId('qrcode').locator('img').first().getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await testId('barcode').locator('img').first().getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    const shown = async () => (await testId('code-digits').getAttribute('data-code')) ?? '';
    const first = await shown();
    expect(first).toMatch(/^\d{18}$/);
    expect(await testId('code-digits').innerText()).toBe(first.replace(/(\d{4})(?=\d)/g, '$1 '));
    const server = await api<{ code: string }>('/api/v1/me/code');
    expect([first, await shown()]).toContain(server.code); // allow for a window turning in between
    await snap(page, 'member-code');

    await context.setOffline(true);
    await page.waitForFunction((old) => document.querySelector('[data-testid="code-digits"]')?.getAttribute('data-code') !== old, first, {
      timeout: 35_000,
      polling: 500,
    });
    const next = await shown();
    expect(next).not.toBe(first);
    expect(next.slice(0, 10)).toBe(first.slice(0, 10));
    await context.setOffline(false);
    const again = await api<{ code: string }>('/api/v1/me/code');
    expect([next, await shown()]).toContain(again.code);
  });

  it('lists the points history', async () => {
    await page.goto(`${bff.url}/#/pages/points/index`);
    await testId('ledger').waitFor();
    const rows = page.locator('[data-testid="ledger-row"]');
    expect(await rows.count()).toBe(1);
    const text = await rows.first().innerText();
    expect(text).toContain('到店消费');
    expect(text).toContain('+1,280');
    expect(text).toContain('余额 1,280');
    await snap(page, 'points-history');
  });
});

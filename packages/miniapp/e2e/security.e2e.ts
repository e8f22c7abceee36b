import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, phonePage, startBff, type RunningBff, snap } from './support';

/**
 * The pages the BFF serves work under their Content Security Policy: the H5 app (its inline
 * font-size script, bundles, styles, QR codes drawn as data URLs, API calls) and /docs, with no
 * violation reported; and a nickname counts characters as the server does.
 */
let bff: RunningBff;
let browser: Browser | undefined;
let page: Page;
const violations: string[] = [];

beforeAll(async () => {
  bff = await startBff();
  browser = await launchChromium();
  page = await phonePage(browser);
  await page.exposeFunction('reportCspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { reportCspViolation: (v: string) => Promise<void> }).reportCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await (bff as RunningBff | undefined)?.stop();
});

const testId = (id: string) => page.locator(`[data-testid="${id}"]`).first();

describe('pages under their Content Security Policy', () => {
  it('the H5 app registers a member with a 20-emoji nickname and shows the QR code, with no violation', async () => {
    const res = await page.goto(`${bff.url}/#/pages/index/index`);
    expect(res?.headers()['x-frame-options']).toBe('DENY');
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
    // The inline script that sizes the root font ran (it is allowed by its hash).
    expect(await page.evaluate(() => document.documentElement.style.fontSize)).toMatch(/px$/);

    await testId('consent-check').click();
    const nickname = page.locator('.nickname-input input');
    await nickname.fill('字'.repeat(21));
    expect(await testId('nickname-count').innerText()).toBe('21/20');
    expect(await testId('register-submit').getAttribute('class')).toContain('nut-button-disabled');
    // Twenty emoji are twenty characters on the phone as on the server; invisible ones do not count.
    await nickname.fill(`\u200b${'😀'.repeat(20)}\u202e`);
    expect(await testId('nickname-count').innerText()).toBe('20/20');
    await testId('register-submit').click();
    await testId('member-card').waitFor({ timeout: 15_000 });
    expect(await testId('nickname').innerText()).toBe('😀'.repeat(20));

    await testId('open-code').click();
    await testId('code-digits').waitFor();
    // The QR code is a data: image: it is drawn, not blocked.
    const qr = testId('qrcode').locator('img').first();
    await qr.waitFor();
    await page.waitForFunction((img) => (img as HTMLImageElement).complete, await qr.elementHandle());
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth > 0)).toBe(true);
    await snap(page, 'csp-code');
    expect(violations).toEqual([]);
  });

  it('/docs lists the operations under its hash-only policy, with no violation', async () => {
    const res = await page.goto(`${bff.url}/docs`);
    expect(res?.headers()['x-frame-options']).toBe('DENY');
    await page.locator('details').first().waitFor();
    expect(await page.locator('details').count()).toBeGreaterThan(30);
    expect(violations).toEqual([]);
  });
});

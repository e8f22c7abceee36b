import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { scenes } from '@member/bff/testing';
import { registerOnPhone, staffSignIn, storedSession, type RunningBff, closeStage, on, openStage, type Stage, snap } from './support';

let stage: Stage | undefined;
let bff: RunningBff;
let phone: Page;
let till: Page;

beforeAll(async () => {
  stage = await openStage((s) => scenes.staff(s, { store: '南京西路店', username: 'cashier-coupon', password: 'till-password-3', role: 'cashier' }));
  ({ bff, phone, till } = stage);
});

afterAll(() => closeStage(stage));

describe('coupon detail and 去使用', () => {
  it('the wallet lists the coupon that ends first on top, and a coupon opens its full terms', async () => {
    await registerOnPhone(phone, bff, '用券会员');
    const { token } = await storedSession(phone);
    const api = (await (await fetch(`${bff.url}/api/v1/me/coupons`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      data: { title: string; validTo: string }[];
    };
    const byEnd = [...api.data].sort((a, b) => a.validTo.localeCompare(b.validTo)).map((c) => c.title);

    await phone.goto(`${bff.url}/#/pages/coupons/index`);
    await on(phone, 'coupon-list').waitFor();
    const cards = await phone.locator('[data-testid="coupon-card"]').allInnerTexts();
    expect(cards.map((text) => byEnd.find((title) => text.includes(title)))).toEqual(byEnd);

    await phone.locator('[data-testid="coupon-card"]', { hasText: '首单满100减30' }).click();
    await on(phone, 'coupon-detail').waitFor();
    expect(await on(phone, 'coupon-terms').innerText()).toBe('满¥100.00减¥30.00');
    expect(await on(phone, 'coupon-stores').innerText()).toBe('全部门店通用');
    expect(await on(phone, 'coupon-validity').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} 至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(await on(phone, 'coupon-detail').innerText()).toContain('每笔订单限用一张优惠券');
    await phone.waitForTimeout(400); // the page slide finishes
    // The navigation bar shows the whole title, not 优惠券….
    const title = phone.locator('.taro-navigation-bar-title').first();
    expect(await title.innerText()).toBe('优惠券详情');
    expect(await title.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await snap(phone, 'coupon-detail');
  });

  it('去使用 opens the member code with the coupon shown to the cashier, who picks it at the till', async () => {
    await on(phone, 'use-coupon').click();
    await on(phone, 'chosen-coupon').waitFor();
    expect(await on(phone, 'chosen-coupon').innerText()).toContain('本单使用：首单满100减30');
    await on(phone, 'code-digits').waitFor();
    // Let the page transition finish before the screenshot.
    await phone.waitForFunction(() => !document.querySelector('[data-testid="coupon-detail"]')?.checkVisibility());
    await snap(phone, 'code-with-coupon');

    const code = (await on(phone, 'code-digits').getAttribute('data-code'))!;
    await staffSignIn(till, bff, 'cashier-coupon', 'till-password-3');
    await on(till, 'lookup').waitFor();
    await till.locator('.code-input input').fill(code);
    await on(till, 'lookup').click();
    await on(till, 'counter-member').waitFor();
    for (const k of ['1', '2', '0']) await on(till, `key-${k}`).click();
    await till.locator('[data-testid="coupon-option"]', { hasText: '首单满100减30' }).click();
    await till.waitForFunction(() => document.querySelector('[data-testid="quote-due"]')?.textContent === '¥90.00');
    await till.locator('.receipt-input input').fill('POS-C-0001');
    await on(till, 'confirm-order').click();
    await on(till, 'receipt').waitFor();
    expect(await on(till, 'receipt-coupon').innerText()).toBe('首单满100减30 -¥30.00');

    // Once an order used it, the code page no longer shows it.
    await phone.reload();
    await on(phone, 'latest-order').waitFor();
    expect(await phone.locator('[data-testid="chosen-coupon"]').count()).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { scenes } from '@member/bff/testing';
import { registerOnPhone, staffSignIn, storedSession, storeTime, withServices, type RunningBff, closeStage, on, openStage, type Stage, snap } from './support';

let stage: Stage | undefined;
let bff: RunningBff;
let phone: Page;
let till: Page;

beforeAll(async () => {
  stage = await openStage(async (s) => {
    const admin = await scenes.staff(s, { store: '徐家汇店', username: 'admin-e2e', password: 'admin-password-1', role: 'admin' });
    await scenes.staff(s, { store: '徐家汇店', username: 'manager-e2e', password: 'manager-password-1', role: 'manager' });
    const tpl = await s.admin.createTemplate(admin.id, { code: 'e2e-cash-15', kind: 'cash', title: '¥15 无门槛券', valueCents: 1500, validity: { days: 2 } });
    await s.admin.createItem(admin.id, {
      kind: 'coupon',
      title: '¥15 无门槛券',
      description: '兑换后立即到账',
      imageUrl: '/assets/mall/coupon.svg',
      pointsCost: 1500,
      stock: 20,
      couponTemplateCode: tpl.code,
    });
    await s.admin.createItem(admin.id, {
      kind: 'physical',
      title: '会员帆布托特包',
      description: '到店领取',
      imageUrl: '/assets/mall/tote.svg',
      pointsCost: 2500,
      stock: 5,
    });
    await s.admin.createItem(admin.id, {
      kind: 'service',
      title: '金卡专享体验课',
      description: '',
      imageUrl: '/assets/mall/class.svg',
      pointsCost: 100,
      stock: 5,
      minTier: 'gold',
    });
    await s.admin.createItem(admin.id, {
      kind: 'physical',
      title: '限量徽章',
      description: '每人一枚',
      imageUrl: '/assets/mall/tote.svg',
      pointsCost: 10,
      stock: 5,
      perMemberLimit: 1,
    });
    await s.admin.createItem(admin.id, {
      kind: 'physical',
      title: '已售罄马克杯',
      description: '',
      imageUrl: '/assets/mall/tote.svg',
      pointsCost: 10,
      stock: 0,
    });
  });
  ({ bff, phone, till } = stage);
});

afterAll(() => closeStage(stage));

describe('points mall and coupon wallet on the H5 mini-program', () => {
  it('a member with points opens the mall and sees items, stock and tier locks', async () => {
    const memberId = await registerOnPhone(phone, bff, '商城测试');
    await withServices(bff, (s) => scenes.givePoints(s, memberId, 5000, 'e2e:mall-points'));

    await phone.goto(`${bff.url}/#/pages/mall/index`);
    await on(phone, 'mall-item').waitFor();
    expect(await on(phone, 'mall-balance').innerText()).toBe('5,000');
    const tiles = phone.locator('[data-testid="mall-item"]');
    expect(await tiles.count()).toBe(5);
    // Sold-out items are greyed in the grid.
    expect(await tiles.filter({ hasText: '已售罄马克杯' }).getAttribute('class')).toContain('sold-out');
    expect(await tiles.filter({ hasText: '会员帆布托特包' }).getAttribute('class')).not.toContain('sold-out');
    expect(await tiles.filter({ hasText: '金卡专享体验课' }).innerText()).toContain('金卡会员专享');
    await phone.waitForFunction(() =>
      Array.from(document.querySelectorAll('[data-testid="mall-item"] img')).every(
        (i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0,
      ),
    );
    await snap(phone, 'mall');
  });

  it('an item above the member’s tier, and one at its per-member limit, are refused before any confirmation sheet', async () => {
    await phone.locator('[data-testid="mall-item"]', { hasText: '金卡专享体验课' }).click();
    await phone.waitForFunction(() => document.querySelector('.item-page [data-testid="item-title"]')?.textContent === '金卡专享体验课');
    const redeemButton = phone.locator('.item-page [data-testid="redeem"]').last();
    expect(await redeemButton.innerText()).toBe('金卡会员及以上可兑换');
    expect(await redeemButton.getAttribute('class')).toContain('nut-button-disabled');
    await snap(phone, 'mall-tier-locked');

    const freshMall = async () => {
      // A reload drops the pages the H5 router keeps behind the current one.
      await phone.goto(`${bff.url}/#/pages/mall/index`);
      await phone.reload();
      await on(phone, 'mall-item').waitFor();
    };
    await freshMall();
    await phone.locator('[data-testid="mall-item"]', { hasText: '限量徽章' }).click();
    await phone.waitForFunction(() => document.querySelector('.item-page [data-testid="item-title"]')?.textContent === '限量徽章');
    await phone.locator('.item-page [data-testid="redeem"]').last().click();
    await on(phone, 'redeem-confirm-button').click();
    await on(phone, 'pickup-code').waitFor();
    await freshMall();
    await phone.locator('[data-testid="mall-item"]', { hasText: '限量徽章' }).click();
    await phone.waitForFunction(() => document.querySelector('.item-page [data-testid="item-title"]')?.textContent === '限量徽章');
    const again = phone.locator('.item-page [data-testid="redeem"]').last();
    await phone.waitForFunction(() =>
      Array.from(document.querySelectorAll('.item-page [data-testid="redeem"]')).some((b) => b.textContent === '每人限兑 1 件，你已兑换 1 件'),
    );
    expect(await again.innerText()).toBe('每人限兑 1 件，你已兑换 1 件');
    expect(await again.getAttribute('class')).toContain('nut-button-disabled');
    await freshMall();
  });

  it('redeems a coupon item and finds the coupon in the wallet', async () => {
    await phone.locator('[data-testid="mall-item"]', { hasText: '¥15 无门槛券' }).click();
    await on(phone, 'redeem').waitFor();
    await on(phone, 'redeem').click();
    expect(await on(phone, 'balance-after').innerText()).toBe('3,490');
    await on(phone, 'redeem-confirm-button').click();
    await on(phone, 'redeem-result').waitFor();
    await on(phone, 'go-wallet').click();
    await on(phone, 'coupon-list').waitFor();
    // Let the page transition finish: only the wallet page is on screen afterwards.
    await phone.waitForFunction(() => !document.querySelector('[data-testid="redeem-result"]')?.checkVisibility());
    const cards = await phone.locator('[data-testid="coupon-card"]').allInnerTexts();
    const mallCoupon = cards.find((c) => c.includes('¥15 无门槛券'));
    expect(mallCoupon).toBeDefined();
    expect(mallCoupon).toContain('即将过期'); // valid for 2 days; the wallet warns within 3
    expect(cards.some((c) => c.includes('新人无门槛券'))).toBe(true);
    await snap(phone, 'wallet');
  });

  it('redeems a physical item, sees its pickup code, and a manager hands it over', async () => {
    await phone.goto(`${bff.url}/#/pages/mall/index`);
    await phone.locator('[data-testid="mall-item"]', { hasText: '会员帆布托特包' }).click();
    await on(phone, 'redeem').click();
    expect(await on(phone, 'balance-after').innerText()).toBe('990');
    await on(phone, 'redeem-confirm-button').click();
    await on(phone, 'pickup-code').waitFor();
    const pickupCode = await on(phone, 'pickup-code').innerText();
    expect(pickupCode).toMatch(/^\d{10}$/);
    expect(await on(phone, 'qr').locator('img').first().getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    await snap(phone, 'pickup-code');

    await staffSignIn(till, bff, 'manager-e2e', 'manager-password-1');
    await on(till, 'open-pickup').click();
    // Enter in the code field looks the pickup up, like the button.
    await till.locator('.pickup-input input').fill(pickupCode);
    await till.locator('.pickup-input input').press('Enter');
    await on(till, 'pickup').waitFor();
    expect(await on(till, 'pickup').innerText()).toContain('商城测试');
    await on(till, 'fulfil').click();
    await till.waitForFunction(() => document.querySelector('[data-testid="pickup-status"]')?.textContent === '已领取');

    await phone.goto(`${bff.url}/#/subpackages/mall/redemptions/index`);
    await on(phone, 'redemption').waitFor();
    expect(await phone.locator('[data-testid="redemption-status"]').allInnerTexts()).toEqual(['已领取', '已发放到券包', '待领取']);
    // Each says when, by the store's clock (the phone is on New York time).
    const { token } = await storedSession(phone);
    const mine = (await (await fetch(`${bff.url}/api/v1/me/redemptions`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      data: { createdAt: string }[];
    };
    expect(await on(phone, 'redemption').first().innerText()).toContain(storeTime(mine.data[0].createdAt));
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, registerOnPhone, type RunningBff, closeStage, on, openStage, type Stage } from './support';

// What the H5 build looks like around the pages: a navigation bar with a back button on every
// sub-page, a favicon, and empty states that lead somewhere real.
let stage: Stage | undefined;
let bff: RunningBff;
let phone: Page;

beforeAll(async () => {
  stage = await openStage();
  ({ bff, phone } = stage);
});

afterAll(() => closeStage(stage));

const bar = () => phone.locator('#taro-navigation-bar');
const visible = (p: Page, selector: string) => p.evaluate((s) => document.querySelector(s)?.checkVisibility() ?? false, selector);

describe('the H5 shell', () => {
  it('has a favicon, and a navigation bar whose back button leaves a sub-page', async () => {
    await registerOnPhone(phone, bff, '外壳测试');
    expect(await phone.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^data:image\/svg\+xml,/);
    expect(await bar().getAttribute('class')).toContain('taro-navigation-bar-show');

    await phone.goto(`${bff.url}/#/pages/index/index`);
    await on(phone, 'member-card').waitFor();
    await phone.locator('.menu-row', { hasText: '积分明细' }).click();
    await phone.waitForFunction(() => document.querySelector('.taro-navigation-bar-title')?.textContent === '积分明细');
    expect(await visible(phone, '#taro-navigation-bar .taro-navigation-bar-back')).toBe(true);
    await phone.waitForFunction(() => document.querySelector('[data-testid="empty"]')?.checkVisibility() ?? false);
    await phone.waitForTimeout(400); // the page slide finishes
    await phone.screenshot({ path: path.join(ARTIFACTS, 'h5-navigation-bar.png') });
    await phone.locator('#taro-navigation-bar .taro-navigation-bar-back').click();
    await phone.waitForFunction(() => location.hash.startsWith('#/pages/index/index'));
  });

  it('empty states carry an action to a page that exists', async () => {
    await phone.goto(`${bff.url}/#/pages/points/index`);
    await on(phone, 'empty').waitFor();
    expect(await on(phone, 'empty').innerText()).toContain('还没有积分记录');
    expect(await on(phone, 'empty-action').innerText()).toBe('去签到');
    await phone.screenshot({ path: path.join(ARTIFACTS, 'points-empty.png') });
    await on(phone, 'empty-action').click();
    await phone.waitForFunction(() => location.hash.startsWith('#/subpackages/engage/checkin/index'));

    await phone.goto(`${bff.url}/#/subpackages/mall/redemptions/index`);
    await phone.reload();
    await on(phone, 'empty-action').waitFor();
    expect(await on(phone, 'empty-action').innerText()).toBe('去积分商城');
    await on(phone, 'empty-action').click();
    await phone.waitForFunction(() => location.hash.startsWith('#/pages/mall/index'));
  });
});

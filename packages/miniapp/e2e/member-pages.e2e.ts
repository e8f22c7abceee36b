import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { scenes } from '@member/bff/testing';
import { ARTIFACTS, closeStage, on, openStage, storedSession, withServices, type RunningBff, type Stage, snap } from './support';

let stage: Stage | undefined;
let bff: RunningBff;
let phone: Page;
let memberId: string;

beforeAll(async () => {
  stage = await openStage();
  ({ bff, phone } = stage);
  // Registers as registerOnPhone does, with a phone number, to see it masked on the Me page.
  await phone.goto(`${bff.url}/#/pages/index/index`);
  await on(phone, 'consent-check').click();
  await phone.locator('.nickname-input input').fill('权益测试');
  await phone.locator('.phone-input input').fill('13812341234');
  await on(phone, 'register-submit').click();
  await on(phone, 'member-card').waitFor();
  memberId = (await asMember<{ id: string }>('/api/v1/me')).id;
});

afterAll(() => closeStage(stage));

/** The BFF as the member's phone calls it, with the session the H5 app keeps. */
async function asMember<T>(pathname: string, init: RequestInit = {}): Promise<T> {
  const { token } = await storedSession(phone);
  const res = await fetch(`${bff.url}${pathname}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: T }).data;
}

/** A fresh member centre (one page in the document, so test ids are not found on a hidden page). */
async function openCenter(): Promise<void> {
  await phone.goto(`${bff.url}/#/pages/index/index`);
  await phone.reload();
  await on(phone, 'member-card').waitFor();
}

describe('tier benefits (会员权益)', () => {
  it('opens from the perk chips and the card, shows every tier side by side with the member at silver', async () => {
    await withServices(bff, (s) => scenes.earn(s, memberId, 1200, 'e2e:benefits'));
    await phone.reload();
    await on(phone, 'member-card').waitFor();
    expect(await on(phone, 'tier-name').innerText()).toBe('银卡会员');

    // The perk chips were dead taps: each opens the benefits page.
    await on(phone, 'perk').click();
    await on(phone, 'tier-table').waitFor();
    expect(phone.url()).toContain('/subpackages/profile/benefits/index');
    const table = await on(phone, 'tier-table').innerText();
    for (const text of [
      '普通',
      '银卡',
      '金卡',
      '钻石',
      '1,000',
      '5,000',
      '20,000',
      '9.5折',
      '9折',
      '8.5折',
      '每月18日',
      '×2',
      '专属顾问',
      '¥20升级券',
      '含金卡礼遇',
    ]) {
      expect(table).toContain(text);
    }
    // Each member-day cell keeps 每月18日 on one line and ×2 whole under it (it wrapped as "每月18日 ×" / "2").
    const lines = await phone.$$eval('[data-testid="member-day-cell"] .member-day-when, [data-testid="member-day-cell"] .member-day-x', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { text: e.textContent, oneLine: r.height < parseFloat(getComputedStyle(e).fontSize) * 2 };
      }),
    );
    expect(lines.length).toBe(8);
    expect(lines.every((l) => l.oneLine)).toBe(true);
    expect(await on(phone, 'tier-silver').innerText()).toContain('当前等级');
    expect(await on(phone, 'tier-gold').innerText()).toContain('下一等级');
    expect(await on(phone, 'my-position').innerText()).toContain('再获得 3,800 成长值升级金卡会员');
    // 保级: the member's figure from the card (all 1,200 was earned today, so it still counts at the next review) and the rule from /rules.
    expect(await on(phone, 'keep-figure').innerText()).toMatch(/^已满足保级条件（\d{4}年\d{1,2}月1日评定）$/);
    expect(await on(phone, 'keep-tier').innerText()).toContain('近 365 天获得的成长值不低于 1,000，即可保持银卡会员');
    expect(await on(phone, 'next-tier').innerText()).toContain('专属顾问');
    expect(await on(phone, 'member-day-rules').innerText()).toContain('每月 18 日为会员日');
    expect(await on(phone, 'member-day-rules').innerText()).toContain('按最高倍数计算，不叠加');
    expect(await on(phone, 'birthday-rules').innerText()).toContain('生日满200减50');
    await snap(phone, 'tier-benefits');

    // The member day banner follows the server's business day: shown on the 17th and 18th only.
    const me = await asMember<{ today: string }>('/api/v1/me');
    await openCenter();
    const day = Number(me.today.slice(8, 10));
    expect(await phone.locator('[data-testid="member-day-banner"]').count()).toBe(day === 17 || day === 18 ? 1 : 0);

    // The tier line on the card opens the same page.
    await on(phone, 'open-benefits-card').click();
    await on(phone, 'tier-table').waitFor();
    expect(phone.url()).toContain('/subpackages/profile/benefits/index');
    await openCenter();
  });
});

describe('the Me page (我的) and the privacy centre', () => {
  it('shows the birthday gift on the card in the birthday month: when it arrives, then the coupon in the wallet', async () => {
    const { today } = await asMember<{ today: string }>('/api/v1/me');
    await asMember('/api/v1/me', { method: 'PATCH', body: JSON.stringify({ birthday: `1990-${today.slice(5, 7)}-01` }) });
    await phone.reload();
    await on(phone, 'birthday-gift').waitFor();
    expect(await on(phone, 'birthday-gift').innerText()).toContain('本月将发放生日满200减50');
    // Issued by the real job (the card finds the gift by why it was issued, not by its title).
    await withServices(bff, (s) => scenes.birthdayCoupons(s));
    await phone.reload();
    await on(phone, 'birthday-gift').waitFor();
    expect(await on(phone, 'birthday-gift').innerText()).toContain('已在券包');
    await snap(phone, 'member-center-birthday');
  });

  it('opens from the card, edits the nickname (counted in characters), shows the phone masked and the birthday locked', async () => {
    expect(await phone.locator('.staff-entry, [data-testid="staff-entry"]').count()).toBe(0); // no staff login on the member's card page
    await on(phone, 'open-me').click();
    await on(phone, 'profile').waitFor();
    expect(await on(phone, 'profile-phone').innerText()).toBe('138****1234');
    expect(await on(phone, 'profile').innerText()).not.toContain('13812341234');
    // The birthday was just set: it cannot change again for a year, and the page says until when.
    expect(await on(phone, 'profile').innerText()).toContain('起可再次修改');
    expect(await on(phone, 'staff-entry').innerText()).toBe('门店员工入口');
    // A browser cannot receive WeChat subscribe messages: the setting says where they are, and its button does nothing.
    const notifications = await on(phone, 'notifications-unavailable').innerText();
    expect(notifications).toContain('请在微信小程序中开启');
    expect(await on(phone, 'subscribe-button').getAttribute('class')).toContain('nut-button-disabled');

    await on(phone, 'edit-nickname').click();
    const input = phone.locator('[data-testid="nickname-input"] input, input[data-testid="nickname-input"], .profile-input input').first();
    await input.fill('😀'.repeat(21));
    expect(await on(phone, 'nickname-count').innerText()).toBe('21/20');
    expect(await on(phone, 'save-nickname').getAttribute('class')).toContain('nut-button-disabled');
    await input.fill('新昵称😀');
    expect(await on(phone, 'nickname-count').innerText()).toBe('4/20');
    await on(phone, 'save-nickname').click();
    await phone.waitForFunction(() => document.querySelector('[data-testid="profile-nickname"]')?.textContent === '新昵称😀');
    expect((await asMember<{ nickname: string }>('/api/v1/me')).nickname).toBe('新昵称😀');

    await on(phone, 'open-notice').click();
    expect(await on(phone, 'privacy-notice').innerText()).toContain('随时在此导出或删除个人数据');
    await snap(phone, 'me');
  });

  it('exports the personal data as a JSON file with a summary', async () => {
    const download = phone.waitForEvent('download');
    await on(phone, 'export-data').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^会员数据-\d{4}-\d{2}-\d{2}\.json$/);
    const saved = path.join(ARTIFACTS, 'export.json');
    await file.saveAs(saved);
    const data = JSON.parse(readFileSync(saved, 'utf8')) as { member: { id: string; nickname: string }; pointsLedger: unknown[]; coupons: unknown[] };
    expect(data.coupons).toHaveLength(4);
    expect(data.member).toMatchObject({ id: memberId, nickname: '新昵称😀' });
    expect(data.pointsLedger.length).toBeGreaterThan(0);
    const summary = await on(phone, 'export-summary').innerText();
    expect(summary).toContain(`积分记录 ${data.pointsLedger.length} 条`);
    expect(summary).toContain('资料：昵称、生日、手机号');
    expect(summary).toContain('优惠券 4 张'); // welcome, first order, the silver upgrade gift, the birthday gift
    await phone.waitForTimeout(2000); // the toast fades
    await snap(phone, 'privacy-centre');
  });

  it('erases only after a confirmation that says what is erased and what is kept', async () => {
    const { token } = await storedSession(phone);
    await on(phone, 'erase-start').click();
    const confirm = await on(phone, 'erase-confirm').innerText();
    expect(confirm).toContain('将删除：昵称、生日、手机号、微信身份');
    expect(confirm).toContain('将保留');
    // In the member's own figures, from the card.
    const card = (await (await fetch(`${bff.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      data: { points: { balance: number }; coupons: { available: number } };
    };
    expect(await on(phone, 'erase-losses').innerText()).toContain(
      `${card.data.points.balance.toLocaleString('en-US')} 积分、${card.data.coupons.available} 张未使用的优惠券`,
    );
    await snap(phone, 'privacy-erase-confirm');
    // Still there until confirmed.
    expect((await fetch(`${bff.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);

    await on(phone, 'erase-confirm-button').click();
    await phone.getByText('个人数据已删除').waitFor();
    // The card is gone: the phone is back at registration, and the old session no longer works.
    await on(phone, 'consent').waitFor();
    expect((await fetch(`${bff.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } })).status).not.toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { scenes } from '@member/bff/testing';
import { registerOnPhone, storedSession, type RunningBff, closeStage, on, openStage, type Stage, snap } from './support';

let stage: Stage | undefined;
let bff: RunningBff;
let phone: Page; // the member's phone

const CASHIER = { username: 'cashier-engage', password: 'till-password-2' };

beforeAll(async () => {
  stage = await openStage((s) => scenes.staff(s, { store: '徐家汇店', ...CASHIER, role: 'cashier' }));
  ({ bff, phone } = stage);
});

afterAll(() => closeStage(stage));

/** The BFF as the member's phone calls it, with the session the H5 app keeps. */
async function asMember<T>(pathname: string): Promise<T> {
  const { token } = await storedSession(phone);
  const res = await fetch(`${bff.url}${pathname}`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await res.json()) as { data: T }).data;
}

describe('daily check-in and reviews, on the phone', () => {
  it('the member checks in: the calendar marks today, the streak and the card change', async () => {
    await registerOnPhone(phone, bff, '签到测试');
    expect(await on(phone, 'checkin-state').innerText()).toBe('今天还没签到');
    expect(await on(phone, 'checkin-entry').innerText()).toContain('签到 +5');
    expect(await on(phone, 'points-balance').innerText()).toBe('0');

    await on(phone, 'checkin-entry').click();
    await on(phone, 'checkin-calendar').waitFor();
    const { today } = await asMember<{ today: string }>('/api/v1/me/checkins');
    expect(await on(phone, `day-${today}`).getAttribute('data-checked')).toBe('false');
    expect(await on(phone, 'checkin-streak').innerText()).toBe('0');
    expect(await on(phone, 'checkin-reward').innerText()).toBe('今天签到可得 5 积分 + 2 成长值');
    expect(await on(phone, 'checkin-bonus-ahead').innerText()).toBe('再签到 7 天，可得连签第 7 天奖励 20 积分');
    expect(await on(phone, 'checkin-rules').innerText()).toContain('每天最多 300 积分、20 成长值');

    await on(phone, 'checkin-button').click();
    await on(phone, 'checkin-result').waitFor();
    expect(await on(phone, 'checkin-result').innerText()).toContain('+5 积分 +2 成长值');
    await phone.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-checked') === 'true', `day-${today}`);
    expect(await on(phone, 'checkin-streak').innerText()).toBe('1');
    expect(await on(phone, 'checkin-button').innerText()).toBe('今日已签到');
    expect(await on(phone, 'checkin-reward').innerText()).toBe('明天签到可得 5 积分 + 2 成长值');
    await snap(phone, 'checkin');

    await phone.goBack();
    await phone.reload();
    await on(phone, 'member-card').waitFor();
    expect(await on(phone, 'checkin-state').innerText()).toBe('今日已签到 · 已连续 1 天');
    expect(await on(phone, 'points-balance').innerText()).toBe('5');
  });

  it('the member reviews an order: stars, tags, a comment; the order shows the review', async () => {
    // A purchase at the counter (through the API: the till's own pages have their own browser test).
    const code = (await asMember<{ code: string }>('/api/v1/me/code')).code;
    const staff = await fetch(`${bff.url}/api/v1/staff/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(CASHIER),
    });
    const { token } = ((await staff.json()) as { data: { token: string } }).data;
    const order = await fetch(`${bff.url}/api/v1/counter/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ code, amountCents: 8800, receiptNo: 'POS-REVIEW-1' }),
    });
    expect(order.status).toBe(201);

    await phone.goto(`${bff.url}/#/pages/index/index`);
    await on(phone, 'open-orders').click();
    await on(phone, 'order-row').waitFor();
    expect(await on(phone, 'order-row').innerText()).toContain('评价得 15 积分');
    await on(phone, 'review-open').click();
    await on(phone, 'review-sheet').waitFor();
    expect(await on(phone, 'review-submit').innerText()).toBe('请先打分');
    await on(phone, 'star-4').click();
    for (const tag of ['friendly_staff', 'fast_service', 'clean_store', 'good_value']) await on(phone, `tag-${tag}`).click(); // the fourth is refused
    await phone.locator('[data-testid="review-comment"] textarea').fill('  店员很热情，出单很快  ');
    await snap(phone, 'review-sheet');
    await on(phone, 'review-submit').click();

    await on(phone, 'order-review').waitFor();
    const row = await on(phone, 'order-row').innerText();
    expect(row).toContain('★★★★');
    expect(row).toContain('已评价 · +15 积分');
    expect(row).toContain('服务热情');
    expect(row).toContain('出单快');
    expect(row).toContain('环境整洁');
    expect(row).not.toContain('性价比高');
    expect(row).toContain('店员很热情，出单很快');
    expect(await phone.locator('[data-testid="review-open"]').count()).toBe(0);
    await snap(phone, 'order-reviewed');

    const [o] = await asMember<{ review: { stars: number; answers: string[]; comment: string } }[]>('/api/v1/me/orders');
    expect(o.review).toMatchObject({ stars: 4, answers: ['friendly_staff', 'fast_service', 'clean_store'], comment: '店员很热情，出单很快' });
    expect((await asMember<{ points: { balance: number } }>('/api/v1/me')).points.balance).toBe(5 + 88 + 15);
  });
});

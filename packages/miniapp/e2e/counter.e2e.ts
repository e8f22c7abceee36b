import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { scenes } from '@member/bff/testing';
import { registerOnPhone, staffSignIn, storedSession, storeTime, withServices, type RunningBff, closeStage, on, openStage, type Stage, snap } from './support';

let stage: Stage | undefined;
let bff: RunningBff;
let phone: Page; // the member's phone
let till: Page; // the cashier's device

beforeAll(async () => {
  stage = await openStage((s) => scenes.staff(s, { store: '静安寺店', username: 'cashier-e2e', password: 'till-password-1', role: 'cashier' }));
  ({ bff, phone, till } = stage);
});

afterAll(() => closeStage(stage));

describe('a purchase at the counter, seen from the till and the phone', () => {
  let memberId = '';

  it('the member registers and has points to spend', async () => {
    memberId = await registerOnPhone(phone, bff, '收银测试');
    await withServices(bff, (s) => scenes.givePoints(s, memberId, 1000, 'e2e:starting-points'));
    await phone.reload();
    await on(phone, 'member-card').waitFor();
    expect(await on(phone, 'points-balance').innerText()).toBe('1,000');
    expect(await on(phone, 'coupon-count').innerText()).toBe('2 张');
  });

  it('staff sign in, type the member’s code, quote with a coupon and points, and confirm', async () => {
    await staffSignIn(till, bff, 'cashier-e2e', 'wrong-password');
    expect(await on(till, 'login-error').innerText()).toBe('用户名或密码错误');
    // Enter in the password field signs in, like the button.
    await till.locator('.staff-password input').fill('till-password-1');
    await till.locator('.staff-password input').press('Enter');
    await on(till, 'lookup').waitFor();
    expect(await on(till, 'staff-store').innerText()).toContain('静安寺店');

    // The member opens the code page; the cashier types what it shows.
    await phone.goto(`${bff.url}/#/pages/code/index`);
    await on(phone, 'code-digits').waitFor();
    // The member allows points on this purchase (使用积分抵扣): the code then carries the flag.
    await on(phone, 'use-points').click();
    await phone.waitForFunction(() => document.querySelector('[data-testid="code-digits"]')?.getAttribute('data-code')?.[10] === '1');
    const code = (await on(phone, 'code-digits').getAttribute('data-code'))!;
    // A till's barcode scanner types the digits and then Enter: that looks the member up.
    await till.locator('.code-input input').fill(code);
    await till.locator('.code-input input').press('Enter');
    await on(till, 'counter-member').waitFor();
    expect(await on(till, 'counter-member').innerText()).toContain('收银测试');
    expect(await on(till, 'counter-balance').innerText()).toBe('1,000');

    // The keypad keeps the amount a price: one decimal point, two decimals at most…
    const press = async (keys: string[]) => {
      for (const k of keys) await on(till, `key-${k}`).click();
    };
    await press(['1', '2', '3', 'dot', '4', '5', '6', 'dot']);
    expect(await on(till, 'amount').innerText()).toBe('¥123.45');
    await press(['back', 'back', 'back', 'back', 'back', 'back']);
    // …and refuses the digit that would pass the largest amount one order may have, saying the limit.
    await press(['9', '9', '9', '9', '9', '9', '9']);
    expect(await on(till, 'amount').innerText()).toBe('¥99999');
    expect(await on(till, 'amount-limit').innerText()).toBe('单笔金额最高 ¥100,000.00');
    await snap(till, 'counter-amount-limit');
    await press(['back', 'back', 'back', 'back', 'back']);
    expect(await till.locator('[data-testid="amount-limit"]').count()).toBe(0);

    await press(['1', '5', '0']);
    expect(await on(till, 'amount').innerText()).toBe('¥150');
    await till.locator('[data-testid="coupon-option"]', { hasText: '首单满100减30' }).click();
    await on(till, 'points-max').waitFor();
    await on(till, 'points-max').click(); // ¥120.00 after the coupon: cap ¥36, balance allows ¥10.00
    await till.waitForFunction(() => document.querySelector('[data-testid="quote-due"]')?.textContent === '¥110.00');
    expect(await on(till, 'points-used').innerText()).toBe('1,000 积分');
    expect(await on(till, 'quote-earn').innerText()).toContain('本单可得 110 积分');
    await snap(till, 'counter-quote');

    await till.locator('.receipt-input input').fill('POS-0001');
    await on(till, 'confirm-order').click();
    await on(till, 'receipt').waitFor();
    // The whole bill, line by line as on the member's e-receipt, to check against the till's.
    const lines = (await till.locator('[data-testid="receipt"] .receipt-line').allInnerTexts()).map((l) => l.replace(/\s+/g, ' ').trim());
    expect(lines).toEqual([
      '会员 收银测试',
      '原价 ¥150.00',
      '会员折扣 无',
      '优惠券 首单满100减30 -¥30.00',
      '积分抵扣 1,000 积分 -¥10.00',
      '实付 ¥110.00',
      '本单积分 +110',
      '成长值 +110',
      // What the order left: a reward paid after it (an invitee's first order) is not in it, and the receipt says so.
      '本单后积分余额 110',
      '本单后成长值 110',
      '会员等级 普通会员',
    ]);
    expect(await on(till, 'receipt-due').innerText()).toBe('¥110.00');
    expect(await on(till, 'receipt-balance-note').innerText()).toBe('余额为本单入账后的数额，不含之后到账的奖励（如邀请奖励）');
    await snap(till, 'counter-receipt');

    // The same code again: the lookup says at once that it already paid, before any amount is keyed.
    await on(till, 'next-customer').click();
    await till.locator('.code-input input').fill(code);
    await on(till, 'lookup').click();
    await on(till, 'code-used').waitFor();
    expect(await on(till, 'code-used').innerText()).toContain('该会员码已用于一笔订单');
    expect(await till.locator('[data-testid="key-1"]').count()).toBe(0);
    await snap(till, 'counter-code-used');
    await on(till, 'change-member').click();
    await on(till, 'lookup').waitFor();
  });

  it('a cashier who opens the pickup page is told up front that a manager must sign in', async () => {
    // The counter home offers no pickup entry to a cashier…
    expect(await till.locator('[data-testid="open-pickup"]').count()).toBe(0);
    // …and the page itself, opened directly, says so before anything is typed.
    await till.goto(`${bff.url}/#/subpackages/counter/pickup/index`);
    await on(till, 'pickup-needs-manager').waitFor();
    expect(await on(till, 'pickup-needs-manager').innerText()).toContain('积分商城提货需由经理办理');
    expect(await till.locator('.pickup-input').count()).toBe(0);
    await snap(till, 'counter-pickup-cashier');
    await on(till, 'pickup-manager-login').click();
    await till.locator('.staff-username').waitFor();
  });

  it('the member’s card shows the new balance and progress, and the order', async () => {
    await phone.goto(`${bff.url}/#/pages/index/index`);
    await on(phone, 'member-card').waitFor();
    await phone.reload();
    await on(phone, 'member-card').waitFor();
    expect(await on(phone, 'points-balance').innerText()).toBe('110');
    expect(await on(phone, 'growth-hint').innerText()).toBe('差 890 成长值升级银卡会员');
    expect(await on(phone, 'coupon-count').innerText()).toBe('1 张');
    await on(phone, 'open-orders').click();
    await on(phone, 'order-row').waitFor();
    const row = await on(phone, 'order-row').innerText();
    expect(row).toContain('静安寺店');
    expect(row).toContain('¥110.00');
    expect(row).toContain('+110 积分');
    expect(await on(phone, 'order-breakdown').innerText()).toBe('原价 ¥150.00 · 券 -¥30.00 · 积分抵扣 -¥10.00');
    await snap(phone, 'member-orders');

    // The e-receipt: every figure, in the store's time zone (Asia/Shanghai), whatever the phone's.
    await on(phone, 'order-row').click();
    await on(phone, 'order-detail').waitFor();
    expect(await on(phone, 'receipt-store').innerText()).toBe('静安寺店');
    expect(await on(phone, 'receipt-gross').innerText()).toBe('¥150.00');
    expect(await on(phone, 'receipt-coupon').innerText()).toBe('-¥30.00');
    expect(await on(phone, 'receipt-points-used').innerText()).toBe('-¥10.00');
    expect(await on(phone, 'receipt-paid').innerText()).toBe('¥110.00');
    expect(await on(phone, 'receipt-earned').innerText()).toBe('+110');
    const { token } = await storedSession(phone);
    const orders = (await (await fetch(`${bff.url}/api/v1/me/orders`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      data: { createdAt: string }[];
    };
    const shanghai = storeTime(orders.data[0].createdAt);
    expect(await on(phone, 'receipt-time').innerText()).toBe(shanghai);
    // The order list says the same time (it showed the phone's zone before).
    expect(row).toContain(shanghai);
    expect(await on(phone, 'order-detail').locator('[data-testid="review-open"]').isVisible()).toBe(true);
    await phone.waitForTimeout(400); // the page slide finishes
    await snap(phone, 'order-detail');

    // The points history and the code page's latest order say the store's time too.
    await phone.goto(`${bff.url}/#/pages/points/index`);
    await on(phone, 'ledger-row').first().waitFor();
    expect(await on(phone, 'ledger-row').first().innerText()).toContain(shanghai);
    await phone.goto(`${bff.url}/#/pages/code/index`);
    await on(phone, 'latest-order').waitFor();
    expect(await on(phone, 'latest-order').innerText()).toContain(shanghai);
  });
});

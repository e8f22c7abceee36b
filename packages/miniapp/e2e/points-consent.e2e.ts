import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { scenes } from '@member/bff/testing';
import { registerOnPhone, staffSignIn, withServices, type RunningBff, closeStage, on, openStage, type Stage, snap } from './support';

// The member decides on their phone whether points may be spent (使用积分抵扣); the till sees that
// decision in the code it scans, and the phone shows what was spent. Then the member signs in on
// another phone: the first one says its code is dead.
let stage: Stage | undefined;
let bff: RunningBff;
let phone: Page; // the member's phone
let till: Page; // the cashier's device

beforeAll(async () => {
  stage = await openStage((s) => scenes.staff(s, { store: '徐家汇店', username: 'cashier-consent', password: 'till-password-2', role: 'cashier' }));
  ({ bff, phone, till } = stage);
});

afterAll(() => closeStage(stage));
const shownCode = async () => (await on(phone, 'code-digits').getAttribute('data-code')) ?? '';
/** Waits until the phone's code carries (or not) the points flag, digit 11. */
const codeWithFlag = async (flag: '0' | '1') => {
  await phone.waitForFunction((f) => document.querySelector('[data-testid="code-digits"]')?.getAttribute('data-code')?.[10] === f, flag);
  return shownCode();
};

async function lookUp(code: string): Promise<void> {
  await till.locator('.code-input input').fill(code);
  await on(till, 'lookup').click();
  await on(till, 'counter-member').waitFor();
}

async function typeAmount(keys: string[]): Promise<void> {
  for (const k of keys) await on(till, `key-${k}`).click();
}

describe('使用积分抵扣: the member’s consent travels in the code', () => {
  it('the member registers, has points, and sees them with what they are worth next to the switch', async () => {
    const memberId = await registerOnPhone(phone, bff, '积分同意');
    await withServices(bff, (s) => scenes.givePoints(s, memberId, 1000, 'e2e:consent-points'));
    await phone.goto(`${bff.url}/#/pages/code/index`);
    await on(phone, 'code-digits').waitFor();
    await phone.waitForFunction(() => document.querySelector('[data-testid="use-points-hint"]')?.textContent === '可用 1,000 积分，价值 ¥10.00');
    expect(await codeWithFlag('0')).toMatch(/^\d{10}0\d{7}$/);
    await staffSignIn(till, bff, 'cashier-consent', 'till-password-2');
    await on(till, 'lookup').waitFor();
  });

  it('without the switch, the till shows no points slider and says the member has not allowed it', async () => {
    await lookUp(await codeWithFlag('0'));
    expect(await on(till, 'points-not-allowed').innerText()).toContain('会员未开启积分抵扣');
    expect(await till.locator('[data-testid="points-max"]').count()).toBe(0);
    await typeAmount(['1', '5', '0']);
    await till.waitForFunction(() => document.querySelector('[data-testid="quote-due"]')?.textContent === '¥150.00');
    expect(await on(till, 'points-used').innerText()).toBe('0 积分');
    await snap(till, 'counter-points-not-allowed');
    await on(till, 'change-member').click();
    await on(till, 'lookup').waitFor();
  });

  it('the member switches it on; the cashier sees the slider for that code and spends points', async () => {
    await on(phone, 'use-points').click();
    const code = await codeWithFlag('1');
    expect(await on(phone, 'use-points-on').innerText()).toContain('最多 30%');
    await snap(phone, 'member-code-use-points');

    await lookUp(code);
    expect(await till.locator('[data-testid="points-not-allowed"]').count()).toBe(0);
    await typeAmount(['1', '5', '0']);
    await on(till, 'points-max').waitFor();
    await on(till, 'points-max').click(); // cap ¥45, the balance allows ¥10.00
    await till.waitForFunction(() => document.querySelector('[data-testid="quote-due"]')?.textContent === '¥140.00');
    expect(await on(till, 'points-used').innerText()).toBe('1,000 积分');
    await till.locator('.receipt-input input').fill('POS-CONSENT-1');
    await on(till, 'confirm-order').click();
    await on(till, 'receipt').waitFor();
    expect(await on(till, 'receipt-due').innerText()).toBe('¥140.00');
    expect(await on(till, 'receipt-balance').innerText()).toBe('140');
  });

  it('the member’s phone shows the order and the points spent, and still remembers the switch', async () => {
    await phone.reload();
    await on(phone, 'latest-order').waitFor();
    expect(await on(phone, 'latest-order').innerText()).toContain('徐家汇店');
    expect(await on(phone, 'latest-order-points').innerText()).toBe('积分抵扣 1,000 积分（¥10.00） · 获得 140 积分');
    await phone.waitForFunction(() => document.querySelector('[data-testid="use-points-hint"]')?.textContent === '可用 140 积分，价值 ¥1.00');
    expect((await codeWithFlag('1')).slice(10, 11)).toBe('1');
    await snap(phone, 'member-code-latest-order');
  });
});

describe('a stale phone', () => {
  it('says its code is dead once the member signs in on another device, and comes back on a new sign-in', async () => {
    // Another device signs in as the same member (on H5 the identity is the browser's device id).
    const stored = await phone.evaluate(() => localStorage.getItem('mc.h5-device'));
    const openid = (JSON.parse(stored ?? '{}') as { data?: string }).data ?? '';
    expect(openid).toMatch(/^h5_/);
    const other = await fetch(`${bff.url}/api/v1/auth/dev`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid }),
    });
    expect(other.status).toBe(200);

    await phone.reload();
    await on(phone, 'stale-device').waitFor();
    expect(await on(phone, 'stale-device').innerText()).toContain('已在其他设备登录，此会员码已失效');
    expect(await phone.locator('[data-testid="code-digits"]').count()).toBe(0);
    await snap(phone, 'member-code-stale');

    await on(phone, 'reactivate').click();
    await on(phone, 'code-digits').waitFor();
    await on(till, 'next-customer').click();
    await on(till, 'lookup').waitFor();
    await lookUp(await shownCode());
    expect(await on(till, 'counter-member').innerText()).toContain('积分同意');
  });
});

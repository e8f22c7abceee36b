import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { scenes } from '@member/bff/testing';
import { registerOnPhone, staffSignIn, storedSession, storeTime, type RunningBff, closeStage, on, openStage, type Stage, snap } from './support';

let stage: Stage | undefined;
let bff: RunningBff;
let phone: Page; // the member's phone
let till: Page; // the cashier's device

const STORE = '徐汇店';
const CASHIER = { username: 'refund-cashier', password: 'till-password-2' };
const MANAGER = { username: 'refund-manager', password: 'manager-password-2' };

beforeAll(async () => {
  stage = await openStage(async (s) => {
    await scenes.staff(s, { store: STORE, ...CASHIER, role: 'cashier' });
    await scenes.staff(s, { store: STORE, ...MANAGER, role: 'manager' });
  });
  ({ bff, phone, till } = stage);
});

afterAll(() => closeStage(stage));

/** When the member paid (the order's `createdAt`), to read on the till. */
let paidAt = '';

async function call<T>(method: string, url: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(`${bff.url}${url}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: T }).data;
}

describe('a refund over the set amount, approved by the manager on the till', () => {
  it('the member pays ¥200.00 with the first-order coupon (¥170.00 paid)', async () => {
    await registerOnPhone(phone, bff, '退款测试');
    const { token } = await storedSession(phone);
    const coupons = await call<{ id: string; title: string }[]>('GET', '/api/v1/me/coupons', token);
    const firstOrder = coupons.find((c) => c.title === '首单满100减30')!;
    const { code } = await call<{ code: string }>('GET', '/api/v1/me/code', token);
    const staff = await fetch(`${bff.url}/api/v1/staff/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(CASHIER),
    });
    const cashierToken = ((await staff.json()) as { data: { token: string } }).data.token;
    const order = await call<{ dueCents: number; createdAt: string }>('POST', '/api/v1/counter/orders', cashierToken, {
      code,
      amountCents: 20000,
      couponId: firstOrder.id,
      receiptNo: 'POS-R-0001',
    });
    expect(order.dueCents).toBe(17000);
    paidAt = order.createdAt;
    await phone.reload();
    await on(phone, 'member-card').waitFor();
    expect(await on(phone, 'coupon-count').innerText()).toBe('1 张');
  });

  it('the cashier finds the order; a sloppy amount is refused, never read as another number', async () => {
    await staffSignIn(till, bff, CASHIER.username, CASHIER.password);
    await on(till, 'lookup').waitFor();
    await till.goto(`${bff.url}/#/subpackages/counter/refund/index`);
    // Enter in the receipt field looks the order up, like the button (a scanner sends Enter after the number).
    await till.locator('.refund-receipt input').fill('POS-R-0001');
    await till.locator('.refund-receipt input').press('Enter');
    await on(till, 'refund-order').waitFor();
    // The card says whose order it is, when it was paid (by the store's clock; the till is on New York time) and for how much.
    expect(await on(till, 'order-member').innerText()).toBe('退款测试');
    expect(await on(till, 'order-time').innerText()).toBe(storeTime(paidAt));
    expect(await on(till, 'order-gross').innerText()).toBe('¥200.00');
    expect(await on(till, 'order-paid').innerText()).toBe('¥170.00');
    expect(await till.locator('.refund-amount input').inputValue()).toBe('170.00');
    await till.locator('.refund-no input').fill('RF-R-0001');
    // Filled fields keep their labels.
    const labelOf = (field: string) => till.locator(`.field:has(.${field}) .field-label`).innerText();
    expect(await labelOf('refund-receipt')).toBe('收银小票号');
    expect(await labelOf('refund-amount')).toBe('退款金额（元）');
    expect(await labelOf('refund-no')).toBe('退款单号（必填）');
    await snap(till, 'refund-order');
    await till.locator('.refund-amount input').fill('1e9');
    expect(await till.locator('.refund-amount input').inputValue()).toBe('1e9');
    await on(till, 'refund-review').click();
    expect(await on(till, 'refund-page-error').innerText()).toBe('请输入正确的金额，如 12 或 12.50');
    expect(await till.locator('[data-testid="refund-sheet"]').count()).toBe(0);
  });

  it('the sheet shows what the refund will do and asks for the manager', async () => {
    await till.locator('.refund-amount input').fill('170');
    await on(till, 'refund-review').click();
    await on(till, 'refund-sheet').waitFor();
    expect(await on(till, 'sheet-amount').innerText()).toBe('¥170.00');
    expect(await on(till, 'sheet-points-reversed').innerText()).toBe('-170');
    expect(await on(till, 'sheet-coupon').innerText()).toBe('首单满100减30：仍在有效期内，将退回会员券包');
    await on(till, 'manager-approval').waitFor();
    expect(await on(till, 'refund-submit').innerText()).toBe('经理授权并退款');
    await snap(till, 'refund-sheet');
  });

  it('a wrong manager password is refused on the sheet, and the cashier stays signed in', async () => {
    await till.locator('.manager-username input').fill(MANAGER.username);
    await till.locator('.manager-password input').fill('not-the-password');
    expect(await till.locator('.field:has(.manager-username) .field-label').innerText()).toBe('经理账号');
    expect(await till.locator('.field:has(.manager-password) .field-label').innerText()).toBe('经理密码');
    await on(till, 'refund-submit').click();
    await on(till, 'refund-error').waitFor();
    expect(await on(till, 'refund-error').innerText()).toBe('授权未通过：账号或密码错误，或不是本店经理');
    expect(await on(till, 'refund-sheet').isVisible()).toBe(true);
  });

  it('the manager signs in on the sheet; the refund is recorded and the coupon is back', async () => {
    await till.locator('.manager-password input').fill(MANAGER.password);
    await on(till, 'refund-submit').click();
    await on(till, 'refund-result').waitFor();
    expect(await on(till, 'result-amount').innerText()).toBe('¥170.00');
    expect(await on(till, 'result-points-reversed').innerText()).toBe('-170');
    expect(await on(till, 'result-coupon').innerText()).toBe('已退回会员券包');
    expect(await on(till, 'result-order-state').innerText()).toBe('已全额退款');
    expect(await on(till, 'back-to-counter').isVisible()).toBe(true);
    await snap(till, 'refund-result');

    // Back to the order: refunded in full, nothing more to refund.
    await on(till, 'back-to-order').click();
    await on(till, 'order-fully-refunded').waitFor();
    expect(await on(till, 'order-refunded').innerText()).toBe('¥170.00');

    // The member's wallet has the coupon again.
    await phone.reload();
    await on(phone, 'member-card').waitFor();
    expect(await on(phone, 'coupon-count').innerText()).toBe('2 张');
  });

  it('the member’s points history shows the order and its refund by store, and filters 获得/使用', async () => {
    await phone.goto(`${bff.url}/#/pages/points/index`);
    await on(phone, 'ledger').waitFor();
    const rows = () => phone.locator('[data-testid="ledger-row"]').allInnerTexts();
    const lines = await rows();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`订单退款 · ${STORE}`);
    expect(lines[0]).toContain('-170');
    expect(lines[1]).toContain(`到店消费 · ${STORE}`);
    expect(lines[1]).toContain('+170');
    await snap(phone, 'points-history');
    await on(phone, 'filter-earned').click();
    await phone.waitForFunction(() => document.querySelectorAll('[data-testid="ledger-row"]').length === 1);
    expect((await rows())[0]).toContain('+170');
    await on(phone, 'filter-expired').click();
    await on(phone, 'empty').waitFor();
    expect(await on(phone, 'empty').innerText()).toContain('没有过期的积分');

    // A line about an order opens its e-receipt, with the refund on it.
    await on(phone, 'filter-all').click();
    await phone.waitForFunction(() => document.querySelectorAll('[data-testid="ledger-row"]').length === 2);
    await on(phone, 'ledger-row').click();
    await on(phone, 'order-detail').waitFor();
    expect(await on(phone, 'receipt-refund').innerText()).toContain('-¥170.00');
    expect(await on(phone, 'receipt-coupon').innerText()).toBe('-¥30.00');
  });
});

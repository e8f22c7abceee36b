import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { scenes } from '@member/bff/testing';
import { closeStage, on, openStage, registerOnPhone, snap, staffSignIn, withServices, type RunningBff, type Stage } from './support';

let stage: Stage | undefined;
let bff: RunningBff;
let phone: Page; // a member's phone
let desk: Page; // the operator's browser
let till: Page; // a cashier's device

const OPERATOR_URL = () => `${bff.url}/#/subpackages/operator/dashboard/index`;

beforeAll(async () => {
  stage = await openStage(async (s) => {
    await scenes.staff(s, { store: '总部', username: 'ops-admin', password: 'ops-password-1', role: 'admin' });
    await scenes.staff(s, { store: '静安寺店', username: 'ops-cashier', password: 'till-password-1', role: 'cashier' });
  });
  ({ bff, phone, till } = stage);
  // The operator's browser: phone width (the H5 build's layout) and tall, so a screenshot holds every chart.
  desk = await (
    await stage.browser.newContext({ viewport: { width: 375, height: 1900 }, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'America/New_York' })
  ).newPage();
});

afterAll(() => closeStage(stage));

/** An admin token for reading the API's own figures (what the pages must show). */
async function adminToken(): Promise<string> {
  const res = await fetch(`${bff.url}/api/v1/staff/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'ops-admin', password: 'ops-password-1' }),
  });
  return ((await res.json()) as { data: { token: string } }).data.token;
}

describe('the operator area', () => {
  let memberId = '';

  it('an operator opens the direct URL, signs in, and reads the dashboard with the figures of what happened', async () => {
    // A known activity: one member registers (welcome coupons) and is given 1,000 points.
    memberId = await registerOnPhone(phone, bff, '运营测试');
    await withServices(bff, (s) => scenes.givePoints(s, memberId, 1000, 'e2e:ops-gift'));

    // The direct URL without a session goes to staff sign-in, which comes back to the operator area.
    await desk.goto(OPERATOR_URL());
    await desk.locator('.staff-username input').waitFor();
    await desk.locator('.staff-username input').fill('ops-admin');
    await desk.locator('.staff-password input').fill('ops-password-1');
    await on(desk, 'staff-login').click();
    await on(desk, 'dashboard').waitFor();
    await on(desk, 'kpi-members-total').waitFor();

    // The API's own figures for the period the page shows (the last 30 days by default).
    const range = (await on(desk, 'period-range').innerText()).split(' 至 ');
    const res = await fetch(`${bff.url}/api/v1/admin/reports/summary?from=${range[0]}&to=${range[1]}`, {
      headers: { Authorization: `Bearer ${await adminToken()}` },
    });
    const api = ((await res.json()) as { data: { coupons: { issued: number } } }).data;
    expect(api.coupons.issued).toBeGreaterThan(0);

    expect(await on(desk, 'kpi-members-total-value').innerText()).toBe('1');
    expect(await on(desk, 'kpi-members-new-value').innerText()).toBe('1');
    expect(await on(desk, 'kpi-members-active-value').innerText()).toBe('1');
    expect(await on(desk, 'kpi-points-issued-value').innerText()).toBe('1,000');
    expect(await on(desk, 'kpi-points-spent-value').innerText()).toBe('0');
    expect(await on(desk, 'kpi-coupons-issued-value').innerText()).toBe(String(api.coupons.issued));
    // Nothing used yet: a real 0%; no referral yet: no rate at all.
    expect(await on(desk, 'kpi-coupon-use-rate-value').innerText()).toBe('0%');
    expect(await on(desk, 'kpi-referrals').innerText()).toContain('转化率 —');

    // Charts: the points bars carry the same figures; the tier split counts the one member.
    const points = await desk.locator('[data-testid="chart-points-value"]').allInnerTexts();
    expect(points).toEqual(['1,000', '0', '0']);
    expect((await desk.locator('[data-testid="chart-tiers-value"]').allInnerTexts())[0]).toBe('1（100%）');
    // Members over time: six months, this month's column holds the new member.
    await on(desk, 'chart-members-trend').waitFor();
    const months = await desk.locator('[data-testid="chart-members-trend-col"]').allInnerTexts();
    expect(months).toHaveLength(6);
    expect(months[5].replace(/\s+/g, ' ')).toMatch(/^1 \d+月$/);

    // Another period asks the API again, for other days.
    await on(desk, 'period-7').click();
    const week = (await on(desk, 'period-range').innerText()).split(' 至 ');
    expect((Date.parse(week[1]) - Date.parse(week[0])) / 86_400_000).toBe(6);
    await on(desk, 'kpi-points-issued').waitFor();
    expect(await on(desk, 'kpi-points-issued-value').innerText()).toBe('1,000');
    await snap(desk, 'operator-dashboard');
  });

  it('the operator creates a mall item (the API’s validation shown on the field first) and members see it in the mall', async () => {
    await desk.locator('[data-testid="op-nav-mall"]:visible').click();
    await on(desk, 'mall-new').click();
    await on(desk, 'mall-form').waitFor();
    // No name: the API refuses, and the form says so under the field.
    await desk.locator('.f-pointsCost input').fill('500');
    await desk.locator('.f-stock input').fill('10');
    await on(desk, 'mall-save').click();
    await on(desk, 'issue-title').waitFor();
    await desk.locator('.f-title input').fill('运营测试保温杯');
    await desk.locator('.f-description input').fill('不锈钢，500 毫升');
    await on(desk, 'mall-save').click();
    const row = desk.locator('[data-testid="op-mall-item"][data-title="运营测试保温杯"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('500 积分 · 库存 10');
    // Stock moves by a delta.
    await row.locator('[data-testid="mall-stock"]').click();
    await desk.locator('.f-stock-delta input').fill('5');
    await on(desk, 'stock-apply').click();
    await desk.waitForFunction(() => document.querySelector('[data-testid="op-mall-item"][data-title="运营测试保温杯"]')?.textContent.includes('库存 15'));

    await phone.goto(`${bff.url}/#/pages/mall/index`);
    const tile = phone.locator('[data-testid="mall-item"]', { hasText: '运营测试保温杯' });
    await tile.waitFor();
    expect(await tile.innerText()).toContain('500');
  });

  it('the operator creates a coupon template (a refused term shown on its field), then stops its issue', async () => {
    await desk.locator('[data-testid="op-nav-templates"]:visible').click();
    await on(desk, 'template-new').click();
    await desk.locator('.f-code input').fill('ops-e2e-threshold');
    await on(desk, 'choice-kind-threshold').click();
    await desk.locator('.f-title input').fill('运营满减券');
    await desk.locator('.f-value input').fill('150');
    await desk.locator('.f-threshold input').fill('100');
    await on(desk, 'template-save').click();
    // The API refuses a value above the threshold; its message sits under the value field.
    await on(desk, 'issue-value').waitFor();
    expect(await on(desk, 'issue-value').innerText()).toBe('value must not exceed the threshold');
    await desk.locator('.f-value input').fill('20');
    await on(desk, 'template-save').click();
    const row = desk.locator('[data-testid="op-template"][data-code="ops-e2e-threshold"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('满¥100.00减¥20.00 · 领取后 30 天有效');
    expect(await row.innerText()).toContain('发放中');
    await row.locator('[data-testid="template-pause"]').click();
    await desk.waitForFunction(() =>
      document.querySelector('[data-testid="op-template"][data-code="ops-e2e-threshold"]')?.textContent.includes('已发放 0 / 0'),
    );
    // Its total is now what was issued: the badge says so and the stop link is gone.
    expect(await row.locator('.op-badge').innerText()).toBe('停止发放');
    expect(await row.locator('[data-testid="template-pause"]').count()).toBe(0);
  });

  it('the operator finds the member, adjusts points with a reason (a double tap applies once) and reads it in the audit log', async () => {
    await desk.locator('[data-testid="op-nav-members"]:visible').click();
    await desk.locator('.f-member-query input').fill('运营测试');
    await on(desk, 'member-search').click();
    await on(desk, 'op-member').click();
    await on(desk, 'member-detail').waitFor();
    expect(await on(desk, 'member-balance').innerText()).toBe('1,000');

    await desk.locator('.f-adjust-points input').fill('250');
    await desk.locator('.f-adjust-reason input').fill('客诉补偿：门店缺货');
    await on(desk, 'adjust-submit').dblclick();
    await on(desk, 'adjust-result').waitFor();
    expect(await on(desk, 'adjust-result').innerText()).toBe('已调整 +250 积分，调整后余额 1,250');
    await desk.waitForFunction(() => document.querySelector('[data-testid="member-balance"]')?.textContent === '1,250');
    expect(await desk.locator('[data-testid="ledger-entry"]').count()).toBe(2);
    await snap(desk, 'operator-member-detail');

    await on(desk, 'member-audit').click();
    const entry = desk.locator('[data-testid="audit-entry"][data-action="points.adjust"]');
    await entry.first().waitFor();
    expect(await entry.count()).toBe(1);
    expect(await entry.first().innerText()).toContain('积分 +250 · 原因 客诉补偿：门店缺货');
    await snap(desk, 'operator-audit-log');
  });

  it('the operator runs the ledger check now and reads its report', async () => {
    await desk.locator('[data-testid="op-nav-jobs"]:visible').click();
    const job = desk.locator('[data-testid="job"][data-name="ledger-check"]');
    await job.waitFor();
    const runsBefore = await job.locator('[data-testid="job-run"]').count();
    await job.locator('[data-testid="job-run-now"]').click();
    await desk.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="job"][data-name="ledger-check"] [data-testid="job-run"]').length === n,
      Math.min(runsBefore + 1, 3),
    );
    const lines = (await desk.locator('[data-testid="ledger-line"]').allInnerTexts()).map((l) => l.replace(/\s+/g, ' ').trim());
    // One member, whose balance (1,250 after the gift and the adjustment) matches the ledger.
    expect(lines).toEqual(['核对会员数 1', '账目异常会员 0', '积分余额与流水不符 0', '积分余额与批次不符 0', '成长值与流水不符 0']);
  });

  it('a cashier opening the operator URL is told it needs an admin account', async () => {
    await staffSignIn(till, bff, 'ops-cashier', 'till-password-1');
    await on(till, 'lookup').waitFor();
    // The counter home offers no operator entry to a cashier…
    expect(await till.locator('[data-testid="open-operator"]').count()).toBe(0);
    // …and the direct URL says so before anything loads.
    await till.goto(OPERATOR_URL());
    await on(till, 'operator-needs-admin').waitFor();
    expect(await on(till, 'operator-needs-admin').innerText()).toContain('需要管理员账号');
    expect(await till.locator('[data-testid="dashboard"]').count()).toBe(0);
  });

  it('an admin at the counter finds the way into the operator area', async () => {
    await staffSignIn(till, bff, 'ops-admin', 'ops-password-1');
    await on(till, 'open-operator').click();
    await on(till, 'dashboard').waitFor();
  });
});

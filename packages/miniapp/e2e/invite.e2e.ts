import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { scenes } from '@member/bff/testing';
import { registerOnPhone, staffSignIn, type RunningBff, closeStage, on, openStage, phonePage, type Stage, snap } from './support';

let stage: Stage | undefined;
let bff: RunningBff;
let phone: Page; // the inviter's phone
let till: Page; // the cashier's device
let friend: Page; // the friend's phone: a fresh browser profile

const CASHIER = { username: 'invite-cashier', password: 'till-password-3' };

beforeAll(async () => {
  stage = await openStage((s) => scenes.staff(s, { store: '南京西路店', ...CASHIER, role: 'cashier' }));
  ({ bff, phone, till } = stage);
  friend = await phonePage(stage.browser);
});

afterAll(() => closeStage(stage));

/** The poster canvas's pixels decoded as a QR code (null when none is found). */
async function posterQr(page: Page): Promise<string | null> {
  const image = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="poster-canvas"] canvas, canvas[data-testid="poster-canvas"]');
    if (!canvas) throw new Error('no poster canvas');
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
  });
  const pixels = new Uint8ClampedArray(Buffer.from(image.base64, 'base64'));
  return jsQR(pixels, image.width, image.height)?.data ?? null;
}

describe('inviting a friend: the link, registration, the first order, and the inviter’s reward', () => {
  let code = '';
  let shareLink = '';

  it('the inviter opens 邀请有礼: the code, the rules, a link to copy, and a poster whose QR code is the invite link', async () => {
    await registerOnPhone(phone, bff, '邀请人');
    await on(phone, 'open-invite').click();
    await on(phone, 'invite-code').waitFor();
    code = await on(phone, 'invite-code').innerText();
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    const rules = await on(phone, 'share-rules').innerText();
    expect(rules).toContain('你得 100 积分 + 2 成长值，好友得 50 积分');
    expect(rules).toContain('仅分享不获得奖励');
    await on(phone, 'copy-link').waitFor();
    shareLink = await on(phone, 'share-link').innerText();
    expect(shareLink).toMatch(new RegExp(`^${bff.url}/#/pages/index/index\\?inviteCode=${code}&shareToken=[A-Za-z0-9_-]{16}$`));

    await phone.waitForSelector('[data-testid="poster-canvas"][data-drawn="true"]');
    expect(await posterQr(phone)).toBe(`${bff.url}/#/pages/index/index?inviteCode=${code}`);
    await snap(phone, 'invite');
  });

  it('a friend opens the link in a fresh browser, registers, and is bound to the inviter', async () => {
    await friend.goto(shareLink);
    await on(friend, 'invited-by').waitFor();
    expect(await on(friend, 'invited-by').innerText()).toContain(code);
    await on(friend, 'consent-check').click();
    await friend.locator('.nickname-input input').fill('被邀请的朋友');
    await on(friend, 'register-submit').click();
    await on(friend, 'member-card').waitFor();

    await phone.reload();
    await on(phone, 'invitee-row').waitFor();
    expect(await on(phone, 'invitee-row').innerText()).toContain('被邀请的朋友');
    expect(await on(phone, 'invitee-status').innerText()).toBe('已注册，待首单');
  });

  it('the friend’s first order at the counter rewards the inviter, who sees it in the list and the balance', async () => {
    await friend.goto(`${bff.url}/#/pages/code/index`);
    await on(friend, 'code-digits').waitFor();
    const memberCode = (await on(friend, 'code-digits').getAttribute('data-code'))!;

    await staffSignIn(till, bff, CASHIER.username, CASHIER.password);
    await on(till, 'lookup').waitFor();
    await till.locator('.code-input input').fill(memberCode);
    await on(till, 'lookup').click();
    await on(till, 'counter-member').waitFor();
    for (const k of ['8', '0']) await on(till, `key-${k}`).click();
    await till.waitForFunction(() => document.querySelector('[data-testid="quote-due"]')?.textContent === '¥80.00');
    await till.locator('.receipt-input input').fill('POS-I-0001');
    await on(till, 'confirm-order').click();
    await on(till, 'receipt').waitFor();
    expect(await on(till, 'receipt-due').innerText()).toBe('¥80.00');

    await phone.reload();
    await on(phone, 'invitee-row').waitFor();
    await phone.waitForFunction(() => document.querySelector('[data-testid="invitee-status"]')?.textContent.startsWith('已奖励'));
    expect(await on(phone, 'invitee-status').innerText()).toBe('已奖励 · +100 积分 +2 成长值');
    expect(await on(phone, 'invited-count').innerText()).toContain('已成功邀请 1 人');
    await snap(phone, 'invite-rewarded');

    // The card: 100 for the invitation and 10 because the friend registered from the shared link.
    await phone.goto(`${bff.url}/#/pages/index/index`);
    await phone.reload();
    await on(phone, 'member-card').waitFor();
    expect(await on(phone, 'points-balance').innerText()).toBe('110');
  });
});

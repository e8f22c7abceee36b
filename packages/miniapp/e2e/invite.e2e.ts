import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { scenes } from '@member/bff/testing';
import { registerOnPhone, staffSignIn, storedSession, type RunningBff, closeStage, on, openStage, phonePage, type Stage, snap } from './support';

let stage: Stage | undefined;
let bff: RunningBff;
let phone: Page; // the inviter's phone
let till: Page; // the cashier's device
let friend: Page; // the friend's phone: a fresh browser profile

const CASHIER = { username: 'invite-cashier', password: 'till-password-3' };

let itemId = ''; // a mall item the inviter looks at
let soldOutId = ''; // one that is sold out

beforeAll(async () => {
  stage = await openStage(async (s) => {
    await scenes.staff(s, { store: '南京西路店', ...CASHIER, role: 'cashier' });
    const admin = await scenes.staff(s, { store: '南京西路店', username: 'invite-admin', password: 'admin-password-3', role: 'admin' });
    const item = { kind: 'physical', description: '到店领取', imageUrl: '/assets/mall/tote.svg', pointsCost: 2500 } as const;
    itemId = (await s.admin.createItem(admin.id, { ...item, title: '会员帆布托特包', stock: 5 })).id;
    soldOutId = (await s.admin.createItem(admin.id, { ...item, title: '已售罄马克杯', stock: 0 })).id;
  });
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

/** The share links the member's personal-data export lists (every link made for them). */
async function myShareLinks(page: Page): Promise<{ token: string; page: string; targetId: string | null }[]> {
  const { token } = await storedSession(page);
  const res = await fetch(`${bff.url}/api/v1/me/export`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await res.json()) as { data: { shares: { token: string; page: string; targetId: string | null }[] } }).data.shares;
}

/** Opens a page of the H5 app afresh (a new visit, as a member coming back to it). */
async function visit(page: Page, hashPath: string, ready: string): Promise<void> {
  await page.goto(`${bff.url}/#${hashPath}`);
  await page.reload();
  await on(page, ready).waitFor();
}

/** Taps the share action (复制链接) and returns the link it copied (Taro's H5 clipboard keeps a copy in storage). */
async function tapShare(page: Page): Promise<string> {
  await page.evaluate(() => localStorage.removeItem('taro_clipboard'));
  await on(page, 'copy-link').click();
  await page.waitForFunction(() => localStorage.getItem('taro_clipboard') !== null);
  await page.getByText('链接已复制').first().waitFor();
  const copied = await page.evaluate(() => (JSON.parse(localStorage.getItem('taro_clipboard') ?? 'null') as { data: string }).data);
  expect(await on(page, 'copy-link').getAttribute('data-link')).toBe(copied);
  await page.getByText('链接已复制').first().waitFor({ state: 'hidden' });
  return copied;
}

describe('inviting a friend: the link, registration, the first order, and the inviter’s reward', () => {
  let code = '';
  let shareLink = '';

  it('the inviter looks at the mall, an item and 邀请有礼 (twice each) without sharing: no share link is made', async () => {
    await registerOnPhone(phone, bff, '邀请人');
    for (let i = 0; i < 2; i++) {
      await visit(phone, '/pages/mall/index', 'share-panel');
      await visit(phone, `/subpackages/mall/item/index?id=${itemId}`, 'share-panel');
      await visit(phone, '/subpackages/engage/invite/index', 'invite-code');
    }
    expect(await myShareLinks(phone)).toEqual([]);
    // The panel: a button and the rules in two short lines; the full rules behind 规则; no raw link.
    expect(await on(phone, 'copy-link').innerText()).toBe('复制邀请链接');
    expect(await phone.locator('[data-testid="share-link"]').count()).toBe(0);
    expect(await phone.locator('[data-testid="share-rules"]').count()).toBe(0);
    // A sold-out item offers no sharing.
    await visit(phone, `/subpackages/mall/item/index?id=${soldOutId}`, 'item-title');
    await on(phone, 'redeem').waitFor();
    expect(await phone.locator('[data-testid="share-panel"]').count()).toBe(0);

    expect(await myShareLinks(phone)).toEqual([]);
  });

  it('the inviter opens 邀请有礼: the code to copy, a link made when they tap share (one, however often), the poster before the rules', async () => {
    await phone.goto(`${bff.url}/#/pages/index/index`);
    await phone.reload();
    await on(phone, 'open-invite').click();
    await on(phone, 'invite-code').waitFor();
    code = await on(phone, 'invite-code').innerText();
    expect(code).toMatch(/^[A-Z0-9]{8}$/);

    await on(phone, 'copy-invite-code').click();
    await phone.getByText('邀请码已复制').first().waitFor();
    await phone.getByText('邀请码已复制').first().waitFor({ state: 'hidden' });
    expect(await phone.evaluate(() => (JSON.parse(localStorage.getItem('taro_clipboard') ?? 'null') as { data: string } | null)?.data)).toBe(code);

    // The poster comes before the rules, which are short until 规则 opens them in full.
    const top = (id: string) => on(phone, id).evaluate((el) => el.getBoundingClientRect().top);
    expect(await top('poster-canvas')).toBeLessThan(await top('share-summary'));
    expect(await on(phone, 'share-summary').innerText()).toBe('好友用邀请码注册，首单实付满 ¥20.00 后\n你得 100 积分 + 2 成长值，好友得 50 积分');
    await on(phone, 'share-rules-toggle').click();
    const rules = await on(phone, 'share-rules').innerText();
    expect(rules).toContain('你得 100 积分 + 2 成长值，好友得 50 积分');
    expect(rules).toContain('仅分享不获得奖励');

    shareLink = await tapShare(phone);
    expect(shareLink).toMatch(new RegExp(`^${bff.url}/#/pages/index/index\\?inviteCode=${code}&shareToken=[A-Za-z0-9_-]{16}$`));
    const token = new URL(shareLink.replace('/#/', '/')).searchParams.get('shareToken');
    expect(await myShareLinks(phone)).toEqual([expect.objectContaining({ token, page: 'invite', targetId: null })]);

    // Sharing again, and again after coming back to the page, gives the same link: still one.
    expect(await tapShare(phone)).toBe(shareLink);
    await visit(phone, '/subpackages/engage/invite/index', 'copy-link');
    expect(await tapShare(phone)).toBe(shareLink);
    expect(await myShareLinks(phone)).toHaveLength(1);

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

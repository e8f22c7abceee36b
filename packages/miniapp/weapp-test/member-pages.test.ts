import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Coupon, MallItem, MemberCard } from '@member/shared';
import { WEAPP_DIST, startPhone, waitFor, type OpenedPage } from './phone';
import { contractBackend, couponsOf, memberCardFixture, rulesFixture, type ContractBackend } from './backend';

// A signed-in, registered member (the session services/session.ts keeps): the pages read with its
// token and never need to sign in.
const SESSION = {
  token: 'member-token',
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  registered: true,
  codeSecret: '00112233445566778899aabbccddeeff00112233',
  codeRef: '4821937056',
  periodSeconds: 60,
};

const DAY = 86_400_000;
const iso = (fromNowDays: number) => new Date(Date.now() + fromNowDays * DAY).toISOString();

// A silver member part-way to gold: the bar must stand strictly between empty and full, so a bar
// stuck at either end cannot pass.
const ME: MemberCard = memberCardFixture({
  nickname: '林小满',
  tierCode: 'silver',
  qualifying: 2300,
  balance: 12345,
  couponsAvailable: 2,
  today: '2026-11-23',
});

const COUPONS: Coupon[] = [
  {
    id: 'coupon-0001',
    templateId: 'template-01',
    kind: 'cash',
    title: '新人无门槛券',
    valueCents: 500,
    validFrom: iso(-1),
    validTo: iso(30),
    status: 'available',
    occasion: 'event',
  },
  {
    id: 'coupon-0002',
    templateId: 'template-02',
    kind: 'threshold',
    title: '满100减20',
    valueCents: 2000,
    thresholdCents: 10000,
    validFrom: iso(-1),
    validTo: iso(60),
    status: 'available',
    occasion: 'upgrade',
  },
  {
    id: 'coupon-0003',
    templateId: 'template-03',
    kind: 'discount',
    title: '九折券',
    discountPercent: 90,
    validFrom: iso(-20),
    validTo: iso(-2),
    status: 'used',
    occasion: 'mall',
  },
];

const ITEMS: MallItem[] = [
  {
    id: 'item-00001',
    kind: 'coupon',
    title: '¥10 代金券',
    description: '到店消费可用',
    imageUrl: null,
    pointsCost: 1000,
    stockLeft: 80,
    perMemberLimit: 2,
    coupon: { kind: 'cash', valueCents: 1000 },
  },
  {
    id: 'item-00002',
    kind: 'physical',
    title: '品牌帆布袋',
    description: '门店自提',
    imageUrl: null,
    pointsCost: 2500,
    stockLeft: 0,
    perMemberLimit: null,
    minTier: 'gold',
  },
];

/** A phone running `dist` whose wx.request the contract backend answers with these fixtures. */
function openPage(route: string, dist: string, me: MemberCard = ME): { page: OpenedPage; server: ContractBackend } {
  const server = contractBackend({ rules: rulesFixture, me: () => me, coupons: (q) => couponsOf(COUPONS, q.status), mallItems: () => ITEMS });
  let page: OpenedPage | undefined;
  jest.isolateModules(() => {
    page = startPhone({ backend: server.backend, dist, storage: { 'mc.session': SESSION } }).open(route);
  });
  return { page: page!, server };
}

// Pages render into the harness with the component's class prefix (`main--`); data-testid does not
// reach weapp templates, so elements are found by class.
const byClass = (root: Element, name: string) => root.querySelector(`[class~="main--${name}"]`);
const allByClass = (root: Element, name: string): Element[] => Array.from(root.querySelectorAll(`[class~="main--${name}"]`));
const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** What the suite demands of the member centre's card and growth bar, for the card `me`. */
function checkMemberCentre(root: Element, me: MemberCard): void {
  expect(text(byClass(root, 'card-tier'))).toContain(me.tier.name);
  // The balance with thousands separators, as the card prints it (12345 → 12,345).
  expect(text(byClass(root, 'card-points-value'))).toBe(me.points.balance.toLocaleString('en-US'));
  const bar = byClass(root, 'nut-progress-inner') as HTMLElement | null;
  expect(bar).not.toBeNull();
  expect(bar!.style.width).toBe(`${me.growth.percent}%`);
}

/** Both sides of the exchange were on contract: every request answered, every answer parsed. */
function checkExchanges(server: ContractBackend): void {
  expect(server.unanswered).toEqual([]);
  expect(server.offContract).toEqual([]);
}

/** The rows of a list once the page has drawn the first (`name`: the row's class). */
function renderedList(page: OpenedPage, name: string): Promise<Element[]> {
  return waitFor(`the ${name} rows`, () => {
    const found = allByClass(page.root, name);
    return found.length > 0 && found;
  });
}

/** What the suite demands of the wallet: every available coupon (the page asks for that view), by title, in order. */
function checkWallet(cards: Element[]): void {
  expect(cards.map((c) => text(byClass(c, 'coupon-title')))).toEqual(couponsOf(COUPONS, 'available').map((c) => c.title));
}

/** What the suite demands of the mall: every item, with its title and its points cost. */
function checkMall(tiles: Element[]): void {
  expect(tiles.map((t) => text(byClass(t, 'tile-title')))).toEqual(ITEMS.map((i) => i.title));
  expect(tiles.map((t) => text(byClass(t, 'tile-points')))).toEqual(ITEMS.map((i) => i.pointsCost.toLocaleString('en-US')));
}

const broken = mkdtempSync(path.join(os.tmpdir(), 'weapp-broken-'));
afterAll(() => rmSync(broken, { recursive: true, force: true }));

/** A copy of the bundle with one edit to a page's compiled script (the edit must apply). */
function bundleWithEdit(name: string, page: string, edit: (js: string) => string): string {
  const dist = path.join(broken, name);
  cpSync(WEAPP_DIST, dist, { recursive: true, filter: (p) => !p.includes(`${path.sep}subpackages`) });
  const file = path.join(dist, page, 'index.js');
  const js = readFileSync(file, 'utf8');
  const edited = edit(js);
  expect(edited).not.toBe(js);
  writeFileSync(file, edited);
  return dist;
}

/** The compiled `<Progress percent={g.percent} …>` call: `percent:X.percent`. */
const PROGRESS_PERCENT = /percent:([\w$]+)\.percent,/;

describe('the weapp member pages in miniprogram-simulate, answered by contract fixtures', () => {
  it('the member fixture leaves the bar room to be wrong: strictly between empty and full', () => {
    expect(ME.growth.percent).toBeGreaterThan(0);
    expect(ME.growth.percent).toBeLessThan(100);
    expect(ME.tier.name).not.toBe('');
  });

  it('member centre: the card shows the tier name and the balance, the growth bar is as wide as the growth', async () => {
    const { page, server } = openPage('pages/index/index', WEAPP_DIST);
    await waitFor('the member card', () => byClass(page.root, 'card-points-value'));
    checkMemberCentre(page.root, ME);
    expect(text(byClass(page.root, 'member-card'))).toContain(ME.nickname);
    checkExchanges(server);
    page.close();
  });

  it('coupon wallet: the available coupons are listed, each with its title', async () => {
    const { page, server } = openPage('pages/coupons/index', WEAPP_DIST);
    checkWallet(await renderedList(page, 'coupon-card'));
    checkExchanges(server);
    page.close();
  });

  it('mall: the items are listed with their points cost, and the member balance', async () => {
    const { page, server } = openPage('pages/mall/index', WEAPP_DIST);
    checkMall(await renderedList(page, 'tile'));
    await waitFor('the balance', () => text(byClass(page.root, 'mall-balance')) === ME.points.balance.toLocaleString('en-US'));
    checkExchanges(server);
    page.close();
  });

  it('test of the test: a bundle whose bar ignores the growth fails the check', async () => {
    const dist = bundleWithEdit('bar-full', 'pages/index', (js) => js.replace(PROGRESS_PERCENT, 'percent:100,'));
    const { page } = openPage('pages/index/index', dist);
    await waitFor('the member card', () => byClass(page.root, 'card-points-value'));
    expect((byClass(page.root, 'nut-progress-inner') as HTMLElement).style.width).toBe('100%');
    expect(() => checkMemberCentre(page.root, ME)).toThrow();
    page.close();
  });

  it('test of the test: a bundle without the growth bar fails the check', async () => {
    // The Progress element swapped for nothing: `(0,x.jsx)(Progress,{percent:…})` → `null`.
    const dist = bundleWithEdit('bar-gone', 'pages/index', (js) => js.replace(/\(0,[\w$]+\.jsx\)\([\w$.]+,\{percent:[\w$]+\.percent,[^}]*\}\)/, 'null'));
    const { page } = openPage('pages/index/index', dist);
    await waitFor('the member card', () => byClass(page.root, 'card-points-value'));
    expect(byClass(page.root, 'nut-progress-inner')).toBeNull();
    expect(() => checkMemberCentre(page.root, ME)).toThrow();
    page.close();
  });

  it('test of the test: a card with another growth than the bar shows fails the check', async () => {
    // The page renders ME; the check is held to a card whose growth is one step further on.
    const { page } = openPage('pages/index/index', WEAPP_DIST);
    await waitFor('the member card', () => byClass(page.root, 'card-points-value'));
    const further = memberCardFixture({
      nickname: ME.nickname,
      tierCode: ME.tier.code,
      qualifying: ME.growth.qualifying + 400,
      balance: ME.points.balance,
      couponsAvailable: 2,
      today: ME.today,
    });
    expect(further.growth.percent).not.toBe(ME.growth.percent);
    expect(() => checkMemberCentre(page.root, further)).toThrow();
    page.close();
  });

  it('test of the test: a wallet bundle that lists only the first coupon fails the check', async () => {
    const dist = bundleWithEdit('wallet-first', 'pages/coupons', (js) => js.replace(/\.coupons\.map\(/, '.coupons.slice(0,1).map('));
    const { page } = openPage('pages/coupons/index', dist);
    const cards = await renderedList(page, 'coupon-card');
    expect(cards).toHaveLength(1);
    expect(() => checkWallet(cards)).toThrow();
    page.close();
  });

  it('test of the test: a mall bundle that drops the first item fails the check', async () => {
    // The grid's `children: items.map(function (i) {…})` → `items.slice(1).map(…)`.
    const dist = bundleWithEdit('mall-rest', 'pages/mall', (js) => js.replace(/children:([\w$]+)\.map\(function/, 'children:$1.slice(1).map(function'));
    const { page } = openPage('pages/mall/index', dist);
    const tiles = await renderedList(page, 'tile');
    expect(tiles).toHaveLength(ITEMS.length - 1);
    expect(() => checkMall(tiles)).toThrow();
    page.close();
  });

  it('test of the test: an off-contract fixture is refused, not served', async () => {
    const offContract = { ...ME, points: { balance: '12345', expiring: null } } as unknown as MemberCard;
    const { page, server } = openPage('pages/index/index', WEAPP_DIST, offContract);
    await waitFor('the refusal', () => server.offContract.length > 0);
    expect(server.offContract[0]).toContain('GET /api/v1/me');
    expect(() => checkExchanges(server)).toThrow();
    expect(byClass(page.root, 'card-points-value')).toBeNull();
    page.close();
  });
});

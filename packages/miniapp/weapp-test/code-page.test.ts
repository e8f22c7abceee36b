import { afterAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { parseMemberCode } from '@member/shared/code/member-code';
import { WEAPP_DIST, startPhone, waitFor, type OpenedPage } from './phone';

// The session a phone keeps after login (as services/session.ts stores it): the code page draws
// the member code from it alone, offline, so no server answers here (wx.request finds none).
const SESSION = {
  token: 'offline',
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  registered: true,
  codeSecret: '00112233445566778899aabbccddeeff00112233',
  codeRef: '4821937056',
  periodSeconds: 60,
};

/** The code page's digits, as rendered (by class: data-testid does not reach weapp templates). */
async function renderedDigits(page: OpenedPage): Promise<string> {
  const el = await waitFor('the member code digits', () => page.root.querySelector('[class~="main--digits"]'));
  return el.textContent.replace(/\s+/g, '');
}

/** What the suite demands of the code page: 18 digits that parse as this member's code. */
function checkCode(digits: string): void {
  expect(digits).toMatch(/^\d{18}$/);
  expect(parseMemberCode(digits)?.ref).toBe(SESSION.codeRef);
}

function openCodePage(dist: string): OpenedPage {
  let page: OpenedPage | undefined;
  jest.isolateModules(() => {
    const phone = startPhone({ apiBase: 'http://127.0.0.1:9', loginCode: () => 'unused', dist, storage: { 'mc.session': SESSION } });
    page = phone.open('pages/code/index');
  });
  return page!;
}

const broken = mkdtempSync(path.join(os.tmpdir(), 'weapp-broken-'));
afterAll(() => rmSync(broken, { recursive: true, force: true }));

describe('the weapp code page in miniprogram-simulate', () => {
  it('renders the 18-digit member code from the stored session', async () => {
    const page = openCodePage(WEAPP_DIST);
    checkCode(await renderedDigits(page));
    page.close();
  });

  it('test of the test: a bundle that renders 17 digits fails the check', async () => {
    cpSync(WEAPP_DIST, broken, { recursive: true, filter: (p) => !p.includes(`${path.sep}subpackages`) });
    const file = path.join(broken, 'pages/code/index.js');
    const js = readFileSync(file, 'utf8');
    const edited = js.replace(/"data-code":([\w$]+),children:/, '"data-code":$1,children:$1.slice(1)||');
    expect(edited).not.toBe(js);
    writeFileSync(file, edited);
    const page = openCodePage(broken);
    const digits = await renderedDigits(page);
    expect(digits).toHaveLength(17);
    expect(() => checkCode(digits)).toThrow();
    page.close();
  });
});

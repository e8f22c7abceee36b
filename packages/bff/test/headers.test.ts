import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import request from 'supertest';
import { serveStatic } from '../src/http/static';
import { useTestApp } from './support/test-app';

/**
 * Personal, staff and admin data is never cached (`Cache-Control: no-store`), walked over every
 * operation of the served OpenAPI document with the kind of token it takes; only the public
 * catalogue and rules may be cached. (Every response of every integration test is held to the
 * same rule by the test app; this walk makes sure no route is left out.) Pages the BFF serves
 * carry a Content Security Policy and may not be framed.
 */
const t = useTestApp();

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
}

/** Public operations and the Cache-Control each answers with: only what holds nobody's data may be cached. */
const PUBLIC_CACHE: Partial<Record<string, string>> = {
  'GET /api/v1/rules': 'public, max-age=300',
  'GET /api/v1/mall/items': 'no-cache',
  'GET /api/v1/mall/items/{id}': 'no-cache',
  // Sign-ins answer with a token.
  'POST /api/v1/auth/wechat': 'no-store',
  'POST /api/v1/auth/dev': 'no-store',
  'POST /api/v1/staff/sessions': 'no-store',
};

const FAKE_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('Cache-Control', () => {
  it('is no-store on every response of every member, staff and admin operation; public ones are as listed', async () => {
    const member = await t.member();
    const manager = await t.staff('manager');
    const admin = await t.staff('admin');
    const item = await t.adminItem(admin.auth, {});
    const tokens: Record<string, Record<string, string>> = { memberToken: member.auth, staffToken: manager.auth, adminToken: admin.auth };
    const doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };

    const seen: Record<string, number> = {};
    const wrong: string[] = [];
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path: p, op })));
    // Erasing the account goes last: the member's token stops working after it.
    operations.sort((a, b) => Number(a.method === 'delete' && a.path === '/api/v1/me') - Number(b.method === 'delete' && b.path === '/api/v1/me'));
    for (const { method, path: p, op } of operations) {
      const name = `${method.toUpperCase()} ${p}`;
      const scheme = Object.keys(op.security?.[0] ?? {})[0];
      const url = p.replace('{id}', p.startsWith('/api/v1/mall/items') ? item.id : FAKE_ID).replace('{pickupCode}', '0000000000');
      let req = t.http[method as 'get' | 'post' | 'patch' | 'delete'](url);
      if (scheme) req = req.set(tokens[scheme]);
      const res = method === 'get' || method === 'delete' ? await req : await req.send({});
      seen[name] = res.status;
      const expected: string | undefined = scheme ? 'no-store' : res.status >= 400 ? 'no-store' : PUBLIC_CACHE[name];
      if (expected === undefined) wrong.push(`${name}: a public operation missing from PUBLIC_CACHE`);
      else if (res.headers['cache-control'] !== expected)
        wrong.push(`${name} → ${res.status}: Cache-Control ${res.headers['cache-control'] ?? '(none)'}, expected ${expected}`);
    }
    expect(wrong).toEqual([]);
    expect(Object.keys(seen).length).toBeGreaterThan(30);
    // Reads with a caller answered with their data, not only errors: the success path was walked too.
    expect(seen).toMatchObject({
      'GET /api/v1/me': 200,
      'GET /api/v1/me/export': 200,
      'GET /api/v1/admin/audit-log': 200,
      'GET /api/v1/me/coupons': 200,
      // A file, not JSON: the invite poster's mini-program code.
      'GET /api/v1/me/invitation/qrcode': 200,
      'DELETE /api/v1/me': 200,
    });
  });
});

const inlineHash = (html: string, tag: string) => {
  const body = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)?.[1] ?? '';
  return `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
};

describe('pages', () => {
  it('/docs may not be framed, and runs only its own inline script and style (by hash) and fetches only from this origin', async () => {
    const res = await t.http.get('/docs').expect(200);
    expect(res.headers['x-frame-options']).toBe('DENY');
    const csp = res.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`script-src ${inlineHash(res.text, 'script')}`);
    expect(csp).toContain(`style-src ${inlineHash(res.text, 'style')}`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('the H5 pages may not be framed and load scripts only from this origin', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'h5-'));
    try {
      // As Taro builds it: a few inline lines that size the root font, then the bundles.
      const html = '<!doctype html><script>document.documentElement.style.fontSize="20px"</script><script defer="defer" src="/js/app.js"></script>';
      writeFileSync(path.join(dir, 'index.html'), html);
      writeFileSync(path.join(dir, 'app.js'), 'console.log(1)');
      const app = new Koa();
      app.use(serveStatic(dir));
      const script = await request(app.callback()).get('/app.js').expect(200);
      expect(script.headers['content-security-policy']).toMatch(/script-src 'self';/);
      for (const url of ['/', '/index.html']) {
        const res = await request(app.callback()).get(url).expect(200);
        expect(res.text).toBe(html);
        expect(res.headers['x-frame-options']).toBe('DENY');
        const csp = res.headers['content-security-policy'] ?? '';
        // Its own inline script by hash, nothing inline else.
        expect(csp).toContain(`script-src 'self' ${inlineHash(html, 'script')};`);
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("connect-src 'self'");
        expect(csp).toContain('img-src');
        expect(csp).toMatch(/img-src[^;]*data:/);
        expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

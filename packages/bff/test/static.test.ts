import { get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import request from 'supertest';
import { serveStatic } from '../src/http/static';

/**
 * A phone on a slow network loads the H5 app from the BFF: its scripts go compressed (brotli or gzip,
 * as the browser says it accepts), hashed bundles are kept for a year, the page itself is revalidated
 * so a new build shows at once, and a revisit costs a 304 instead of the bytes.
 */
let dir: string;
let http: ReturnType<typeof request>;

// Text that compresses, as minified bundles do; large enough to be worth compressing.
const bundle = `!function(){${Array.from({ length: 2000 }, (_, i) => `var a${i}=${i};`).join('')}}();`;
const html = `<!doctype html><script>document.documentElement.style.fontSize="20px"</script><script defer="defer" src="/js/app.8166c684.js"></script>${'<!-- -->'.repeat(200)}`;

let server: Server;

/** GETs the raw bytes of an answer as a browser receives them (supertest would decompress them for us). */
function raw(url: string, acceptEncoding: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: url, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'h5-static-'));
  mkdirSync(path.join(dir, 'js'));
  mkdirSync(path.join(dir, 'css'));
  writeFileSync(path.join(dir, 'index.html'), html);
  writeFileSync(path.join(dir, 'js/app.8166c684.js'), bundle);
  writeFileSync(path.join(dir, 'css/app.8166c684251a5f248420.css'), `.a{color:red}`.repeat(300));
  writeFileSync(path.join(dir, 'js/small.1234abcd.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'logo.png'), Buffer.alloc(4096, 7));
  writeFileSync(path.join(dir, 'plain.js'), bundle);
  const app = new Koa();
  app.use(serveStatic(dir));
  http = request(app.callback());
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
});

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('compression', () => {
  it('sends brotli to a browser that accepts it, with the compressed length, and it decodes to the file', async () => {
    const res = await raw('/js/app.8166c684.js', 'gzip, deflate, br');
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
    const body = res.body;
    expect(Number(res.headers['content-length'])).toBe(body.length);
    expect(body.length).toBeLessThan(bundle.length / 4);
    expect(brotliDecompressSync(body).toString()).toBe(bundle);
  });

  it('prefers brotli to gzip when the browser accepts both, in whatever order it lists them', async () => {
    for (const accept of ['gzip, deflate, br, zstd', 'br, gzip', 'gzip;q=1.0, br;q=0.8']) {
      expect((await raw('/js/app.8166c684.js', accept)).headers['content-encoding']).toBe('br');
    }
  });

  it('sends gzip to a browser without brotli, and honours q=0', async () => {
    for (const accept of ['gzip, deflate', 'br;q=0, gzip;q=0.9', '*;q=0.5, br;q=0']) {
      const res = await raw('/css/app.8166c684251a5f248420.css', accept);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(gunzipSync(res.body).toString()).toBe(`.a{color:red}`.repeat(300));
    }
  });

  it('sends the file as it is when the browser accepts no compression', async () => {
    for (const accept of ['', 'identity', 'br;q=0, gzip;q=0']) {
      const res = await raw('/js/app.8166c684.js', accept);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
      expect(Number(res.headers['content-length'])).toBe(bundle.length);
      expect(res.body.toString()).toBe(bundle);
    }
  });

  it('compresses the page too, which keeps its security headers', async () => {
    const res = await raw('/', 'br');
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.body).toString()).toBe(html);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-[^']+';/);
  });

  it('does not compress tiny files or pictures', async () => {
    for (const url of ['/js/small.1234abcd.js', '/logo.png']) {
      const res = await raw(url, 'gzip, br');
      expect(res.headers['content-encoding']).toBeUndefined();
    }
  });

  it("uses the build's precompressed .br file when it is fresh, and ignores it once the file is newer", async () => {
    const file = path.join(dir, 'js/pre.0badc0de.js');
    writeFileSync(file, bundle);
    const marker = brotliCompressSync(Buffer.from('/* precompressed */'));
    writeFileSync(`${file}.br`, marker);
    const pre = await raw('/js/pre.0badc0de.js', 'br');
    expect(brotliDecompressSync(pre.body).toString()).toBe('/* precompressed */');

    // A rebuild wrote the file again after its .br: the stale .br is not served.
    const later = new Date(Date.now() + 60_000);
    writeFileSync(file, `${bundle}//v2`);
    utimesSync(file, later, later);
    const fresh = await raw('/js/pre.0badc0de.js', 'br');
    expect(brotliDecompressSync(fresh.body).toString()).toBe(`${bundle}//v2`);
  });
});

describe('caching', () => {
  it('keeps hashed bundles for a year, revalidates the page, and keeps other files an hour', async () => {
    expect((await http.get('/js/app.8166c684.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await http.get('/css/app.8166c684251a5f248420.css')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await http.get('/')).headers['cache-control']).toBe('no-cache');
    expect((await http.get('/index.html')).headers['cache-control']).toBe('no-cache');
    expect((await http.get('/plain.js')).headers['cache-control']).toBe('public, max-age=3600');
  });

  it('answers a revisit with 304 by ETag or Last-Modified, per encoding', async () => {
    const first = await http.get('/').set('Accept-Encoding', 'br').expect(200);
    const etag = first.headers['etag'];
    expect(etag).toMatch(/^W\/".+-br"$/);
    expect(first.headers['last-modified']).toBeDefined();
    const again = await http.get('/').set('Accept-Encoding', 'br').set('If-None-Match', etag).expect(304);
    expect(again.text).toBeFalsy();
    // The brotli ETag does not match the gzip representation.
    await http.get('/').set('Accept-Encoding', 'gzip').set('If-None-Match', etag).expect(200);
    await http.get('/logo.png').set('If-Modified-Since', first.headers['last-modified']).expect(304);
    const png = await http.get('/logo.png').expect(200);
    await http.get('/logo.png').set('If-None-Match', png.headers['etag']).expect(304);
  });

  it('HEAD gives the headers of GET without a body', async () => {
    const res = await http.head('/js/app.8166c684.js').set('Accept-Encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
  });
});

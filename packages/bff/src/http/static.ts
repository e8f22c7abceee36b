import { createReadStream, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { Context, Middleware, Next } from 'koa';
import { H5_POLICY, h5Policy, setPageHeaders } from './security-headers';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** Text worth compressing; pictures and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.txt', '.svg', '.ttf']);
/** Below this a compressed body saves less than the headers it costs. */
const MIN_COMPRESS_BYTES = 1024;

/**
 * A build file whose name carries a content hash (`app.8166c684.js`, `820.44eba2236162b37f9049.css`):
 * its content never changes under that name, so browsers may keep it for a year without asking.
 */
export const HASHED_NAME = /[.-][0-9a-f]{8,}\.[a-z0-9]+$/i;

export const IMMUTABLE = 'public, max-age=31536000, immutable';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

type Encoding = 'br' | 'gzip';

interface Cached {
  mtimeMs: number;
  size: number;
  body: Buffer;
  /** Compressed bodies, made once: read from the build's `.br`/`.gz` files when fresh, else compressed here. */
  encoded: Partial<Record<Encoding, Promise<Buffer>>>;
  /** HTML only: the page's Content Security Policy (its inline scripts by hash). */
  policy?: string;
}

const files = new Map<string, Cached>();

/** A text file, read again only when it changes. */
function cachedOf(file: string, st: Stats): Cached {
  const hit = files.get(file);
  if (hit?.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
  const body = readFileSync(file);
  const entry: Cached = { mtimeMs: st.mtimeMs, size: st.size, body, encoded: {} };
  if (path.extname(file) === '.html') entry.policy = h5Policy(body.toString('utf8'));
  files.set(file, entry);
  return entry;
}

/**
 * The body in one encoding. A sibling `file.br`/`file.gz` written by the build at the highest level
 * (`packages/miniapp/scripts/compress-h5.mjs`) is used when it is at least as new as the file;
 * otherwise the file is compressed once, off the event loop, at a level that takes milliseconds
 * (brotli 5, gzip 6: ≈ 10 ms for the 240 KB app bundle, where brotli 11 takes ≈ 600 ms).
 */
function encodedOf(file: string, entry: Cached, encoding: Encoding): Promise<Buffer> {
  const existing = entry.encoded[encoding];
  if (existing) return existing;
  const made = (async () => {
    const sibling = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
    try {
      if (statSync(sibling).mtimeMs >= entry.mtimeMs) return readFileSync(sibling);
    } catch {
      // No precompressed file: compress here.
    }
    return encoding === 'br'
      ? brotliAsync(entry.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: entry.size } })
      : gzipAsync(entry.body, { level: 6 });
  })();
  entry.encoded[encoding] = made;
  // A failure is not cached: the next request tries again.
  made.catch(() => {
    entry.encoded[encoding] = undefined;
  });
  return made;
}

/** Hands the request on: downstream resolves to nothing this middleware uses (Koa types it `any`). */
async function pass(next: Next): Promise<void> {
  await next();
}

/**
 * The encoding to answer with, by the request's Accept-Encoding: brotli whenever it is accepted
 * (q > 0; it is the smaller, and browsers list it after gzip with the same weight), else gzip, else none.
 */
function negotiate(ctx: Context): Encoding | null {
  if (ctx.acceptsEncodings('br') === 'br') return 'br';
  if (ctx.acceptsEncodings('gzip') === 'gzip') return 'gzip';
  return null;
}

/**
 * Serves the built H5 app for `pnpm start` (one process for BFF and app). Only GET/HEAD of files
 * inside `root`; API paths never reach here because the router answers them first.
 *
 * Text files go out brotli- or gzip-compressed as the browser accepts (`Vary: Accept-Encoding`);
 * files whose names carry a content hash are cached for a year (`immutable`), `index.html` is
 * revalidated on every load (`no-cache`), so a new build is picked up at once. Every answer has a
 * weak ETag and Last-Modified, and a matching conditional request gets 304.
 */
export function serveStatic(root: string, prefix = ''): Middleware {
  const base = path.resolve(root);
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path.startsWith('/api/')) return pass(next);
    if (prefix && !ctx.path.startsWith(`${prefix}/`)) return pass(next);
    const sub = prefix ? ctx.path.slice(prefix.length) : ctx.path;
    let rel: string;
    try {
      rel = decodeURIComponent(sub === '/' ? '/index.html' : sub);
    } catch {
      return pass(next);
    }
    const file = path.resolve(base, `.${rel}`);
    if (!file.startsWith(base + path.sep)) return pass(next);
    let st: Stats;
    try {
      st = statSync(file);
    } catch {
      return pass(next);
    }
    if (!st.isFile()) return pass(next);
    const ext = path.extname(file);
    const html = ext === '.html';
    ctx.status = 200;
    ctx.type = TYPES[ext] ?? 'application/octet-stream';
    ctx.set('Cache-Control', html ? 'no-cache' : HASHED_NAME.test(file) ? IMMUTABLE : 'public, max-age=3600');
    ctx.lastModified = st.mtime;

    if (!COMPRESSIBLE.has(ext) || st.size < MIN_COMPRESS_BYTES) {
      const entry = html ? cachedOf(file, st) : null;
      setPageHeaders(ctx, entry?.policy ?? H5_POLICY);
      ctx.etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
      if (ctx.fresh) {
        ctx.status = 304;
        return;
      }
      ctx.length = st.size;
      ctx.body = entry ? entry.body : createReadStream(file);
      return;
    }

    const entry = cachedOf(file, st);
    setPageHeaders(ctx, entry.policy ?? H5_POLICY);
    ctx.vary('Accept-Encoding');
    const encoding = negotiate(ctx);
    // One ETag per representation: a cache must not answer a gzip request with the brotli bytes.
    ctx.etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    const body = encoding ? await encodedOf(file, entry, encoding) : entry.body;
    if (encoding) ctx.set('Content-Encoding', encoding);
    ctx.length = body.length;
    ctx.body = body;
  };
}

import { createReadStream, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Middleware, Next } from 'koa';
import { H5_POLICY, h5Policy, setPageHeaders } from './security-headers';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

const pages = new Map<string, { mtimeMs: number; body: Buffer; policy: string }>();

/** An HTML file and its Content Security Policy, read again only when the file changes. */
function htmlOf(file: string, st: Stats): { body: Buffer; policy: string } {
  const cached = pages.get(file);
  if (cached?.mtimeMs === st.mtimeMs) return cached;
  const body = readFileSync(file);
  const page = { mtimeMs: st.mtimeMs, body, policy: h5Policy(body.toString('utf8')) };
  pages.set(file, page);
  return page;
}

/** Hands the request on: downstream resolves to nothing this middleware uses (Koa types it `any`). */
async function pass(next: Next): Promise<void> {
  await next();
}

/**
 * Serves the built H5 app for `pnpm start` (one process for BFF and app). Only GET/HEAD of files
 * inside `root`; API paths never reach here because the router answers them first.
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
    ctx.status = 200;
    ctx.type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    ctx.set('Cache-Control', rel === '/index.html' ? 'no-cache' : 'public, max-age=3600');
    if (path.extname(file) === '.html') {
      // A page: its policy allows its own inline scripts by hash, so it is read whole (pages are small).
      const page = htmlOf(file, st);
      setPageHeaders(ctx, page.policy);
      ctx.length = page.body.length;
      ctx.body = page.body;
      return;
    }
    setPageHeaders(ctx, H5_POLICY);
    ctx.length = st.size;
    ctx.body = createReadStream(file);
  };
}

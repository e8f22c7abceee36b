import { createReadStream, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Middleware, Next } from 'koa';

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
    const size = st.size;
    ctx.status = 200;
    ctx.type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    ctx.length = size;
    ctx.set('Cache-Control', rel === '/index.html' ? 'no-cache' : 'public, max-age=3600');
    ctx.body = createReadStream(file);
  };
}

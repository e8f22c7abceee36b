import { createHash } from 'node:crypto';
import type { Context } from 'koa';

/**
 * Headers for the HTML pages the BFF serves (`/docs` and the H5 app): no page of ours may be
 * framed (clickjacking: `X-Frame-Options: DENY` and `frame-ancestors 'none'`), and a Content
 * Security Policy limits what a page loads to what it needs.
 */
export function setPageHeaders(ctx: Context, csp: string): void {
  ctx.set('Content-Security-Policy', csp);
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'same-origin');
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Hashes of a page's inline `<script>` or `<style>` blocks (those without attributes), as CSP sources. */
const inlineBlocks = (html: string, tag: 'script' | 'style') => [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => sha256(m[1]));

/**
 * The policy of a self-contained page whose inline `<script>` and `<style>` blocks are allowed
 * by their hashes (never 'unsafe-inline'), which fetches only from this origin.
 */
export function hashedPagePolicy(html: string): string {
  const blocks = (tag: 'script' | 'style') => inlineBlocks(html, tag);
  return [
    "default-src 'none'",
    `script-src ${blocks('script').join(' ') || "'none'"}`,
    `style-src ${blocks('style').join(' ') || "'none'"}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const H5_REST = [
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/**
 * The H5 app's policy for one of its pages. Scripts from this origin, plus the page's own inline
 * scripts by hash (Taro's build inlines the few lines that size the root font); styles also
 * inline, since Taro's components and React set style attributes; pictures from this origin,
 * `data:` and `blob:` (member and pickup QR codes are drawn as data URLs) and `https:` (mall
 * items may show an https picture); API calls to this origin, where the BFF serves the app.
 */
export function h5Policy(html: string): string {
  return ["default-src 'self'", `script-src 'self' ${inlineBlocks(html, 'script').join(' ')}`.trim(), ...H5_REST].join('; ');
}

/** The H5 policy for what is not a page (scripts, styles, pictures): no inline script at all. */
export const H5_POLICY = ["default-src 'self'", "script-src 'self'", ...H5_REST].join('; ');

// Renders the tab-bar icons (WeChat needs PNG files) from inline SVG with Debian's Chromium.
// Run again after changing a drawing: node scripts/render-tab-icons.mjs
import path from 'node:path';
import { chromium } from 'playwright-core';

const out = path.resolve(import.meta.dirname, '../src/assets/tab');
const colors = { normal: '#8a8f98', active: '#c9962c' };
const icons = {
  // A member card with a chip and a line of text.
  member: (c) => `<rect x="10" y="20" width="61" height="42" rx="7" fill="none" stroke="${c}" stroke-width="5"/>
    <rect x="18" y="30" width="14" height="10" rx="2" fill="${c}"/><rect x="18" y="48" width="34" height="5" rx="2.5" fill="${c}"/>`,
  // A QR code: three finder squares and a few modules.
  code: (
    c,
  ) => `<g fill="none" stroke="${c}" stroke-width="5"><rect x="13" y="13" width="21" height="21" rx="3"/><rect x="47" y="13" width="21" height="21" rx="3"/><rect x="13" y="47" width="21" height="21" rx="3"/></g>
    <g fill="${c}"><rect x="48" y="48" width="8" height="8"/><rect x="60" y="60" width="8" height="8"/><rect x="60" y="48" width="8" height="8"/><rect x="48" y="60" width="8" height="8"/></g>`,
  // A coupon: a ticket with notches and a dashed tear line.
  coupon: (c) => `<path d="M10 24h61v12a6 6 0 0 0 0 12v12H10V48a6 6 0 0 0 0-12z" fill="none" stroke="${c}" stroke-width="5" stroke-linejoin="round"/>
    <path d="M48 27v30" stroke="${c}" stroke-width="4" stroke-dasharray="5 4"/>`,
  // The mall: a gift box with a bow.
  mall: (c) => `<rect x="14" y="34" width="53" height="36" rx="4" fill="none" stroke="${c}" stroke-width="5"/>
    <rect x="10" y="24" width="61" height="12" rx="3" fill="${c}"/><path d="M40.5 24v46" stroke="${c}" stroke-width="5"/>
    <path d="M40 24c-6-12-20-12-18-3 2 5 12 3 18 3zM41 24c6-12 20-12 18-3-2 5-12 3-18 3z" fill="none" stroke="${c}" stroke-width="4"/>`,
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 81, height: 81 } });
for (const [name, draw] of Object.entries(icons)) {
  for (const [state, color] of Object.entries(colors)) {
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><svg xmlns="http://www.w3.org/2000/svg" width="81" height="81" viewBox="0 0 81 81">${draw(color)}</svg></body></html>`,
    );
    await page.screenshot({ path: path.join(out, `${name}-${state}.png`), omitBackground: true });
  }
}
await browser.close();
console.log(`tab icons written to ${out}`);

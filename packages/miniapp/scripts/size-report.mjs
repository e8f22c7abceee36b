// Prints the size of the weapp build: the main package (everything outside subpackages) and each
// subpackage, against WeChat's 2 MB hard limit and our 1.5 MB budget for the main package.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../dist/weapp');
const app = JSON.parse(readFileSync(path.join(root, 'app.json'), 'utf8'));
const subRoots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, ''));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [[path.relative(root, p), statSync(p).size]];
  });
}

const totals = new Map([['main', 0]]);
for (const [rel, size] of walk(root)) {
  const sub = subRoots.find((r) => rel === r || rel.startsWith(`${r}/`));
  totals.set(sub ?? 'main', (totals.get(sub ?? 'main') ?? 0) + size);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const BUDGET = 1.5 * 1024 * 1024;
for (const [name, size] of totals) console.log(`weapp ${name === 'main' ? 'main package' : `subpackage ${name}`}: ${kb(size)}`);
const main = totals.get('main');
console.log(`weapp main package budget: ${kb(main)} of ${kb(BUDGET)} (WeChat limit 2048 KB)`);
if (main > BUDGET) {
  console.error('weapp main package is over the 1.5 MB budget');
  process.exit(1);
}

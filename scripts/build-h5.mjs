// Builds the H5 app unless the build in packages/miniapp/dist/h5 was made from the same sources: a
// fingerprint of every input (the mini-program's sources and config, @member/shared, the repository's
// config, the lockfile, the TARO_APP_* environment) is kept beside the build and compared first.
// `pnpm start` calls this, so a second start takes seconds instead of a minute. FORCE_BUILD=1 rebuilds.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'packages/miniapp/dist/h5');
const stampFile = path.join(out, '.build-inputs');
const SKIP = new Set(['node_modules', 'dist', 'e2e', 'bench', '.swc', 'coverage', 'test']);
const inputs = ['packages/miniapp', 'packages/shared', 'config', 'pnpm-lock.yaml'];

function walk(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return [p];
  return readdirSync(p)
    .filter((name) => !SKIP.has(name) && !/\.test\.tsx?$/.test(name))
    .sort()
    .flatMap((name) => walk(path.join(p, name)));
}

const hash = createHash('sha256');
for (const file of inputs.flatMap((p) => walk(path.join(root, p)))) {
  hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
}
const env = Object.entries(process.env).filter(([k]) => k.startsWith('TARO_APP_') || k === 'NODE_ENV');
hash.update(JSON.stringify(env.sort()));
const fingerprint = hash.digest('hex');

if (!process.env.FORCE_BUILD && existsSync(path.join(out, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === fingerprint) {
  console.log('H5 app: up to date, not rebuilt (FORCE_BUILD=1 pnpm start rebuilds)');
  process.exit(0);
}
console.log('H5 app: sources changed or never built, building (about a minute, less with the build cache)…');
const started = Date.now();
const r = spawnSync('pnpm', ['--filter', '@member/miniapp', 'build:h5'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(stampFile, fingerprint);
console.log(`H5 app built in ${((Date.now() - started) / 1000).toFixed(0)} s`);

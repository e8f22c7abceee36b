// Runs the browser tests; the H5 build must exist (pnpm build:h5), and so must the BFF build.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const here = import.meta.dirname;
for (const f of ['../dist/h5/index.html', '../../bff/dist/main.js']) {
  if (!existsSync(path.join(here, f))) {
    console.error(`missing ${f}: run \`pnpm build\` first`);
    process.exit(1);
  }
}
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const r = spawnSync(process.execPath, [jest, '-c', path.join(here, 'jest.config.js')], { stdio: 'inherit' });
process.exit(r.status ?? 1);

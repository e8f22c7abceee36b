// `pnpm test`: every test of the project, in the order a failure is cheapest to read:
// types, lint, shared rules, BFF integration (MariaDB + SQLite), crash suites, the same under Node 22 and 24, mini-program units,
// weapp build size and runtime check, the weapp pages in WeChat's test harness,
// then the browser tests over the H5 build against a real BFF. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const summaryDir = mkdtempSync(path.join(os.tmpdir(), 'mc-test-'));
const env = { ...process.env, TEST_SUMMARY_DIR: summaryDir };

function run(title, cmd, args, cwd = root) {
  console.log(`\n━━ ${title} ━━`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`\n✖ ${title} failed`);
    finish(1);
  }
}

function finish(code) {
  let passed = 0;
  let failed = 0;
  for (const f of readdirSync(summaryDir)) {
    const s = JSON.parse(readFileSync(path.join(summaryDir, f), 'utf8'));
    passed += s.passed;
    failed += s.failed;
  }
  if (code !== 0 && failed === 0) failed = 1;
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
  process.exit(code);
}

run('prepare the test environment', 'bash', ['scripts/prepare-test-env.sh']);
run('typecheck and build the BFF', 'pnpm', ['typecheck']);
run('lint (ESLint and Prettier)', 'pnpm', ['lint']);
run('shared rules', 'pnpm', ['--filter', '@member/shared', 'test']);
run('BFF integration (MariaDB and SQLite)', 'pnpm', ['--filter', '@member/bff', 'test']);
run('crash suites (the compiled BFF and a MariaDB of their own SIGKILLed under load)', 'pnpm', ['test:soak']);
run('Node 22 and 24 (shared rules, BFF on MariaDB, the compiled BFF, SQLite driver)', 'pnpm', ['test:node-versions']);
run('mini-program units', 'pnpm', ['--filter', '@member/miniapp', 'test']);
run('weapp build, size and runtime check', 'pnpm', ['--filter', '@member/miniapp', 'build:weapp']);
run("weapp pages in WeChat's test harness (miniprogram-simulate)", 'pnpm', ['--filter', '@member/miniapp', 'test:weapp']);
run('H5 build', 'pnpm', ['--filter', '@member/miniapp', 'build:h5']);
run('browser tests (H5 in Chromium against a real BFF)', 'pnpm', ['--filter', '@member/miniapp', 'e2e']);
finish(0);

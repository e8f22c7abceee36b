// Lints the OpenAPI document the BFF serves with Redocly's recommended rules (the engine of
// `@redocly/cli lint`): starts the compiled BFF on a scratch SQLite database, fetches
// /api/v1/openapi.json, and fails on any error, and on any operation without an operationId.
// Run after `tsc -b` (pnpm lint does both).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';

const here = import.meta.dirname;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function servedDocument() {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'openapi-lint-'));
  const env = { ...process.env, NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DB_URL;
  delete env.STATIC_DIR;
  delete env.REDIS_URL;
  const bff = spawn(process.execPath, [path.join(here, '../dist/main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (bff.exitCode !== null) throw new Error(`the BFF exited with ${bff.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`);
        if (res.ok) return await res.text();
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('the BFF did not answer within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    bff.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const source = await servedDocument();
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
const errors = problems.filter((p) => p.severity === 'error');
const warnings = problems.filter((p) => p.severity === 'warn');
for (const p of [...errors, ...warnings]) {
  const where = p.location?.[0]?.pointer ?? '';
  console.log(`${p.severity.padEnd(5)} ${p.ruleId}: ${p.message} ${where}`);
}

const doc = JSON.parse(source);
const missing = [];
let operations = 0;
for (const [p, item] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(item)) {
    operations++;
    if (!op.operationId) missing.push(`${method.toUpperCase()} ${p}`);
  }
}
for (const m of missing) console.log(`error operationId missing: ${m}`);
console.log(`openapi lint (Redocly recommended): ${operations} operations, ${errors.length + missing.length} errors, ${warnings.length} warnings`);
process.exit(errors.length + missing.length > 0 ? 1 : 0);

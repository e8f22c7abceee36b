// `pnpm dev`: the BFF with reload (tsx watch) and the H5 app rebuilt on change, served by Taro's
// dev server on :10086 with /api proxied to the BFF on :3000.
import { spawn } from 'node:child_process';

const procs = [
  spawn('pnpm', ['--filter', '@member/bff', 'dev'], { stdio: 'inherit' }),
  spawn('pnpm', ['--filter', '@member/miniapp', 'dev:h5'], { stdio: 'inherit' }),
];
const stop = () => procs.forEach((p) => p.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const p of procs) p.on('exit', (code) => code && stop());

// `pnpm start`: the BFF on the embedded SQLite database, serving the built H5 mini-program at /.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const { bffNodeFlags } = await import(pathToFileURL(path.join(root, 'packages/bff/dist/process-flags.js')).href);
const port = process.env.PORT ?? '3000';
const host = process.env.HOST ?? '127.0.0.1';
const child = spawn(process.execPath, [...bffNodeFlags(), path.join(root, 'packages/bff/dist/main.js')], {
  stdio: 'inherit',
  env: { ...process.env, PORT: port, HOST: host, STATIC_DIR: path.join(root, 'packages/miniapp/dist/h5') },
});
console.log(`\nMember Center: open http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/ (H5 app), API docs at /docs\n`);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));

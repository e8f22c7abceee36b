import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { bffNodeFlags } from '../../src/process-flags';

/**
 * Processes the crash suites start and kill: the compiled BFF (`node dist/main.js`, as `pnpm start`
 * runs it) and a MariaDB server of their own (never the shared one), each by its pid.
 */

const BFF_ROOT = path.resolve(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunningProcess {
  child: ChildProcess;
  output: string[];
  exited: Promise<void>;
}

function track(child: ChildProcess): RunningProcess {
  const output: string[] = [];
  child.stdout?.on('data', (b: Buffer) => output.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => output.push(b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output, exited };
}

/** Builds the BFF from these sources (quick when up to date), so the processes run this code. */
export function buildBff(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b'], { cwd: BFF_ROOT, stdio: 'pipe' });
}

/** Starts `node dist/main.js` on `port` and waits until `/readyz` answers 200. */
export async function startBff(env: Record<string, string>, port: number): Promise<RunningProcess & { url: string }> {
  const child = spawn(process.execPath, [...bffNodeFlags(), path.join(BFF_ROOT, 'dist/main.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p = track(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 300 || child.exitCode !== null) throw new Error(`the BFF did not become ready:\n${p.output.join('')}`);
    await sleep(100);
  }
  return { ...p, url };
}

/** SIGKILL: no shutdown hook runs, whatever was in flight is cut off. */
export async function kill(p: RunningProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGKILL');
  await p.exited;
}

/** A stop that lets the process finish (for clean-up). */
export async function stop(p: RunningProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  await Promise.race([p.exited, sleep(10_000)]);
  await kill(p);
}

export interface ScratchMariadb {
  /** Known once the server first started (a free port is chosen then and kept for restarts). */
  readonly url: string;
  start(extraArgs?: string[]): Promise<RunningProcess>;
}

/** A TCP port nobody listens on now (the OS picks it), so parallel runs on one machine never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A MariaDB server of the suite's own on a free port, its data under `datadir` (created on first use),
 * so killing it disturbs nobody. Grant tables are skipped: root needs no password on this scratch
 * server, which listens on loopback only.
 */
export function scratchMariadb(opts: { datadir: string; socket: string }): ScratchMariadb {
  let port = 0;
  return {
    get url() {
      if (!port) throw new Error('the scratch MariaDB has not started yet');
      return `mysql://root@127.0.0.1:${port}`;
    },
    async start(extraArgs: string[] = []) {
      port ||= await freePort();
      const url = `mysql://root@127.0.0.1:${port}`;
      if (!existsSync(path.join(opts.datadir, 'mysql'))) {
        mkdirSync(opts.datadir, { recursive: true });
        execFileSync(
          'mariadb-install-db',
          ['--no-defaults', `--datadir=${opts.datadir}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'],
          {
            stdio: 'pipe',
          },
        );
      }
      const child = spawn(
        'mariadbd',
        [
          '--no-defaults',
          `--datadir=${opts.datadir}`,
          `--port=${port}`,
          `--socket=${opts.socket}`,
          '--bind-address=127.0.0.1',
          '--user=root',
          '--skip-grant-tables',
          '--skip-log-bin',
          '--innodb-buffer-pool-size=64M',
          `--pid-file=${opts.datadir}/mariadbd.pid`,
          ...extraArgs,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const p = track(child);
      for (let i = 0; ; i++) {
        try {
          const c = await mysql.createConnection(url);
          await c.end();
          break;
        } catch {
          /* starting */
        }
        if (i > 300 || child.exitCode !== null) throw new Error(`mariadbd did not start:\n${p.output.join('')}`);
        await sleep(100);
      }
      return p;
    },
  };
}

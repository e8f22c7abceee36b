import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';

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
  const child = spawn(process.execPath, [path.join(BFF_ROOT, 'dist/main.js')], {
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
  port: number;
  url: string;
  start(extraArgs?: string[]): Promise<RunningProcess>;
}

/**
 * A MariaDB server of the suite's own on `port`, its data under `datadir` (created on first use),
 * so killing it disturbs nobody. Grant tables are skipped: root needs no password on this scratch
 * server, which listens on loopback only.
 */
export function scratchMariadb(opts: { port: number; datadir: string; socket: string }): ScratchMariadb {
  const url = `mysql://root@127.0.0.1:${opts.port}`;
  return {
    port: opts.port,
    url,
    async start(extraArgs: string[] = []) {
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
          `--port=${opts.port}`,
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

/**
 * What the bench's parts share: starting the measured processes (bench/servers.ts, compiled) and
 * putting load on them with autocannon.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { bffNodeFlags } from '../dist/process-flags';

export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

export interface Measured {
  rps: number;
  p99: number;
  errors: number;
}

export function start(mode: 'bff' | 'bare', env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  // Compiled JavaScript with the BFF's Node flags, as it runs in production (a TypeScript loader alone adds ≈ 60 MB of RSS).
  const child = fork(path.join(__dirname, '../dist-bench/servers.js'), [mode], {
    execArgv: mode === 'bff' ? bffNodeFlags() : [],
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: (m as { url: string }).url }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${String(code)}`)));
  });
}

export function stop(children: ChildProcess[]): Promise<unknown> {
  for (const c of children) c.kill('SIGTERM');
  return Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
}

export function rssOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve((m as { rss: number }).rss));
    child.send({ cmd: 'rss' });
  });
}

export async function load(
  url: string,
  opts: { method?: 'GET' | 'POST'; tokens?: string[]; body?: () => string; seconds: number; maxRequests?: number; connections?: number },
): Promise<Measured> {
  let i = 0;
  const result = await autocannon({
    url,
    method: opts.method ?? 'GET',
    connections: opts.connections ?? CONNECTIONS,
    duration: opts.seconds,
    ...(opts.maxRequests ? { amount: opts.maxRequests } : {}),
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          ...(opts.body ? { body: opts.body() } : {}),
          headers: { ...req.headers, ...(opts.tokens ? { authorization: `Bearer ${opts.tokens[i++ % opts.tokens.length]}` } : {}) },
        }),
      },
    ],
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

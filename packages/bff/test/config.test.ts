import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, REPO_ROOT } from '../src/config/config';

const key = 'ab'.repeat(32);
const secrets = { APP_SECRET: 'x'.repeat(40), DATA_KEY: key };

describe('loadConfig', () => {
  it('loads the shipped configuration with the embedded database by default', () => {
    const c = loadConfig({ ...secrets });
    expect(c.dbUrl).toBeNull();
    expect(c.sqlitePath).toBe(path.join(REPO_ROOT, '.data', 'member-center.sqlite'));
    expect(c.devLogin).toBe(true);
    expect(c.loyalty.tiers).toHaveLength(4);
  });

  it('names every bad environment variable in one readable error', () => {
    expect(() => loadConfig({ PORT: 'eighty', DB_URL: 'postgres://x', DATA_KEY: 'short', APP_SECRET: 'tiny' })).toThrow(
      /Invalid environment:\n {2}- PORT: .*\n {2}- DB_URL: DB_URL must be a mysql:\/\/ \(or mariadb:\/\/\) URL\n {2}- APP_SECRET: APP_SECRET must be at least 32 characters\n {2}- DATA_KEY: must be 64 hex/,
    );
  });

  it('requires real secrets, a database and WeChat credentials in production, and never enables dev login there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /APP_SECRET: required in production[\s\S]*DB_URL: required in production[\s\S]*WECHAT_SECRET: required in production/,
    );
    const c = loadConfig({ NODE_ENV: 'production', DEV_LOGIN: 'true', DB_URL: 'mysql://u@h/db', WECHAT_APPID: 'wx1', WECHAT_SECRET: 's', ...secrets });
    expect(c.devLogin).toBe(false);
  });

  it('refuses a loyalty file with a wrong setting, naming it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-config-'));
    const raw = JSON.parse(readFileSync(path.join(REPO_ROOT, 'config/loyalty.json'), 'utf8'));
    raw.spend.maxPercentOfDue = 300;
    const file = path.join(dir, 'loyalty.json');
    writeFileSync(file, JSON.stringify(raw));
    expect(() => loadConfig({ ...secrets, LOYALTY_CONFIG: file })).toThrow(/Invalid loyalty configuration in .*loyalty\.json:\n {2}- spend\.maxPercentOfDue/);
  });

  it('generates development secrets once and keeps them across restarts', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-data-'));
    const a = loadConfig({ DATA_DIR: dir });
    const b = loadConfig({ DATA_DIR: dir });
    expect(a.appSecret).toBe(b.appSecret);
    expect(a.dataKey.equals(b.dataKey)).toBe(true);
    expect(a.dataKey).toHaveLength(32);
  });
});

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

  it('refuses staff sign-in throttles that make no sense, naming the setting', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-config-'));
    const raw = JSON.parse(readFileSync(path.join(REPO_ROOT, 'config/runtime.json'), 'utf8'));
    raw.staffAuth.perAddress.lockSeconds = raw.staffAuth.perAddress.maxLockSeconds + 1;
    raw.staffAuth.perUsername.maxDelayMs = 60_000;
    const file = path.join(dir, 'runtime.json');
    writeFileSync(file, JSON.stringify(raw));
    expect(() => loadConfig({ ...secrets, RUNTIME_CONFIG: file })).toThrow(
      /staffAuth\.perAddress\.lockSeconds: lockSeconds must not exceed maxLockSeconds[\s\S]*staffAuth\.perUsername\.maxDelayMs/,
    );
  });

  it('refuses a job schedule that is not a cron pattern, naming the job', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-config-'));
    const raw = JSON.parse(readFileSync(path.join(REPO_ROOT, 'config/runtime.json'), 'utf8'));
    raw.jobs.schedules['points-expiry'] = 'every hour';
    raw.jobs.leaseSeconds = 0;
    const file = path.join(dir, 'runtime.json');
    writeFileSync(file, JSON.stringify(raw));
    expect(() => loadConfig({ ...secrets, RUNTIME_CONFIG: file })).toThrow(/jobs\.leaseSeconds[\s\S]*jobs\.schedules\.points-expiry: not a valid cron pattern/);
  });

  it('refuses notification templates that name a field the kind does not have, or leave a kind out', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-config-'));
    const raw = JSON.parse(readFileSync(path.join(REPO_ROOT, 'config/runtime.json'), 'utf8'));
    raw.notifications.templates.coupon_expiring.data = { thing1: 'phone' };
    delete raw.notifications.templates.tier_changed;
    const file = path.join(dir, 'runtime.json');
    writeFileSync(file, JSON.stringify(raw));
    expect(() => loadConfig({ ...secrets, RUNTIME_CONFIG: file })).toThrow(
      /notifications\.templates\.coupon_expiring\.data\.thing1[\s\S]*notifications\.templates\.tier_changed/,
    );
  });

  it('shares limits through Redis only when REDIS_URL is a redis:// URL', () => {
    expect(loadConfig({ ...secrets }).redisUrl).toBeNull();
    expect(loadConfig({ ...secrets, REDIS_URL: 'redis://127.0.0.1:6379/2' }).redisUrl).toBe('redis://127.0.0.1:6379/2');
    expect(() => loadConfig({ ...secrets, REDIS_URL: 'http://cache:6379' })).toThrow(/REDIS_URL: REDIS_URL must be a redis:\/\/ \(or rediss:\/\/\) URL/);
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

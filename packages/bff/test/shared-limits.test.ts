import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { AppConfig } from '../src/config/config';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Rate limits across BFF instances, against a real Redis (scripts/prepare-test-env.sh starts one on
 * 127.0.0.1:6379; TEST_REDIS_URL points elsewhere). Every test counts under its own key prefix.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let redis: Redis;
const prefixes: string[] = [];
beforeAll(() => {
  redis = new Redis(REDIS_URL, { lazyConnect: true });
});
afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
});

const newPrefix = () => {
  const prefix = `mc-test-${randomBytes(6).toString('hex')}`;
  prefixes.push(prefix);
  return prefix;
};

const limits = (keyPrefix: string) => (c: AppConfig) => {
  c.runtime.http.trustProxy = true;
  c.runtime.redis.keyPrefix = keyPrefix;
  c.runtime.rateLimits.memberLogin = { points: 4, durationSeconds: 60 };
  c.runtime.staffAuth.perAddress = { freeFailures: 3, lockSeconds: 60, maxLockSeconds: 600, forgetAfterSeconds: 3600 };
};

/** Two BFF instances side by side, each on its own database, as a deployment behind one proxy runs them. */
async function twoInstances(redisUrl: string | undefined, keyPrefix = newPrefix()): Promise<[TestApp, TestApp]> {
  const a = await startTestApp({ redisUrl, tweak: limits(keyPrefix) });
  const b = await startTestApp({ redisUrl, tweak: limits(keyPrefix) });
  return [a, b];
}

const login = (app: TestApp, from: string) =>
  app.http
    .post('/api/v1/auth/wechat')
    .set('X-Forwarded-For', from)
    .send({ code: app.wechat.loginCode(`o_${randomBytes(4).toString('hex')}`) });

const wrongPassword = (app: TestApp, username: string, from: string) =>
  app.http.post('/api/v1/staff/sessions').set('X-Forwarded-For', from).send({ username, password: 'guess' });

describe('with REDIS_URL, BFF instances share one limit', () => {
  let a: TestApp;
  let b: TestApp;
  let prefix: string;
  beforeAll(async () => {
    await redis.connect();
    prefix = newPrefix();
    [a, b] = await twoInstances(REDIS_URL, prefix);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('the member login bucket of a client is used up across both instances', async () => {
    const client = '203.0.113.40';
    const statuses = [];
    for (const app of [a, b, a, b, a, b]) statuses.push((await login(app, client)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    // Counted under the deployment's prefix, so other deployments on the same Redis are untouched.
    expect(await redis.keys(`${prefix}:rl:member-login:*`)).not.toEqual([]);
  });

  it('an attacker spreading wrong staff passwords over both instances is locked on both', async () => {
    const attacker = '203.0.113.41';
    const username = `cashier_${randomBytes(3).toString('hex')}`;
    expect((await wrongPassword(a, username, attacker)).status).toBe(401);
    expect((await wrongPassword(b, username, attacker)).status).toBe(401);
    const locked = await wrongPassword(a, username, attacker);
    expect(locked.status).toBe(429);
    const elsewhere = await wrongPassword(b, username, attacker);
    expect(elsewhere.status).toBe(429);
    expect(Number(elsewhere.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('another deployment on the same Redis (another key prefix) counts apart', async () => {
    const other = await startTestApp({ redisUrl: REDIS_URL, tweak: limits(newPrefix()) });
    try {
      // The client that used up its bucket above is a new client to the other deployment.
      expect((await login(other, '203.0.113.40')).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('closes its Redis connection when the app closes', async () => {
    const own = newPrefix();
    const app = await startTestApp({ redisUrl: REDIS_URL, tweak: limits(own) });
    const connections = async () => ((await redis.client('LIST')) as string).split('\n').filter((l) => l.includes(`name=${own}:rate-limits`)).length;
    expect(await connections()).toBe(1);
    await app.close();
    expect(await connections()).toBe(0);
  });
});

describe('without REDIS_URL', () => {
  it('each instance counts alone', async () => {
    const [a, b] = await twoInstances(undefined);
    try {
      const client = '203.0.113.50';
      const statuses = [];
      for (const app of [a, b, a, b, a, b]) statuses.push((await login(app, client)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      const username = 'cashier_alone';
      for (const app of [a, b, a, b]) expect((await wrongPassword(app, username, '203.0.113.51')).status).toBe(401);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('when Redis does not answer', () => {
  it('limits fall back to this instance’s memory: requests are answered and still limited', async () => {
    const app = await startTestApp({
      // Nothing listens on port 1: every command fails at once and the in-memory insurance answers.
      redisUrl: 'redis://127.0.0.1:1',
      tweak: (c) => {
        limits(newPrefix())(c);
        c.runtime.redis.connectTimeoutMs = 200;
      },
    });
    try {
      const started = Date.now();
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await login(app, '203.0.113.60')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(app.logLines.some((l) => l.includes('redis unavailable'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});

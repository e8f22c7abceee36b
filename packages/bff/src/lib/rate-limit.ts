import { DomainError } from '@member/shared';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimitSetting {
  points: number;
  durationSeconds: number;
}

export interface RedisStoreOptions {
  url: string;
  /** Every key starts with it, so several deployments (or test runs) can share one Redis. */
  keyPrefix: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

/** Points of a limiter that only counts (its callers decide what a count means). */
const UNCAPPED = 1_000_000_000;

function rateLimited(msBeforeNext: number): DomainError {
  return new DomainError('RATE_LIMITED', 'too many requests', { retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) });
}

/**
 * Where every limit of an app counts: this instance's memory, or one Redis shared by every BFF
 * instance (rate-limiter-flexible's Redis store over ioredis), so N instances enforce one limit
 * rather than N of them.
 *
 * A Redis outage fails open to memory, never closed: each Redis limiter carries an in-memory
 * insurance limiter of the same setting, which answers whenever Redis does not (not connected,
 * or no answer within `commandTimeoutMs`). Sign-in and registration keep working and stay
 * limited, per instance, until Redis is back; the outage is logged once and its end once.
 */
export class LimiterStore {
  private readonly names = new Set<string>();

  private constructor(
    private readonly make: (name: string, points: number, durationSeconds: number) => RateLimiterAbstract,
    private readonly client: Redis | null,
    private readonly connectTimeoutMs = 0,
  ) {}

  static memory(): LimiterStore {
    return new LimiterStore((name, points, duration) => new RateLimiterMemory({ keyPrefix: name, points, duration }), null);
  }

  static redis(o: RedisStoreOptions, logger: Logger): LimiterStore {
    const client = new Redis(o.url, {
      connectTimeout: o.connectTimeoutMs,
      commandTimeout: o.commandTimeoutMs,
      // Fail fast while disconnected (the insurance limiter answers) instead of queueing requests.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 200, 5000),
      // How long closing waits for a broken connection before dropping it (ioredis waits 2 s).
      disconnectTimeout: o.commandTimeoutMs,
      // Names the connection in CLIENT LIST, so operators see which deployment it belongs to.
      connectionName: `${o.keyPrefix}:rate-limits`,
    });
    let down = false;
    client.on('error', (e: Error) => {
      if (down) return;
      down = true;
      logger.error({ err: { message: e.message } }, 'redis unavailable: rate limits count in memory until it is back');
    });
    client.on('ready', () => {
      if (down) logger.info('redis available again: rate limits are shared');
      down = false;
    });
    return new LimiterStore(
      (name, points, duration) =>
        new RateLimiterRedis({
          storeClient: client,
          keyPrefix: `${o.keyPrefix}:rl:${name}`,
          points,
          duration,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration }),
        }),
      client,
      o.connectTimeoutMs,
    );
  }

  /**
   * Resolves once the store can count (at once in memory; when Redis is connected), or false after
   * the connect timeout: until then every limit counts in memory. Starting up waits for it.
   */
  async ready(): Promise<boolean> {
    const client = this.client;
    if (!client || client.status === 'ready') return true;
    if (client.status === 'end') return false;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('end', onEnd);
        resolve(ok);
      };
      const onReady = () => done(true);
      const onEnd = () => done(false);
      const timer = setTimeout(() => done(false), this.connectTimeoutMs);
      client.once('ready', onReady);
      client.once('end', onEnd);
    });
  }

  get shared(): boolean {
    return this.client !== null;
  }

  /** A limiter under a name unique in this store (its keys are `<prefix>:rl:<name>:<key>` in Redis). */
  limiter(name: string, points: number, durationSeconds: number): RateLimiterAbstract {
    if (this.names.has(name)) throw new Error(`two limits are named ${name}`);
    this.names.add(name);
    return this.make(name, points, durationSeconds);
  }

  /** Closes the Redis connection (after the commands under way); nothing to do in memory. */
  async close(): Promise<void> {
    if (!this.client || this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

/** A named limit (points per duration) keyed by caller, counted in the app's limiter store. */
export class RateLimit {
  private constructor(private readonly limiter: RateLimiterAbstract) {}

  static of(store: LimiterStore, name: string, setting: LimitSetting): RateLimit {
    return new RateLimit(store.limiter(name, setting.points, setting.durationSeconds));
  }

  /** Refuses (429) while `key` has used up its points, without using one: for limits counted on failures only. */
  async refuseWhileExhausted(key: string): Promise<void> {
    const res = await this.limiter.get(key);
    if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) throw rateLimited(res.msBeforeNext);
  }

  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw rateLimited(e.msBeforeNext);
      throw e;
    }
  }
}

export interface BackoffSetting {
  freeFailures: number;
  lockSeconds: number;
  maxLockSeconds: number;
  forgetAfterSeconds: number;
}

/**
 * Failures per key with a growing lock: the `freeFailures`-th failure locks the key for
 * `lockSeconds`, every further one for twice as long as the one before, up to `maxLockSeconds`.
 * The count is forgotten `forgetAfterSeconds` after the first failure it holds, or by `forget`.
 */
export class Backoff {
  private readonly failures: RateLimiterAbstract;
  private readonly locks: RateLimiterAbstract;

  constructor(
    store: LimiterStore,
    name: string,
    private readonly setting: BackoffSetting,
  ) {
    // Never exhausted by counting: failures are only counted (penalty), the lock is `locks`.
    this.failures = store.limiter(`${name}-failures`, UNCAPPED, setting.forgetAfterSeconds);
    this.locks = store.limiter(`${name}-locks`, 1, setting.maxLockSeconds);
  }

  /** 429 with Retry-After while `key` is locked. */
  async refuseWhileLocked(key: string): Promise<void> {
    const res = await this.locks.get(key);
    if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) throw rateLimited(res.msBeforeNext);
  }

  /** Counts a failure; returns the lock it earned (a 429 to answer with), or null while failures are free. */
  async failed(key: string): Promise<DomainError | null> {
    const { consumedPoints } = await this.failures.penalty(key, 1);
    const beyond = consumedPoints - this.setting.freeFailures;
    if (beyond < 0) return null;
    const seconds = Math.min(this.setting.lockSeconds * 2 ** Math.min(beyond, 30), this.setting.maxLockSeconds);
    await this.locks.block(key, seconds);
    return rateLimited(seconds * 1000);
  }

  async forget(key: string): Promise<void> {
    await Promise.all([this.failures.delete(key), this.locks.delete(key)]);
  }
}

export interface SlowdownSetting {
  freeFailures: number;
  windowSeconds: number;
  delayStepMs: number;
  maxDelayMs: number;
}

/**
 * Failures per key that slow rather than lock: past `freeFailures` within `windowSeconds`, each
 * attempt at the key waits `delayStepMs` per failure beyond, at most `maxDelayMs`. Whoever has
 * the right secret still gets in, only later.
 */
export class Slowdown {
  private readonly failures: RateLimiterAbstract;

  constructor(
    store: LimiterStore,
    name: string,
    private readonly setting: SlowdownSetting,
  ) {
    this.failures = store.limiter(name, UNCAPPED, setting.windowSeconds);
  }

  /** How long an attempt at `key` waits now, in milliseconds. */
  async delayMs(key: string): Promise<number> {
    const res = await this.failures.get(key);
    const beyond = (res?.consumedPoints ?? 0) - this.setting.freeFailures;
    return beyond > 0 ? Math.min(beyond * this.setting.delayStepMs, this.setting.maxDelayMs) : 0;
  }

  async failed(key: string): Promise<void> {
    await this.failures.penalty(key, 1);
  }
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { parseLoyaltyConfig, type NotificationKind, type LoyaltyConfig } from '@member/shared';
import { NOTIFICATION_FIELDS } from '../services/notification-fields';

/** Repository root: config/ lives there. Works from src/ (tsx, jest) and dist/ (node). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** A cron pattern croner accepts (5 fields, or 6 with seconds first). */
const cronPattern = z.string().refine((p) => {
  try {
    new Cron(p, { paused: true }).stop();
    return true;
  } catch {
    // Croner throws a TypeError naming the bad field; any throw means "not a pattern".
    return false;
  }
}, 'not a valid cron pattern');
/** A subscribe-message template: its WeChat id, the page a tap opens, and keyword → field of the kind. */
const template = <F extends readonly [string, ...string[]]>(fields: F) =>
  z.object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a WeChat template id'),
    page: z.string().regex(/^pages\/[A-Za-z0-9_/-]+$/, 'a page path such as pages/points/index'),
    data: z
      .record(z.string().regex(/^[a-z_]+[0-9]+$/, 'a template keyword such as thing1'), z.enum(fields))
      .refine((d) => Object.keys(d).length > 0, 'at least one keyword'),
  });

const limit = z.object({ points: z.number().int().positive(), durationSeconds: z.number().int().positive() });

export const RuntimeConfig = z.object({
  $comment: z.string().optional(),
  http: z.object({
    bodyLimitKb: z.number().int().positive(),
    trustProxy: z.boolean(),
    /** How many proxies of ours append to X-Forwarded-For: the client is that many entries from its right end (what clients write before it is ignored). */
    proxyHops: z.number().int().min(1).max(10),
  }),
  auth: z.object({
    memberTokenTtlSeconds: z.number().int().positive(),
    staffTokenTtlSeconds: z.number().int().positive(),
    /** How long a staff account's state is trusted before it is read again (revocation delay). */
    staffRevocationCacheSeconds: z.number().int().min(0).max(300),
  }),
  /** How long this instance trusts its copy of the operators' campaigns (a change made elsewhere takes effect within it). */
  campaigns: z.object({ cacheSeconds: z.number().int().min(0).max(3600) }),
  /**
   * One bucket per purpose, keyed by client address (behind a proxy: set `http.trustProxy`, and the
   * address comes from X-Forwarded-For), so a flood of one kind cannot lock out another.
   */
  rateLimits: z.object({
    memberLogin: limit,
    devLogin: limit,
    staffLogin: limit,
    phoneNumber: limit,
    /** Wrong member codes typed or scanned at a till, per staff member and per store. */
    invalidCodes: z.object({ perStaff: limit, perStore: limit }),
    /**
     * Registrations that carry a phone number (raw or a WeChat phone code), per member token and
     * per client address: whether a number is taken is never free to ask.
     */
    registrationWithPhone: z.object({ perMember: limit, perAddress: limit }),
    /** Check-in attempts (successful or not), per member and per client address: scripts get nowhere fast. */
    checkin: z.object({ perMember: limit, perAddress: limit }),
    /** Share links opened (`POST /shares/{token}/visits`), per member token and per client address. */
    shareVisits: z.object({ perMember: limit, perAddress: limit }),
    /** Registrations that carry an invite code, per member token and per client address: codes are not free to probe. */
    registrationWithInvite: z.object({ perMember: limit, perAddress: limit }),
    /** The member's invite mini-program code (`GET /me/invitation/qrcode`), per member: WeChat's code API has quotas. */
    inviteQrcode: z.object({ perMember: limit }),
  }),
  /**
   * WeChat's risk rank (getUserRiskRank, 0–4, higher is riskier) of the friend behind a share or
   * referral reward: at `holdAtRank` or above, the reward is held for an operator's review instead
   * of being paid (as it is when WeChat could not rate the friend).
   */
  riskControl: z.object({ holdAtRank: z.number().int().min(0).max(5) }),
  /**
   * Where limits are counted when `REDIS_URL` is set: every key starts with `keyPrefix` (several
   * deployments or test runs can share one Redis), and a command that has no answer within
   * `commandTimeoutMs` falls back to this instance's memory (see lib/rate-limit.ts).
   */
  redis: z.object({
    keyPrefix: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "." or "-" (1–64)'),
    connectTimeoutMs: z.number().int().min(100).max(60_000),
    commandTimeoutMs: z.number().int().min(10).max(10_000),
  }),
  wechat: z.object({ baseUrl: z.url(), timeoutMs: z.number().int().positive() }),
  /**
   * The invite poster's mini-program code (WeChat's getwxacodeunlimit): which build it opens
   * (`release`, or `trial` / `develop` while testing), its width in pixels (WeChat's 280–1280), and
   * how many members' images this instance keeps in memory and for how long (the code never
   * changes for a member; 0 entries keeps none).
   */
  inviteQrcode: z.object({
    envVersion: z.enum(['release', 'trial', 'develop']),
    width: z.number().int().min(280).max(1280),
    cacheEntries: z.number().int().min(0).max(10_000),
    cacheSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400),
  }),
  staffAuth: z.object({
    /** scrypt cost N (power of two); 32768 ≈ 32 MB and tens of milliseconds per hash. */
    scryptCost: z
      .number()
      .int()
      .min(1024)
      .max(1_048_576)
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
    /**
     * Wrong passwords per username and client address: the `freeFailures`-th locks that pair for
     * `lockSeconds`, each further one doubles the lock up to `maxLockSeconds`; the count is
     * forgotten `forgetAfterSeconds` after its first failure, or on a success from that address.
     */
    perAddress: z
      .object({
        freeFailures: z.number().int().min(1).max(100),
        lockSeconds: z.number().int().min(1),
        maxLockSeconds: z.number().int().min(1).max(86_400),
        forgetAfterSeconds: z
          .number()
          .int()
          .min(1)
          .max(30 * 86_400),
      })
      .refine((a) => a.lockSeconds <= a.maxLockSeconds, { message: 'lockSeconds must not exceed maxLockSeconds', path: ['lockSeconds'] })
      .refine((a) => a.maxLockSeconds <= a.forgetAfterSeconds, { message: 'maxLockSeconds must not exceed forgetAfterSeconds', path: ['maxLockSeconds'] }),
    /**
     * Wrong passwords per username from every address together: past `freeFailures` within
     * `windowSeconds`, every attempt at that username (the right password too) is answered
     * `delayStepMs` later per failure beyond, at most `maxDelayMs`. It slows, it never locks.
     */
    perUsername: z
      .object({
        freeFailures: z.number().int().min(1).max(10_000),
        windowSeconds: z.number().int().min(1).max(86_400),
        delayStepMs: z.number().int().min(1).max(10_000),
        maxDelayMs: z.number().int().min(1).max(10_000),
      })
      .refine((u) => u.delayStepMs <= u.maxDelayMs, { message: 'delayStepMs must not exceed maxDelayMs', path: ['delayStepMs'] }),
  }),
  db: z.object({ poolSize: z.number().int().min(1).max(500), deadlockRetries: z.number().int().min(0).max(10) }),
  /**
   * Scheduled jobs (src/jobs): whether this instance runs them on their schedules (`scheduler`;
   * operators can still run one by hand), how long a run's lease lasts before another instance may
   * take it over (renewed every third of it while the run goes on), the batch sizes, and a cron
   * pattern per job, read in the business time zone. A job without a pattern runs only by hand.
   */
  jobs: z.object({
    scheduler: z.boolean(),
    leaseSeconds: z.number().int().min(10).max(3600),
    /** Run records older than this are deleted (a bounded batch after each run of the same job). */
    keepRunsDays: z.number().int().min(1).max(3650),
    pointsExpiryBatch: z.number().int().min(1).max(10_000),
    growthAgingBatch: z.number().int().min(1).max(10_000),
    batchSize: z.number().int().min(1).max(10_000),
    schedules: z.record(z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'a job name (kebab-case)'), cronPattern),
  }),
  /**
   * The KPI summary's daily rollups (see docs/guide.md, Reports): a business day is closed, and
   * read from its rollup once the `report-rollup` job wrote it, when it ended at least
   * `closeAfterMinutes` ago; each run computes the last `recomputeDays` closed days again and fills
   * missing days at most `backfillDays` back, and rolls the current day up to `closeAfterMinutes`
   * before the run.
   */
  reports: z.object({
    closeAfterMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60),
    recomputeDays: z.number().int().min(0).max(366),
    backfillDays: z.number().int().min(1).max(3660),
  }),
  /**
   * WeChat subscribe messages (see docs/guide.md, Notifications). The sender takes `batch` due
   * notifications at a time; a notification WeChat could not take (busy, throttled) is tried again
   * `retryBaseSeconds` × 2^(attempt − 1) later (at most `retryMaxSeconds`), `maxAttempts` times in
   * all; one claimed but never settled (the sender stopped mid-call) is given up `leaseSeconds`
   * after it was claimed, never sent again. A member holds at most `maxCreditsPerKind` unused
   * acceptances per kind. Coupons are announced `couponExpiringDays` before they end.
   */
  notifications: z.object({
    batch: z.number().int().min(1).max(1000),
    maxAttempts: z.number().int().min(1).max(20),
    retryBaseSeconds: z.number().int().min(1).max(86_400),
    retryMaxSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400),
    leaseSeconds: z.number().int().min(10).max(86_400),
    maxCreditsPerKind: z.number().int().min(1).max(1000),
    couponExpiringDays: z.number().int().min(1).max(60),
    /** Which build a tapped message opens: `formal` (released), `trial` or `developer`. */
    miniprogramState: z.enum(['formal', 'trial', 'developer']),
    /**
     * Per kind, the WeChat template (its id from the mini-program admin console), the page a tapped
     * message opens, and which of the kind's fields fills each keyword of the template
     * (`{ "thing1": "title", "date2": "validTo" }`).
     */
    templates: z
      .object({
        points_expiring: template(NOTIFICATION_FIELDS.points_expiring),
        coupon_expiring: template(NOTIFICATION_FIELDS.coupon_expiring),
        tier_changed: template(NOTIFICATION_FIELDS.tier_changed),
        points_changed: template(NOTIFICATION_FIELDS.points_changed),
      } satisfies Record<NotificationKind, unknown>)
      .strict(),
  }),
});
export type RuntimeConfig = z.infer<typeof RuntimeConfig>;

const hexKey = z.string().regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)');
const boolish = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const Env = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DB_URL: z
    .string()
    .regex(/^(mysql|mariadb):\/\//, 'DB_URL must be a mysql:// (or mariadb://) URL')
    .optional(),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data')),
  APP_SECRET: z.string().min(32, 'APP_SECRET must be at least 32 characters').optional(),
  DATA_KEY: hexKey.optional(),
  WECHAT_APPID: z.string().optional(),
  WECHAT_SECRET: z.string().optional(),
  WECHAT_BASE_URL: z.url().optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^\s]+$/, 'REDIS_URL must be a redis:// (or rediss://) URL')
    .optional(),
  DEV_LOGIN: boolish.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOYALTY_CONFIG: z.string().default(path.join(REPO_ROOT, 'config/loyalty.json')),
  RUNTIME_CONFIG: z.string().default(path.join(REPO_ROOT, 'config/runtime.json')),
  STATIC_DIR: z.string().optional(),
});

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  /** mysql://… (mariadb://… for a MariaDB server) or null for the embedded SQLite database at `sqlitePath`. */
  dbUrl: string | null;
  sqlitePath: string;
  /** redis://… shared by every instance for rate limits, or null to count in each instance's memory. */
  redisUrl: string | null;
  appSecret: string;
  dataKey: Buffer;
  wechat: { appId: string; secret: string; baseUrl: string; timeoutMs: number };
  devLogin: boolean;
  logLevel: string;
  loyalty: LoyaltyConfig;
  runtime: RuntimeConfig;
  /** Directory of a built H5 app to serve at `/`, if any. */
  staticDir: string | null;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Development secrets are generated once and kept in the data directory so restarts keep sessions. */
function devSecrets(dataDir: string): { appSecret: string; dataKey: string } {
  const file = path.join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { appSecret: string; dataKey: string };
  mkdirSync(dataDir, { recursive: true });
  const secrets = { appSecret: randomBytes(32).toString('hex'), dataKey: randomBytes(32).toString('hex') };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/**
 * Loads and validates configuration from the environment and config/. Throws one readable error
 * naming every bad setting; in production every secret must come from the environment.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const prod = env.NODE_ENV === 'production';
  const missing = prod ? (['APP_SECRET', 'DATA_KEY', 'DB_URL', 'WECHAT_APPID', 'WECHAT_SECRET'] as const).filter((k) => !env[k]) : [];
  if (missing.length) throw new Error(`Invalid environment:\n${missing.map((k) => `  - ${k}: required in production`).join('\n')}`);

  const runtimeResult = RuntimeConfig.safeParse(readJson(env.RUNTIME_CONFIG));
  if (!runtimeResult.success) {
    const lines = runtimeResult.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid runtime configuration in ${env.RUNTIME_CONFIG}:\n${lines.join('\n')}`);
  }
  const runtime = runtimeResult.data;
  const loyalty = parseLoyaltyConfig(readJson(env.LOYALTY_CONFIG), env.LOYALTY_CONFIG);
  const secrets = env.APP_SECRET && env.DATA_KEY ? { appSecret: env.APP_SECRET, dataKey: env.DATA_KEY } : devSecrets(env.DATA_DIR);

  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    dbUrl: env.DB_URL ?? null,
    sqlitePath: path.join(env.DATA_DIR, 'member-center.sqlite'),
    redisUrl: env.REDIS_URL ?? null,
    appSecret: env.APP_SECRET ?? secrets.appSecret,
    dataKey: Buffer.from(env.DATA_KEY ?? secrets.dataKey, 'hex'),
    wechat: {
      appId: env.WECHAT_APPID ?? 'wx-dev-appid',
      secret: env.WECHAT_SECRET ?? 'dev-secret',
      baseUrl: env.WECHAT_BASE_URL ?? runtime.wechat.baseUrl,
      timeoutMs: runtime.wechat.timeoutMs,
    },
    // Dev login is never available in production, whatever DEV_LOGIN says.
    devLogin: prod ? false : (env.DEV_LOGIN ?? true),
    logLevel: env.LOG_LEVEL,
    loyalty,
    runtime,
    staticDir: env.STATIC_DIR ?? null,
  };
}

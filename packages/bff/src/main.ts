import { createServer } from 'node:http';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { loadConfig } from './config/config';
import { createDataSource, openDataSource } from './db/data-source';
import { Db } from './db/db';
import { createLogger } from './http/logging';
import { HttpWechatClient } from './integrations/wechat';
import { createApp } from './app';
import { serveStatic } from './http/static';
import { startScheduler } from './jobs/scheduler';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const dataSource = await openDataSource(createDataSource({ dbUrl: config.dbUrl, sqlitePath: config.sqlitePath, poolSize: config.runtime.db.poolSize }));
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  logger.info({ db: config.dbUrl ? 'mysql' : 'sqlite', migrations: applied.map((m) => m.name) }, 'database ready');
  const db = new Db(dataSource, config.runtime.db.deadlockRetries);
  const wechat = new HttpWechatClient({ ...config.wechat });
  const { app, services, jobRunner, limitsReady, close } = createApp({ config, db, wechat, logger });
  // With REDIS_URL, limits count in Redis once it is connected (in memory until then: see lib/rate-limit.ts).
  if (config.redisUrl && !(await limitsReady())) logger.warn('starting without redis: rate limits count in memory until it answers');
  // Pictures of the demo catalogue (mall items may also point at any https URL).
  app.use(serveStatic(path.resolve(__dirname, '../assets'), '/assets'));
  if (config.staticDir) {
    const dir = path.resolve(config.staticDir);
    if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`STATIC_DIR ${dir} has no index.html: build the H5 app first`);
    app.use(serveStatic(dir));
  }
  // The KPI summary's counters, built from the tables once after the migration that added them.
  if (await services.reports.ensureCounters()) logger.info('report counters built from the tables');
  // The operators' campaigns, read now so the first counter order need not.
  await services.campaigns.rules();
  // Scheduled jobs on their cron patterns (jobs.scheduler; every instance may run it, leases pick one per tick).
  const jobs = startScheduler(jobRunner, config.runtime.jobs, config.loyalty.businessTimeZone, logger);
  // Koa's handler answers its own errors, so nothing waits on the promise it returns.
  const handle = app.callback();
  const server = createServer((req, res) => void handle(req, res));
  server.listen(config.port, config.host, () => {
    logger.info(
      { url: `http://${config.host}:${config.port}`, devLogin: config.devLogin, h5: Boolean(config.staticDir), sharedLimits: Boolean(config.redisUrl) },
      'member-center BFF listening',
    );
  });
  const stop = () => {
    logger.info('shutting down');
    jobs.stop();
    // Runs in progress stop at their next batch, record why and free their leases before the pool closes.
    server.close(() => void jobRunner.stop().then(() => Promise.allSettled([close(), dataSource.destroy()]).then(() => process.exit(0))));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  // Configuration errors are meant for a person: print the message, not a stack.
  process.stderr.write(`member-center BFF failed to start:\n${(e as Error).message}\n`);
  process.exit(1);
});

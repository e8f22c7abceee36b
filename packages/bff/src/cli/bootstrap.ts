import { loadConfig, type AppConfig } from '../config/config';
import { createDataSource, openDataSource } from '../db/data-source';
import { Db } from '../db/db';
import { createLogger } from '../http/logging';
import { HttpWechatClient } from '../integrations/wechat';
import type { Clock } from '../lib/clock';
import { LimiterStore } from '../lib/rate-limit';
import { createServices, type Services } from '../services';

/** Opens the configured database (running migrations) and wires the services, for command-line tools. */
export async function bootstrap(clock: Clock): Promise<{ config: AppConfig; services: Services; close: () => Promise<void> }> {
  const config = loadConfig();
  const dataSource = await openDataSource(createDataSource({ dbUrl: config.dbUrl, sqlitePath: config.sqlitePath, poolSize: 4 }));
  await dataSource.runMigrations({ transaction: 'each' });
  const services = createServices({
    db: new Db(dataSource, config.runtime.db.deadlockRetries),
    loyalty: config.loyalty,
    runtime: config.runtime,
    clock,
    dataKey: config.dataKey,
    wechat: new HttpWechatClient(config.wechat),
    logger: createLogger(config.logLevel),
    // A command-line tool signs in no one from outside: its limits need not be shared.
    limiterStore: LimiterStore.memory(),
    rawPhoneAllowed: config.env !== 'production',
  });
  return { config, services, close: () => dataSource.destroy() };
}

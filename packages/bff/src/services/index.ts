import type { LoyaltyConfig } from '@member/shared';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/config';
import type { Db } from '../db/db';
import { RateLimit } from '../http/rate-limit';
import type { TokenService } from '../http/tokens';
import type { WechatClient } from '../integrations/wechat';
import type { Clock } from './clock';
import { FieldCrypto } from './crypto';
import { GrowthService } from './growth.service';
import { MemberService } from './member.service';
import { PointsService } from './points.service';

export interface ServiceDeps {
  db: Db;
  loyalty: LoyaltyConfig;
  runtime: RuntimeConfig;
  clock: Clock;
  dataKey: Buffer;
  wechat: WechatClient;
  tokens: TokenService;
  logger: Logger;
  devLogin: boolean;
}

/** Everything a route may call, wired once per app. */
export function createServices(d: ServiceDeps) {
  const crypto = new FieldCrypto(d.dataKey);
  const limits = {
    auth: new RateLimit(d.runtime.rateLimits.auth.points, d.runtime.rateLimits.auth.durationSeconds),
    phoneNumber: new RateLimit(d.runtime.rateLimits.phoneNumber.points, d.runtime.rateLimits.phoneNumber.durationSeconds),
  };
  const points = new PointsService(d.db, d.loyalty, d.clock);
  const growth = new GrowthService(d.db, d.loyalty, d.clock);
  const members = new MemberService(d.db, d.loyalty, d.clock, crypto, d.wechat, points, limits.phoneNumber);
  return { ...d, crypto, limits, points, growth, members };
}

export type Services = ReturnType<typeof createServices>;

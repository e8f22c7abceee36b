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
import { AdminService } from './admin.service';
import { CounterService } from './counter.service';
import { MallService } from './mall.service';
import { CouponService } from './coupon.service';
import { MemberService } from './member.service';
import { PointsService } from './points.service';
import { StaffService } from './staff.service';

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
  const coupons = new CouponService(d.db, d.loyalty, d.clock);
  const members = new MemberService(d.db, d.loyalty, d.clock, crypto, d.wechat, points, coupons, limits.phoneNumber);
  const staff = new StaffService(d.db, d.runtime.staffAuth, d.clock);
  const counter = new CounterService(d.db, d.loyalty, d.clock, members, points, growth, coupons);
  const mall = new MallService(d.db, d.loyalty, d.clock, points, coupons);
  const admin = new AdminService(d.db, d.loyalty, d.clock, coupons);

  // Welcome coupons are part of registering: issued in the same transaction, once per member.
  members.onRegistered(async (memberId) => {
    for (const event of ['registration', 'firstOrder'] as const) {
      const template = d.loyalty.couponEvents[event];
      if (template) await coupons.issue(memberId, template, `event:${event}`);
    }
  });
  // An upgrade gift once per tier per member, ever (the event key is the tier), for every tier the
  // upgrade crosses: a purchase that lifts a member from 普通 straight to 金卡 brings both gifts.
  growth.onTierUpgrade(async (memberId, from, to) => {
    const tiers = d.loyalty.tiers;
    const crossed = tiers.slice(tiers.findIndex((t) => t.code === from) + 1, tiers.findIndex((t) => t.code === to) + 1);
    for (const tier of crossed) {
      if (tier.upgradeGiftTemplate) await coupons.issue(memberId, tier.upgradeGiftTemplate, `upgrade-gift:${tier.code}`);
    }
  });
  return { ...d, crypto, limits, points, growth, members, coupons, staff, counter, mall, admin };
}

export type Services = ReturnType<typeof createServices>;

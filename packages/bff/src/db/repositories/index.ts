import type { Db } from '../db';
import { CampaignRepository, ReportRepository } from './admin.repository';
import { CouponRepository } from './coupon.repository';
import { EngagementRepository } from './engagement.repository';
import { MallRepository } from './mall.repository';
import { ShareReferralRepository } from './share-referral.repository';
import { MemberRepository } from './member.repository';
import { NotificationRepository } from './notification.repository';
import { OccasionRepository } from './occasion.repository';
import { OrderRepository } from './order.repository';
import { PointsRepository } from './points.repository';
import { StaffRepository } from './staff.repository';
import { LedgerCheckRepository } from './ledger-check.repository';
import { ReportCounterRepository } from './report-counter.repository';
import { AuditRepository, IdempotencyRepository, JobLeaseRepository, JobRunRepository } from './system.repository';

/** Every repository, over one Db: the only classes that hold SQL. */
export function createRepositories(db: Db) {
  return {
    members: new MemberRepository(db),
    points: new PointsRepository(db),
    coupons: new CouponRepository(db),
    engagement: new EngagementRepository(db),
    orders: new OrderRepository(db),
    mall: new MallRepository(db),
    staff: new StaffRepository(db),
    shareReferral: new ShareReferralRepository(db),
    audit: new AuditRepository(db),
    idempotency: new IdempotencyRepository(db),
    jobLeases: new JobLeaseRepository(db),
    campaigns: new CampaignRepository(db),
    reports: new ReportRepository(db),
    reportCounters: new ReportCounterRepository(db),
    jobRuns: new JobRunRepository(db),
    ledgerCheck: new LedgerCheckRepository(db),
    notifications: new NotificationRepository(db),
    occasions: new OccasionRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
export type {
  CampaignRepository,
  ReportRepository,
  CouponRepository,
  EngagementRepository,
  MallRepository,
  MemberRepository,
  OrderRepository,
  PointsRepository,
  ShareReferralRepository,
  StaffRepository,
  AuditRepository,
  IdempotencyRepository,
  JobLeaseRepository,
  JobRunRepository,
  LedgerCheckRepository,
  ReportCounterRepository,
  NotificationRepository,
  OccasionRepository,
};

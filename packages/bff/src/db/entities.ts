import type {
  CouponKind,
  CouponStatus,
  GrowthReason,
  MallItemKind,
  MemberStatus,
  NotificationKind,
  NotificationStatus,
  PointsReason,
  RedemptionStatus,
  ReviewTag,
  ReferralStatus,
  RewardHoldStatus,
  ShareAction,
  SharePage,
  StaffRole,
  TemplateSource,
  TierChangeReason,
} from '@member/shared';
import { EntitySchema } from 'typeorm';

// Entities are declared with EntitySchema (no decorators): plain interfaces, and the same
// definitions work under tsc, tsx and ts-jest. Column names are snake_case in the database.

const id = { type: 'varchar', length: 26, primary: true } as const;
const ref = { type: 'varchar', length: 26 } as const;
const at = (name: string, nullable = false) => ({ type: 'datetime', precision: 3, name, nullable }) as const;

export interface MemberRow {
  id: string;
  status: MemberStatus;
  openidHash: string | null;
  openidEnc: string | null;
  sessionKeyEnc: string | null;
  codeRef: string;
  codeSecretEnc: string;
  nickname: string | null;
  birthday: string | null;
  birthdaySetAt: Date | null;
  phoneEnc: string | null;
  phoneHash: string | null;
  consentVersion: string | null;
  consentedAt: Date | null;
  inviteCode: string | null;
  /** The member whose invite code this one registered with (bound once, at registration). */
  invitedBy: string | null;
  /** When this member last opened another member's share link: a later action of theirs may reward the sharer. */
  shareVisitedAt: Date | null;
  tier: string;
  /** Lifetime growth: the sum of the growth ledger. */
  growth: number;
  /** Qualifying growth, what decides the tier: the sum of the growth entries created after `qualifyingAgedTo`. */
  qualifyingGrowth: number;
  /** Entries created at or before this no longer count toward `qualifyingGrowth` (the aging moves it forward). */
  qualifyingAgedTo: Date | null;
  /** No counting entry leaves the trailing window before this (NULL: none counts). May be early, never late. */
  qualifyingAgesAt: Date | null;
  pointsBalance: number;
  /** No live lot expires before this (NULL: no live lots). May be early, never late: reads settle expiry when it has passed. */
  nextExpiryAt: Date | null;
  registeredAt: Date | null;
  erasedAt: Date | null;
  /**
   * The instant of the member's latest points ledger entry other than an expiry (NULL: none): the
   * KPI summary's `active_last` counter keys each member on its business day (see ReportCounterRepository).
   */
  lastActiveAt: Date | null;
  /** The business day of the member's latest check-in (NULL: never), kept with the check-in under the row lock. */
  lastCheckinDay: string | null;
  /** The streak that latest check-in made (0: never checked in). */
  checkinStreak: number;
  createdAt: Date;
  updatedAt: Date;
}

export const MemberEntity = new EntitySchema<MemberRow>({
  name: 'Member',
  tableName: 'members',
  columns: {
    id,
    status: { type: 'varchar', length: 16 },
    openidHash: { type: 'varchar', length: 64, name: 'openid_hash', nullable: true },
    openidEnc: { type: 'varchar', length: 255, name: 'openid_enc', nullable: true },
    sessionKeyEnc: { type: 'varchar', length: 255, name: 'session_key_enc', nullable: true },
    codeRef: { type: 'varchar', length: 10, name: 'code_ref' },
    codeSecretEnc: { type: 'varchar', length: 255, name: 'code_secret_enc' },
    nickname: { type: 'varchar', length: 40, nullable: true },
    birthday: { type: 'varchar', length: 10, nullable: true },
    birthdaySetAt: at('birthday_set_at', true),
    phoneEnc: { type: 'varchar', length: 255, name: 'phone_enc', nullable: true },
    phoneHash: { type: 'varchar', length: 64, name: 'phone_hash', nullable: true },
    consentVersion: { type: 'varchar', length: 32, name: 'consent_version', nullable: true },
    consentedAt: at('consented_at', true),
    inviteCode: { type: 'varchar', length: 12, name: 'invite_code', nullable: true },
    invitedBy: { ...ref, name: 'invited_by', nullable: true },
    shareVisitedAt: at('share_visited_at', true),
    tier: { type: 'varchar', length: 32 },
    growth: { type: 'int', default: 0 },
    qualifyingGrowth: { type: 'int', name: 'qualifying_growth', default: 0 },
    qualifyingAgedTo: at('qualifying_aged_to', true),
    qualifyingAgesAt: at('qualifying_ages_at', true),
    pointsBalance: { type: 'int', name: 'points_balance', default: 0 },
    nextExpiryAt: at('next_expiry_at', true),
    registeredAt: at('registered_at', true),
    erasedAt: at('erased_at', true),
    lastActiveAt: at('last_active_at', true),
    lastCheckinDay: { type: 'varchar', length: 10, name: 'last_checkin_day', nullable: true },
    checkinStreak: { type: 'int', name: 'checkin_streak', default: 0 },
    createdAt: at('created_at'),
    updatedAt: at('updated_at'),
  },
  indices: [
    { name: 'uq_members_openid_hash', columns: ['openidHash'], unique: true },
    { name: 'uq_members_phone_hash', columns: ['phoneHash'], unique: true },
    { name: 'uq_members_code_ref', columns: ['codeRef'], unique: true },
    { name: 'uq_members_invite_code', columns: ['inviteCode'], unique: true },
    { name: 'ix_members_next_expiry', columns: ['nextExpiryAt'] },
    { name: 'ix_members_qualifying_ages_at', columns: ['qualifyingAgesAt'] },
    { name: 'ix_members_nickname', columns: ['nickname'] },
    { name: 'ix_members_status_registered', columns: ['status', 'registeredAt'] },
    { name: 'ix_members_status_tier', columns: ['status', 'tier'] },
  ],
});

export interface FormerIdentityRow {
  id: string;
  kind: 'openid' | 'phone';
  hash: string;
  memberId: string;
  createdAt: Date;
}

export const FormerIdentityEntity = new EntitySchema<FormerIdentityRow>({
  name: 'FormerIdentity',
  tableName: 'former_identities',
  columns: {
    id,
    kind: { type: 'varchar', length: 16 },
    hash: { type: 'varchar', length: 64 },
    memberId: { ...ref, name: 'member_id' },
    createdAt: at('created_at'),
  },
  indices: [{ name: 'ix_former_identities_hash', columns: ['kind', 'hash'] }],
});

export interface PointsLedgerRow {
  id: string;
  memberId: string;
  delta: number;
  balanceAfter: number;
  reason: PointsReason;
  sourceKey: string;
  lotId: string | null;
  expiresAt: Date | null;
  note: string | null;
  createdAt: Date;
}

export const PointsLedgerEntity = new EntitySchema<PointsLedgerRow>({
  name: 'PointsLedger',
  tableName: 'points_ledger',
  columns: {
    id,
    memberId: { ...ref, name: 'member_id' },
    delta: { type: 'int' },
    balanceAfter: { type: 'int', name: 'balance_after' },
    reason: { type: 'varchar', length: 32 },
    sourceKey: { type: 'varchar', length: 191, name: 'source_key' },
    lotId: { ...ref, name: 'lot_id', nullable: true },
    expiresAt: at('expires_at', true),
    note: { type: 'varchar', length: 255, nullable: true },
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'uq_points_ledger_source', columns: ['memberId', 'sourceKey'], unique: true },
    { name: 'ix_points_ledger_member_created', columns: ['memberId', 'createdAt'] },
    { name: 'ix_points_ledger_created', columns: ['createdAt', 'reason', 'delta', 'memberId'] },
  ],
});

export interface PointsLotRow {
  id: string;
  memberId: string;
  amount: number;
  remaining: number;
  earnedAt: Date;
  expiresAt: Date;
  ledgerId: string;
}

export const PointsLotEntity = new EntitySchema<PointsLotRow>({
  name: 'PointsLot',
  tableName: 'points_lots',
  columns: {
    id,
    memberId: { ...ref, name: 'member_id' },
    amount: { type: 'int' },
    remaining: { type: 'int' },
    earnedAt: at('earned_at'),
    expiresAt: at('expires_at'),
    ledgerId: { ...ref, name: 'ledger_id' },
  },
  indices: [{ name: 'ix_points_lots_member_expiry', columns: ['memberId', 'expiresAt'] }],
});

/** Which lots a debit consumed, so a refund can give the points back with their original expiry. */
export interface PointsAllocationRow {
  id: string;
  ledgerId: string;
  lotId: string;
  amount: number;
}

export const PointsAllocationEntity = new EntitySchema<PointsAllocationRow>({
  name: 'PointsAllocation',
  tableName: 'points_allocations',
  columns: {
    id,
    ledgerId: { ...ref, name: 'ledger_id' },
    lotId: { ...ref, name: 'lot_id' },
    amount: { type: 'int' },
  },
  indices: [{ name: 'ix_points_allocations_ledger', columns: ['ledgerId'] }],
});

export interface GrowthLedgerRow {
  id: string;
  memberId: string;
  delta: number;
  valueAfter: number;
  reason: GrowthReason;
  sourceKey: string;
  createdAt: Date;
}

export const GrowthLedgerEntity = new EntitySchema<GrowthLedgerRow>({
  name: 'GrowthLedger',
  tableName: 'growth_ledger',
  columns: {
    id,
    memberId: { ...ref, name: 'member_id' },
    delta: { type: 'int' },
    valueAfter: { type: 'int', name: 'value_after' },
    reason: { type: 'varchar', length: 32 },
    sourceKey: { type: 'varchar', length: 191, name: 'source_key' },
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'uq_growth_ledger_source', columns: ['memberId', 'sourceKey'], unique: true },
    { name: 'ix_growth_ledger_member_created', columns: ['memberId', 'createdAt'] },
  ],
});

export interface TierHistoryRow {
  id: string;
  memberId: string;
  fromTier: string | null;
  toTier: string;
  reason: TierChangeReason;
  /** The review period (`2026-Q4`) of a review drop; unique per member, so a review drops a member once. */
  reviewPeriod: string | null;
  createdAt: Date;
}

export const TierHistoryEntity = new EntitySchema<TierHistoryRow>({
  name: 'TierHistory',
  tableName: 'tier_history',
  columns: {
    id,
    memberId: { ...ref, name: 'member_id' },
    fromTier: { type: 'varchar', length: 32, name: 'from_tier', nullable: true },
    toTier: { type: 'varchar', length: 32, name: 'to_tier' },
    reason: { type: 'varchar', length: 16 },
    reviewPeriod: { type: 'varchar', length: 8, name: 'review_period', nullable: true },
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'ix_tier_history_member', columns: ['memberId', 'createdAt'] },
    { name: 'uq_tier_history_review', columns: ['memberId', 'reviewPeriod'], unique: true },
  ],
});

/** A quarterly tier review: started once, finished when every member below their tier was reviewed. */
export interface TierReviewRow {
  period: string;
  startedAt: Date;
  finishedAt: Date | null;
  dropped: number;
}

export const TierReviewEntity = new EntitySchema<TierReviewRow>({
  name: 'TierReview',
  tableName: 'tier_reviews',
  columns: {
    period: { type: 'varchar', length: 8, primary: true },
    startedAt: at('started_at'),
    finishedAt: at('finished_at', true),
    dropped: { type: 'int', default: 0 },
  },
});

export interface IdempotencyRow {
  id: string;
  scope: string;
  idemKey: string;
  requestHash: string;
  statusCode: number;
  responseBody: string | null;
  createdAt: Date;
}

export const IdempotencyEntity = new EntitySchema<IdempotencyRow>({
  name: 'Idempotency',
  tableName: 'idempotency_records',
  columns: {
    id,
    scope: { type: 'varchar', length: 128 },
    idemKey: { type: 'varchar', length: 255, name: 'idem_key' },
    requestHash: { type: 'varchar', length: 64, name: 'request_hash' },
    statusCode: { type: 'int', name: 'status_code' },
    responseBody: { type: 'text', name: 'response_body', nullable: true },
    createdAt: at('created_at'),
  },
  indices: [{ name: 'uq_idempotency_scope_key', columns: ['scope', 'idemKey'], unique: true }],
});

export interface JobLeaseRow {
  name: string;
  holder: string;
  leaseUntil: Date;
  lastRunAt: Date | null;
}

export const JobLeaseEntity = new EntitySchema<JobLeaseRow>({
  name: 'JobLease',
  tableName: 'job_leases',
  columns: {
    name: { type: 'varchar', length: 64, primary: true },
    holder: { type: 'varchar', length: 64 },
    leaseUntil: at('lease_until'),
    lastRunAt: at('last_run_at', true),
  },
});

export type JobTrigger = 'schedule' | 'manual';
export type JobOutcome = 'running' | 'ok' | 'failed';

/** One run of a scheduled job: who ran it, as of when, and how it ended. */
export interface JobRunRow {
  id: string;
  job: string;
  /** The lease holder that ran it (instance and run). */
  holder: string;
  triggeredBy: JobTrigger;
  /** The instant the job worked as of (the clock's now, or an operator's `asOf` outside production). */
  asOf: Date;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: JobOutcome;
  /** The job's counts, JSON. */
  result: string | null;
  /** Ids a check reported (the ledger check's members), JSON `{ [kind]: id[] }`. */
  details: string | null;
  /** What went wrong, without personal data (no SQL, no values). */
  error: string | null;
}

export const JobRunEntity = new EntitySchema<JobRunRow>({
  name: 'JobRun',
  tableName: 'job_runs',
  columns: {
    id,
    job: { type: 'varchar', length: 64 },
    holder: { type: 'varchar', length: 64 },
    triggeredBy: { type: 'varchar', length: 16, name: 'triggered_by' },
    asOf: at('as_of'),
    startedAt: at('started_at'),
    finishedAt: at('finished_at', true),
    outcome: { type: 'varchar', length: 16 },
    result: { type: 'text', nullable: true },
    details: { type: 'text', nullable: true },
    error: { type: 'varchar', length: 255, nullable: true },
  },
  indices: [{ name: 'ix_job_runs_job_started', columns: ['job', 'startedAt'] }],
});

// ── Counter: stores, staff, coupons, orders, refunds ───────────────────────────────────────────

export interface StoreRow {
  id: string;
  name: string;
  createdAt: Date;
}

export const StoreEntity = new EntitySchema<StoreRow>({
  name: 'Store',
  tableName: 'stores',
  columns: { id, name: { type: 'varchar', length: 64 }, createdAt: at('created_at') },
});

export interface StaffRow {
  id: string;
  storeId: string;
  username: string;
  passwordHash: string;
  role: StaffRole;
  disabledAt: Date | null;
  /** Tokens issued before this are refused (set by an operator's change to the account). */
  sessionsValidFrom: Date | null;
  createdAt: Date;
}

export const StaffEntity = new EntitySchema<StaffRow>({
  name: 'Staff',
  tableName: 'staff',
  columns: {
    id,
    storeId: { ...ref, name: 'store_id' },
    username: { type: 'varchar', length: 64 },
    passwordHash: { type: 'varchar', length: 255, name: 'password_hash' },
    role: { type: 'varchar', length: 16 },
    disabledAt: at('disabled_at', true),
    sessionsValidFrom: at('sessions_valid_from', true),
    createdAt: at('created_at'),
  },
  indices: [{ name: 'uq_staff_username', columns: ['username'], unique: true }],
});

/** What a coupon gives: the same columns on a template and on each coupon issued from it. */
const couponTermsColumns = {
  kind: { type: 'varchar', length: 16 },
  title: { type: 'varchar', length: 80 },
  valueCents: { type: 'int', name: 'value_cents', nullable: true },
  thresholdCents: { type: 'int', name: 'threshold_cents', nullable: true },
  discountPercent: { type: 'int', name: 'discount_percent', nullable: true },
  capCents: { type: 'int', name: 'cap_cents', nullable: true },
} as const;

export interface CouponTemplateRow {
  id: string;
  code: string;
  kind: CouponKind;
  title: string;
  valueCents: number | null;
  thresholdCents: number | null;
  discountPercent: number | null;
  capCents: number | null;
  validityDays: number | null;
  validFrom: Date | null;
  validTo: Date | null;
  totalStock: number | null;
  issuedCount: number;
  perMemberLimit: number | null;
  minTier: string | null;
  source: TemplateSource;
  createdAt: Date;
  updatedAt: Date;
}

export const CouponTemplateEntity = new EntitySchema<CouponTemplateRow>({
  name: 'CouponTemplate',
  tableName: 'coupon_templates',
  columns: {
    id,
    code: { type: 'varchar', length: 64 },
    ...couponTermsColumns,
    validityDays: { type: 'int', name: 'validity_days', nullable: true },
    validFrom: at('valid_from', true),
    validTo: at('valid_to', true),
    totalStock: { type: 'int', name: 'total_stock', nullable: true },
    issuedCount: { type: 'int', name: 'issued_count', default: 0 },
    perMemberLimit: { type: 'int', name: 'per_member_limit', nullable: true },
    minTier: { type: 'varchar', length: 32, name: 'min_tier', nullable: true },
    source: { type: 'varchar', length: 16 },
    createdAt: at('created_at'),
    updatedAt: at('updated_at'),
  },
  indices: [{ name: 'uq_coupon_templates_code', columns: ['code'], unique: true }],
});

export interface MemberCouponRow {
  id: string;
  memberId: string;
  templateId: string;
  kind: CouponKind;
  title: string;
  valueCents: number | null;
  thresholdCents: number | null;
  discountPercent: number | null;
  capCents: number | null;
  minTier: string | null;
  validFrom: Date;
  validTo: Date;
  status: CouponStatus;
  lockRef: string | null;
  lockedUntil: Date | null;
  usedOrderId: string | null;
  usedAt: Date | null;
  sourceKey: string;
  createdAt: Date;
}

export const MemberCouponEntity = new EntitySchema<MemberCouponRow>({
  name: 'MemberCoupon',
  tableName: 'member_coupons',
  columns: {
    id,
    memberId: { ...ref, name: 'member_id' },
    templateId: { ...ref, name: 'template_id' },
    ...couponTermsColumns,
    minTier: { type: 'varchar', length: 32, name: 'min_tier', nullable: true },
    validFrom: at('valid_from'),
    validTo: at('valid_to'),
    status: { type: 'varchar', length: 16 },
    lockRef: { type: 'varchar', length: 64, name: 'lock_ref', nullable: true },
    lockedUntil: at('locked_until', true),
    usedOrderId: { ...ref, name: 'used_order_id', nullable: true },
    usedAt: at('used_at', true),
    sourceKey: { type: 'varchar', length: 191, name: 'source_key' },
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'uq_member_coupons_source', columns: ['memberId', 'sourceKey'], unique: true },
    { name: 'ix_member_coupons_member_status', columns: ['memberId', 'status', 'validTo'] },
    { name: 'ix_member_coupons_template_member', columns: ['templateId', 'memberId'] },
    { name: 'ix_member_coupons_created', columns: ['createdAt', 'status'] },
    { name: 'ix_member_coupons_status_valid_to', columns: ['status', 'validTo'] },
    { name: 'ix_member_coupons_status_created', columns: ['status', 'createdAt'] },
  ],
});

export interface OrderRow {
  id: string;
  storeId: string;
  staffId: string;
  memberId: string;
  receiptNo: string;
  tierCode: string;
  grossCents: number;
  tierDiscountCents: number;
  couponId: string | null;
  couponDiscountCents: number;
  pointsUsed: number;
  pointsDiscountCents: number;
  dueCents: number;
  pointsEarned: number;
  growthEarned: number;
  /** Campaign multiplier × 100 (200 = double points). */
  multiplierPct: number;
  codeStep: number;
  refundedCents: number;
  pointsReversed: number;
  growthReversed: number;
  pointsReturned: number;
  createdAt: Date;
}

export const OrderEntity = new EntitySchema<OrderRow>({
  name: 'Order',
  tableName: 'orders',
  columns: {
    id,
    storeId: { ...ref, name: 'store_id' },
    staffId: { ...ref, name: 'staff_id' },
    memberId: { ...ref, name: 'member_id' },
    receiptNo: { type: 'varchar', length: 64, name: 'receipt_no' },
    tierCode: { type: 'varchar', length: 32, name: 'tier_code' },
    grossCents: { type: 'int', name: 'gross_cents' },
    tierDiscountCents: { type: 'int', name: 'tier_discount_cents' },
    couponId: { ...ref, name: 'coupon_id', nullable: true },
    couponDiscountCents: { type: 'int', name: 'coupon_discount_cents' },
    pointsUsed: { type: 'int', name: 'points_used' },
    pointsDiscountCents: { type: 'int', name: 'points_discount_cents' },
    dueCents: { type: 'int', name: 'due_cents' },
    pointsEarned: { type: 'int', name: 'points_earned' },
    growthEarned: { type: 'int', name: 'growth_earned' },
    multiplierPct: { type: 'int', name: 'multiplier_pct' },
    codeStep: { type: 'int', name: 'code_step' },
    refundedCents: { type: 'int', name: 'refunded_cents', default: 0 },
    pointsReversed: { type: 'int', name: 'points_reversed', default: 0 },
    growthReversed: { type: 'int', name: 'growth_reversed', default: 0 },
    pointsReturned: { type: 'int', name: 'points_returned', default: 0 },
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'uq_orders_store_receipt', columns: ['storeId', 'receiptNo'], unique: true },
    { name: 'uq_orders_member_step', columns: ['memberId', 'codeStep'], unique: true },
  ],
});

export interface RefundRow {
  id: string;
  orderId: string;
  storeId: string;
  staffId: string;
  refundNo: string;
  amountCents: number;
  pointsReversed: number;
  growthReversed: number;
  pointsReturned: number;
  couponRestored: number;
  /** The manager (or admin) of the store who approved it; null when it needed no approval. */
  approvedBy: string | null;
  createdAt: Date;
}

export const RefundEntity = new EntitySchema<RefundRow>({
  name: 'Refund',
  tableName: 'refunds',
  columns: {
    id,
    orderId: { ...ref, name: 'order_id' },
    storeId: { ...ref, name: 'store_id' },
    staffId: { ...ref, name: 'staff_id' },
    refundNo: { type: 'varchar', length: 64, name: 'refund_no' },
    amountCents: { type: 'int', name: 'amount_cents' },
    pointsReversed: { type: 'int', name: 'points_reversed' },
    growthReversed: { type: 'int', name: 'growth_reversed' },
    pointsReturned: { type: 'int', name: 'points_returned' },
    couponRestored: { type: 'int', name: 'coupon_restored' },
    approvedBy: { ...ref, name: 'approved_by', nullable: true },
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'uq_refunds_store_no', columns: ['storeId', 'refundNo'], unique: true },
    { name: 'ix_refunds_order', columns: ['orderId'] },
  ],
});

// ── Points mall and audit log ──────────────────────────────────────────────────────────────────

export interface MallItemRow {
  id: string;
  kind: MallItemKind;
  title: string;
  description: string;
  imageUrl: string | null;
  pointsCost: number;
  stock: number;
  perMemberLimit: number | null;
  saleFrom: Date | null;
  saleTo: Date | null;
  minTier: string | null;
  couponTemplateCode: string | null;
  active: number;
  createdAt: Date;
  updatedAt: Date;
}

export const MallItemEntity = new EntitySchema<MallItemRow>({
  name: 'MallItem',
  tableName: 'mall_items',
  columns: {
    id,
    kind: { type: 'varchar', length: 16 },
    title: { type: 'varchar', length: 80 },
    description: { type: 'varchar', length: 500 },
    imageUrl: { type: 'varchar', length: 255, name: 'image_url', nullable: true },
    pointsCost: { type: 'int', name: 'points_cost' },
    stock: { type: 'int' },
    perMemberLimit: { type: 'int', name: 'per_member_limit', nullable: true },
    saleFrom: at('sale_from', true),
    saleTo: at('sale_to', true),
    minTier: { type: 'varchar', length: 32, name: 'min_tier', nullable: true },
    couponTemplateCode: { type: 'varchar', length: 64, name: 'coupon_template_code', nullable: true },
    active: { type: 'int', default: 1 },
    createdAt: at('created_at'),
    updatedAt: at('updated_at'),
  },
  indices: [{ name: 'ix_mall_items_active', columns: ['active', 'pointsCost'] }],
});

export interface RedemptionRow {
  id: string;
  memberId: string;
  itemId: string;
  kind: MallItemKind;
  title: string;
  quantity: number;
  pointsSpent: number;
  status: RedemptionStatus;
  pickupCode: string | null;
  couponIds: string | null;
  fulfilledStoreId: string | null;
  fulfilledBy: string | null;
  fulfilledAt: Date | null;
  cancelledAt: Date | null;
  createdAt: Date;
}

export const RedemptionEntity = new EntitySchema<RedemptionRow>({
  name: 'Redemption',
  tableName: 'redemptions',
  columns: {
    id,
    memberId: { ...ref, name: 'member_id' },
    itemId: { ...ref, name: 'item_id' },
    kind: { type: 'varchar', length: 16 },
    title: { type: 'varchar', length: 80 },
    quantity: { type: 'int' },
    pointsSpent: { type: 'int', name: 'points_spent' },
    status: { type: 'varchar', length: 24 },
    pickupCode: { type: 'varchar', length: 16, name: 'pickup_code', nullable: true },
    couponIds: { type: 'varchar', length: 255, name: 'coupon_ids', nullable: true },
    fulfilledStoreId: { ...ref, name: 'fulfilled_store_id', nullable: true },
    fulfilledBy: { ...ref, name: 'fulfilled_by', nullable: true },
    fulfilledAt: at('fulfilled_at', true),
    cancelledAt: at('cancelled_at', true),
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'ix_redemptions_member', columns: ['memberId', 'itemId', 'status'] },
    { name: 'uq_redemptions_pickup_code', columns: ['pickupCode'], unique: true },
    { name: 'ix_redemptions_created', columns: ['createdAt', 'status', 'pointsSpent'] },
    { name: 'ix_redemptions_status_created', columns: ['status', 'createdAt', 'pointsSpent'] },
  ],
});

export interface AuditRow {
  id: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  details: string;
  createdAt: Date;
}

export const AuditEntity = new EntitySchema<AuditRow>({
  name: 'Audit',
  tableName: 'audit_log',
  columns: {
    id,
    actorId: { ...ref, name: 'actor_id' },
    action: { type: 'varchar', length: 64 },
    targetType: { type: 'varchar', length: 32, name: 'target_type' },
    targetId: { type: 'varchar', length: 64, name: 'target_id' },
    details: { type: 'text' },
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'ix_audit_log_target', columns: ['targetType', 'targetId'] },
    { name: 'ix_audit_log_actor', columns: ['actorId'] },
    { name: 'ix_audit_log_action', columns: ['action'] },
  ],
});

// ── Engagement: check-ins and reviews ──────────────────────────────────────────────────────────

/** One check-in: at most one per member per business day, by the unique key, never by a read. */
export interface CheckinRow {
  id: string;
  memberId: string;
  /** The business day (`YYYY-MM-DD` in `businessTimeZone`), decided by the server's clock. */
  day: string;
  /** Consecutive days checked in, this one included. */
  streak: number;
  /** What was credited (after the interaction caps); `points` includes `bonus`. */
  points: number;
  growth: number;
  bonus: number;
  createdAt: Date;
}

export const CheckinEntity = new EntitySchema<CheckinRow>({
  name: 'Checkin',
  tableName: 'checkins',
  columns: {
    id,
    memberId: { ...ref, name: 'member_id' },
    day: { type: 'varchar', length: 10 },
    streak: { type: 'int' },
    points: { type: 'int' },
    growth: { type: 'int' },
    bonus: { type: 'int' },
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'uq_checkins_member_day', columns: ['memberId', 'day'], unique: true },
    { name: 'ix_checkins_day', columns: ['day', 'memberId'] },
    { name: 'ix_checkins_day_created', columns: ['day', 'createdAt'] },
  ],
});

/** A member's review of one counter order: one per order, by the unique key. */
export interface ReviewRow {
  id: string;
  orderId: string;
  memberId: string;
  stars: number;
  /** The quick tags picked, comma-separated (at most three of the `ReviewTag` vocabulary). */
  answers: string;
  comment: string | null;
  points: number;
  growth: number;
  createdAt: Date;
}

/** The tags of a review row as the vocabulary's values. */
export function reviewTags(row: Pick<ReviewRow, 'answers'>): ReviewTag[] {
  return row.answers ? (row.answers.split(',') as ReviewTag[]) : [];
}

export const ReviewEntity = new EntitySchema<ReviewRow>({
  name: 'Review',
  tableName: 'reviews',
  columns: {
    id,
    orderId: { ...ref, name: 'order_id' },
    memberId: { ...ref, name: 'member_id' },
    stars: { type: 'int' },
    answers: { type: 'varchar', length: 100 },
    comment: { type: 'varchar', length: 255, nullable: true },
    points: { type: 'int' },
    growth: { type: 'int' },
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'uq_reviews_order', columns: ['orderId'], unique: true },
    { name: 'ix_reviews_member', columns: ['memberId', 'createdAt'] },
  ],
});

// ── Engagement: share links, their visits and rewards; referral invitations ───────────────────

export interface ShareRow {
  id: string;
  /** What a shared path carries; unguessable, so a link cannot be forged for someone else. */
  token: string;
  memberId: string;
  page: SharePage;
  /** The shared item, for `item` pages. */
  targetId: string | null;
  /**
   * `<business day>:<page>:<item id or empty>`: unique per member, so one link serves every share
   * of the same page that day. NULL on links made before links were reused.
   */
  linkKey: string | null;
  createdAt: Date;
}

export const ShareEntity = new EntitySchema<ShareRow>({
  name: 'Share',
  tableName: 'shares',
  columns: {
    id,
    token: { type: 'varchar', length: 32 },
    memberId: { ...ref, name: 'member_id' },
    page: { type: 'varchar', length: 16 },
    targetId: { ...ref, name: 'target_id', nullable: true },
    linkKey: { type: 'varchar', length: 64, name: 'link_key', nullable: true },
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'uq_shares_token', columns: ['token'], unique: true },
    { name: 'ix_shares_member', columns: ['memberId', 'createdAt'] },
    { name: 'uq_shares_member_link', columns: ['memberId', 'linkKey'], unique: true },
  ],
});

/** A friend (another account) who opened a share link; one row per link and friend, refreshed on each visit. */
export interface ShareVisitRow {
  id: string;
  shareId: string;
  sharerId: string;
  visitorId: string;
  /** WeChat's risk rank of the friend when they opened it; null when WeChat could not rate them. */
  riskRank: number | null;
  visitedAt: Date;
  createdAt: Date;
}

export const ShareVisitEntity = new EntitySchema<ShareVisitRow>({
  name: 'ShareVisit',
  tableName: 'share_visits',
  columns: {
    id,
    shareId: { ...ref, name: 'share_id' },
    sharerId: { ...ref, name: 'sharer_id' },
    visitorId: { ...ref, name: 'visitor_id' },
    riskRank: { type: 'int', name: 'risk_rank', nullable: true },
    visitedAt: at('visited_at'),
    createdAt: at('created_at'),
  },
  indices: [
    { name: 'uq_share_visits_share_visitor', columns: ['shareId', 'visitorId'], unique: true },
    { name: 'ix_share_visits_visitor', columns: ['visitorId', 'visitedAt'] },
  ],
});

/**
 * A sharer rewarded for a friend's action: once per friend per sharer per business day
 * (`UNIQUE(sharer, visitor, day)`), at most `share.maxRewardsPerDay` a day (`UNIQUE(sharer, day, slot)`).
 */
export interface ShareRewardRow {
  id: string;
  sharerId: string;
  visitorId: string;
  shareId: string;
  action: ShareAction;
  /** The friend's event that earned it (`registration:<id>`, `checkin:<day>`, `redemption:<id>`). */
  eventKey: string;
  day: string;
  slot: number;
  status: RewardHoldStatus;
  riskRank: number | null;
  /** What was credited (after the interaction caps); 0 while held. */
  points: number;
  growth: number;
  createdAt: Date;
  paidAt: Date | null;
}

export const ShareRewardEntity = new EntitySchema<ShareRewardRow>({
  name: 'ShareReward',
  tableName: 'share_rewards',
  columns: {
    id,
    sharerId: { ...ref, name: 'sharer_id' },
    visitorId: { ...ref, name: 'visitor_id' },
    shareId: { ...ref, name: 'share_id' },
    action: { type: 'varchar', length: 16 },
    eventKey: { type: 'varchar', length: 128, name: 'event_key' },
    day: { type: 'varchar', length: 10 },
    slot: { type: 'int' },
    status: { type: 'varchar', length: 16 },
    riskRank: { type: 'int', name: 'risk_rank', nullable: true },
    points: { type: 'int', default: 0 },
    growth: { type: 'int', default: 0 },
    createdAt: at('created_at'),
    paidAt: at('paid_at', true),
  },
  indices: [
    { name: 'uq_share_rewards_friend_day', columns: ['sharerId', 'visitorId', 'day'], unique: true },
    { name: 'uq_share_rewards_day_slot', columns: ['sharerId', 'day', 'slot'], unique: true },
  ],
});

/**
 * An invitation: the invitee bound to the inviter once (`UNIQUE(invitee)`), and what its first
 * counter order paid. A rewarded (or held) one takes a slot of the inviter's business month
 * (`UNIQUE(inviter, month, slot)`, at most `referral.maxRewardsPerMonth`).
 */
export interface ReferralRow {
  id: string;
  inviterId: string;
  inviteeId: string;
  status: ReferralStatus;
  /** WeChat's risk rank of the invitee when they registered; null when WeChat could not rate them. */
  riskRank: number | null;
  firstOrderId: string | null;
  month: string | null;
  slot: number | null;
  inviterPoints: number;
  inviterGrowth: number;
  inviteePoints: number;
  milestoneCouponId: string | null;
  registeredAt: Date;
  orderedAt: Date | null;
  rewardedAt: Date | null;
  reversedAt: Date | null;
}

export const ReferralEntity = new EntitySchema<ReferralRow>({
  name: 'Referral',
  tableName: 'referrals',
  columns: {
    id,
    inviterId: { ...ref, name: 'inviter_id' },
    inviteeId: { ...ref, name: 'invitee_id' },
    status: { type: 'varchar', length: 16 },
    riskRank: { type: 'int', name: 'risk_rank', nullable: true },
    firstOrderId: { ...ref, name: 'first_order_id', nullable: true },
    month: { type: 'varchar', length: 7, nullable: true },
    slot: { type: 'int', nullable: true },
    inviterPoints: { type: 'int', name: 'inviter_points', default: 0 },
    inviterGrowth: { type: 'int', name: 'inviter_growth', default: 0 },
    inviteePoints: { type: 'int', name: 'invitee_points', default: 0 },
    milestoneCouponId: { ...ref, name: 'milestone_coupon_id', nullable: true },
    registeredAt: at('registered_at'),
    orderedAt: at('ordered_at', true),
    rewardedAt: at('rewarded_at', true),
    reversedAt: at('reversed_at', true),
  },
  indices: [
    { name: 'uq_referrals_invitee', columns: ['inviteeId'], unique: true },
    { name: 'uq_referrals_month_slot', columns: ['inviterId', 'month', 'slot'], unique: true },
    { name: 'ix_referrals_inviter', columns: ['inviterId', 'registeredAt'] },
    { name: 'ix_referrals_status', columns: ['status', 'orderedAt'] },
    { name: 'ix_referrals_registered', columns: ['registeredAt', 'status'] },
    { name: 'ix_referrals_status_registered', columns: ['status', 'registeredAt'] },
  ],
});

// ── Operations: campaigns created by operators ─────────────────────────────────────────────────

/** A points campaign an operator created (the configured ones live in config/loyalty.json). */
export interface CampaignRow {
  id: string;
  code: string;
  name: string;
  /** Day of the month (business time zone); null: every day of the window. */
  dayOfMonth: number | null;
  /** Multiplier × 100 (200 = double points). */
  multiplierPct: number;
  /** JSON array of tier codes; null: every tier. */
  tiers: string | null;
  /** First and last business day (YYYY-MM-DD, inclusive); null: open-ended. */
  startsOn: string | null;
  endsOn: string | null;
  active: number;
  createdAt: Date;
  updatedAt: Date;
}

// ── Notifications: the outbox and members' subscribe-message credits ───────────────────────────

/** One notification to send as a WeChat subscribe message (see the migration 1732730000000). */
export interface OutboxRow {
  id: string;
  memberId: string;
  kind: NotificationKind;
  /** The message's fields (JSON object of strings); never a phone number or openid. */
  payload: string;
  /** Names the event told about; the same key queues once. */
  dedupeKey: string;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Date;
  /** While `sending`: when the claim lapses and the row is given up (never sent again). */
  claimedUntil: Date | null;
  sentAt: Date | null;
  /** WeChat's errcode (or `no_answer`, `no_openid`, `interrupted`) of the last failed attempt. */
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const CampaignEntity = new EntitySchema<CampaignRow>({
  name: 'Campaign',
  tableName: 'campaigns',
  columns: {
    id,
    code: { type: 'varchar', length: 64 },
    name: { type: 'varchar', length: 40 },
    dayOfMonth: { type: 'int', name: 'day_of_month', nullable: true },
    multiplierPct: { type: 'int', name: 'multiplier_pct' },
    tiers: { type: 'varchar', length: 255, nullable: true },
    startsOn: { type: 'varchar', length: 10, name: 'starts_on', nullable: true },
    endsOn: { type: 'varchar', length: 10, name: 'ends_on', nullable: true },
    active: { type: 'int', default: 1 },
    createdAt: at('created_at'),
    updatedAt: at('updated_at'),
  },
  indices: [{ name: 'uq_campaigns_code', columns: ['code'], unique: true }],
});

export const OutboxEntity = new EntitySchema<OutboxRow>({
  name: 'Outbox',
  tableName: 'outbox',
  columns: {
    id,
    memberId: { ...ref, name: 'member_id' },
    kind: { type: 'varchar', length: 24 },
    payload: { type: 'text' },
    dedupeKey: { type: 'varchar', length: 160, name: 'dedupe_key' },
    status: { type: 'varchar', length: 16 },
    attempts: { type: 'int', default: 0 },
    nextAttemptAt: at('next_attempt_at'),
    claimedUntil: at('claimed_until', true),
    sentAt: at('sent_at', true),
    lastError: { type: 'varchar', length: 32, name: 'last_error', nullable: true },
    createdAt: at('created_at'),
    updatedAt: at('updated_at'),
  },
  indices: [
    { name: 'uq_outbox_dedupe_key', columns: ['dedupeKey'], unique: true },
    { name: 'ix_outbox_due', columns: ['status', 'nextAttemptAt'] },
    { name: 'ix_outbox_member', columns: ['memberId', 'createdAt'] },
  ],
});

/** One-time subscriptions a member accepted for a kind and the sender has not used yet. */
export interface SubscriptionCreditRow {
  id: string;
  memberId: string;
  kind: NotificationKind;
  credits: number;
  updatedAt: Date;
}

export const SubscriptionCreditEntity = new EntitySchema<SubscriptionCreditRow>({
  name: 'SubscriptionCredit',
  tableName: 'subscription_credits',
  columns: {
    id,
    memberId: { ...ref, name: 'member_id' },
    kind: { type: 'varchar', length: 24 },
    credits: { type: 'int', default: 0 },
    updatedAt: at('updated_at'),
  },
  indices: [{ name: 'uq_subscription_credits_member_kind', columns: ['memberId', 'kind'], unique: true }],
});

// ── Reports ──────────────────────────────────────────────────────────────────────────────────

/**
 * The figures of one business day that never change once the day is over (rows only ever added,
 * their counted columns never updated), as the `report-rollup` job computed them: of the whole day
 * (`until` null, written once the day closed), or of the current day's rows created before `until`.
 */
export interface ReportDayRow {
  day: string;
  /** Null: the whole day. Else the figures count only the day's rows created before this instant. */
  until: Date | null;
  pointsIssued: number;
  pointsSpent: number;
  pointsExpired: number;
  couponsIssued: number;
  checkins: number;
  referralsInvited: number;
  redemptions: number;
  /** Points spent by every redemption of the day, cancelled ones included. */
  redemptionPoints: number;
  computedAt: Date;
}

export const ReportDayEntity = new EntitySchema<ReportDayRow>({
  name: 'ReportDay',
  tableName: 'report_days',
  columns: {
    day: { type: 'varchar', length: 10, primary: true },
    pointsIssued: { type: 'int', name: 'points_issued' },
    pointsSpent: { type: 'int', name: 'points_spent' },
    pointsExpired: { type: 'int', name: 'points_expired' },
    couponsIssued: { type: 'int', name: 'coupons_issued' },
    checkins: { type: 'int' },
    referralsInvited: { type: 'int', name: 'referrals_invited' },
    redemptions: { type: 'int' },
    redemptionPoints: { type: 'int', name: 'redemption_points' },
    until: at('until_at', true),
    computedAt: at('computed_at'),
  },
});

/**
 * The KPI summary's pre-aggregated counters (see ReportCounterRepository): signed counts per
 * metric, business day and shard; only the sum over the shards of a (metric, day) means anything.
 */
export interface ReportCounterRow {
  metric: string;
  /** A business day `YYYY-MM-DD`, or `0000-00-00` for the metrics that have no day (tiers). */
  day: string;
  shard: number;
  n: number;
}

export const ReportCounterEntity = new EntitySchema<ReportCounterRow>({
  name: 'ReportCounter',
  tableName: 'report_counters',
  columns: {
    metric: { type: 'varchar', length: 40, primary: true },
    day: { type: 'varchar', length: 10, primary: true },
    shard: { type: 'smallint', primary: true },
    n: { type: 'bigint' },
  },
});

export const entities = [
  MemberEntity,
  ReportCounterEntity,
  TierReviewEntity,
  FormerIdentityEntity,
  PointsLedgerEntity,
  PointsLotEntity,
  PointsAllocationEntity,
  GrowthLedgerEntity,
  TierHistoryEntity,
  IdempotencyEntity,
  JobLeaseEntity,
  JobRunEntity,
  StoreEntity,
  StaffEntity,
  CouponTemplateEntity,
  MemberCouponEntity,
  OrderEntity,
  RefundEntity,
  MallItemEntity,
  RedemptionEntity,
  AuditEntity,
  CheckinEntity,
  ReviewEntity,
  ShareEntity,
  ShareVisitEntity,
  ShareRewardEntity,
  ReferralEntity,
  CampaignEntity,
  OutboxEntity,
  SubscriptionCreditEntity,
  ReportDayEntity,
];

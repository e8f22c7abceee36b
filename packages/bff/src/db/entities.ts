import { EntitySchema } from 'typeorm';

// Entities are declared with EntitySchema (no decorators): plain interfaces, and the same
// definitions work under tsc, tsx and ts-jest. Column names are snake_case in the database.

const id = { type: 'varchar', length: 26, primary: true } as const;
const ref = { type: 'varchar', length: 26 } as const;
const at = (name: string, nullable = false) => ({ type: 'datetime', precision: 3, name, nullable }) as const;

export type MemberStatus = 'pending' | 'active' | 'erased';

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
  tier: string;
  growth: number;
  pointsBalance: number;
  registeredAt: Date | null;
  erasedAt: Date | null;
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
    tier: { type: 'varchar', length: 32 },
    growth: { type: 'int' },
    pointsBalance: { type: 'int', name: 'points_balance' },
    registeredAt: at('registered_at', true),
    erasedAt: at('erased_at', true),
    createdAt: at('created_at'),
    updatedAt: at('updated_at'),
  },
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
});

export interface PointsLedgerRow {
  id: string;
  memberId: string;
  delta: number;
  balanceAfter: number;
  reason: string;
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
});

export interface GrowthLedgerRow {
  id: string;
  memberId: string;
  delta: number;
  valueAfter: number;
  reason: string;
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
});

export interface TierHistoryRow {
  id: string;
  memberId: string;
  fromTier: string | null;
  toTier: string;
  reason: 'registration' | 'upgrade' | 'review' | 'admin';
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
    createdAt: at('created_at'),
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

export const entities = [
  MemberEntity,
  FormerIdentityEntity,
  PointsLedgerEntity,
  PointsLotEntity,
  PointsAllocationEntity,
  GrowthLedgerEntity,
  TierHistoryEntity,
  IdempotencyEntity,
  JobLeaseEntity,
];

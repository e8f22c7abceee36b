import type { JobRun } from '@member/shared/api';

/** What each scheduled job does, in the operator's words; a job not listed shows its name. */
export const JOB_TEXT: Record<string, string> = {
  'points-expiry': '积分过期',
  'coupon-expiry': '优惠券过期',
  'coupon-lock-release': '释放超时锁定的优惠券',
  'referral-rewards': '邀请奖励发放',
  'ledger-check': '账目核对',
  'growth-aging': '成长值老化',
  'tier-review': '会员等级评定',
  notifications: '发送通知',
  'points-expiry-warnings': '积分到期提醒',
  'coupon-expiry-warnings': '优惠券到期提醒',
  'birthday-coupons': '生日券发放',
  'dormant-coupons': '沉睡唤醒券发放',
};

export const OUTCOME_TEXT: Record<JobRun['outcome'], string> = { running: '运行中', ok: '成功', failed: '失败' };

/** The ledger check's counts and the members it found wrong, per kind, for its report. */
const LEDGER_LINES: { key: string; text: string }[] = [
  { key: 'members', text: '核对会员数' },
  { key: 'wrongMembers', text: '账目异常会员' },
  { key: 'pointsLedgerMismatches', text: '积分余额与流水不符' },
  { key: 'lotMismatches', text: '积分余额与批次不符' },
  { key: 'growthMismatches', text: '成长值与流水不符' },
];
const KIND_TEXT: Record<string, string> = { pointsLedger: '积分流水', lots: '积分批次', growth: '成长值' };

export interface ReportLine {
  text: string;
  value: number;
}

/**
 * The latest ledger-check run as report lines (its counts, in a fixed order) and the member ids it
 * reported per kind; null when the job has not run yet (or is still running).
 */
export function ledgerReport(runs: readonly JobRun[]): { run: JobRun; lines: ReportLine[]; members: { kind: string; ids: string[] }[] } | null {
  const run = runs.find((r) => r.outcome !== 'running');
  if (!run) return null;
  const result = run.result ?? {};
  const lines = LEDGER_LINES.filter((l) => l.key in result).map((l) => ({ text: l.text, value: result[l.key] }));
  const members = Object.entries(run.details ?? {}).map(([kind, ids]) => ({
    kind: Object.prototype.hasOwnProperty.call(KIND_TEXT, kind) ? KIND_TEXT[kind] : kind,
    ids,
  }));
  return { run, lines, members };
}

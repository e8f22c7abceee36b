import type { AuditEntry } from '@member/shared/api';

const KEY_TEXT: Record<string, string> = {
  points: '积分',
  reason: '原因',
  balanceAfter: '调整后余额',
  templateCode: '券模板',
  title: '名称',
  name: '名称',
  username: '账号',
  role: '角色',
  stockDelta: '库存变动',
  active: '在售',
  kind: '类型',
};

function show(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/**
 * One line for an audit entry's details, the fields an operator reads first: a points adjustment
 * as "积分 +100 · 原因 …"; ids (entry, coupon and member lists) are left out; the target last.
 */
export function auditSummary(e: Pick<AuditEntry, 'action' | 'details' | 'targetType' | 'targetId'>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e.details)) {
    if (/Id$|Ids$/.test(k)) continue;
    const label = Object.prototype.hasOwnProperty.call(KEY_TEXT, k) ? KEY_TEXT[k] : k;
    const value = k === 'points' && typeof v === 'number' && v > 0 ? `+${v}` : show(v);
    parts.push(`${label} ${value}`);
  }
  parts.push(`对象 ${e.targetType}${e.targetId === '*' ? '' : ` ${e.targetId}`}`);
  return parts.join(' · ');
}

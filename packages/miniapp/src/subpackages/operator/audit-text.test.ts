import { describe, expect, it } from '@jest/globals';
import { auditSummary } from './audit-text';

describe('audit entry lines', () => {
  it('a points adjustment reads with its signed amount and reason, ids left out', () => {
    expect(
      auditSummary({
        action: 'points.adjust',
        targetType: 'member',
        targetId: 'm1',
        details: { points: 100, reason: '客诉补偿', entryId: 'e1', balanceAfter: 1100 },
      }),
    ).toBe('积分 +100 · 原因 客诉补偿 · 调整后余额 1100 · 对象 member m1');
    expect(auditSummary({ action: 'points.adjust', targetType: 'member', targetId: 'm1', details: { points: -5, reason: 'x' } })).toBe(
      '积分 -5 · 原因 x · 对象 member m1',
    );
  });

  it('a search names no member list and no star target', () => {
    expect(auditSummary({ action: 'member.search', targetType: 'member', targetId: '*', details: { kind: 'phone', memberIds: ['a'] } })).toBe(
      '类型 phone · 对象 member',
    );
  });
});

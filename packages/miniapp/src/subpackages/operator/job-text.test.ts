import { describe, expect, it } from '@jest/globals';
import type { JobRun } from '@member/shared/api';
import { ledgerReport } from './job-text';

const run = (over: Partial<JobRun>): JobRun => ({
  id: 'r1',
  job: 'ledger-check',
  holder: 'h',
  trigger: 'manual',
  asOf: '2026-11-23T00:00:00.000Z',
  startedAt: '2026-11-23T00:00:00.000Z',
  finishedAt: '2026-11-23T00:00:01.000Z',
  outcome: 'ok',
  result: null,
  details: null,
  error: null,
  ...over,
});

describe('the ledger-check report', () => {
  it('reads the newest finished run: counts in a fixed order, reported members per kind', () => {
    const report = ledgerReport([
      run({ id: 'now', outcome: 'running' }),
      run({
        id: 'last',
        result: { growthMismatches: 0, members: 12, wrongMembers: 1, pointsLedgerMismatches: 1, lotMismatches: 0 },
        details: { pointsLedger: ['m7'] },
      }),
      run({ id: 'older', result: { members: 3 } }),
    ]);
    expect(report?.run.id).toBe('last');
    expect(report?.lines).toEqual([
      { text: '核对会员数', value: 12 },
      { text: '账目异常会员', value: 1 },
      { text: '积分余额与流水不符', value: 1 },
      { text: '积分余额与批次不符', value: 0 },
      { text: '成长值与流水不符', value: 0 },
    ]);
    expect(report?.members).toEqual([{ kind: '积分流水', ids: ['m7'] }]);
  });

  it('no finished run, no report', () => {
    expect(ledgerReport([])).toBeNull();
    expect(ledgerReport([run({ outcome: 'running' })])).toBeNull();
  });
});

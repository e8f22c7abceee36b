import { describe, expect, it } from '@jest/globals';
import type { PublicRules } from '@member/shared/api';
import { referralRuleLines, referralRuleSummary, shareRuleLines, shareRuleSummary } from './engagement-rules';

const rules = {
  share: { points: 10, growth: 2, windowHours: 24, maxRewardsPerDay: 3 },
  referral: {
    inviterPoints: 100,
    inviterGrowth: 2,
    inviteePoints: 50,
    minFirstOrderPaidCents: 2000,
    maxRewardsPerMonth: 20,
    milestoneEvery: 5,
    milestoneTitle: '邀请达人 ¥20',
  },
} as unknown as PublicRules;

describe('engagement rules shown where members share', () => {
  it('states the share rules with the served numbers, and that sharing alone and Moments give nothing', () => {
    const text = shareRuleLines(rules).join('\n');
    for (const s of ['24 小时内注册、签到或兑换', '10 积分 + 2 成长值', '每天最多奖励 3 次', '仅分享不获得奖励', '朋友圈不获得奖励', '没有抽奖或随机奖励']) {
      expect(text).toContain(s);
    }
  });
  it('states the referral rewards, the milestone, the monthly cap and the reversal', () => {
    const text = referralRuleLines(rules).join('\n');
    for (const s of [
      '你得 100 积分 + 2 成长值，好友得 50 积分',
      '每成功邀请 5 位',
      '邀请达人 ¥20',
      '每月最多奖励 20 位',
      '首笔到店消费实付满 ¥20.00',
      '退款后实付不足 ¥20.00（含全额退款）',
    ])
      expect(text).toContain(s);
  });
  it('sums the share rules up in two short lines: what the friend does, the reward, and that sharing alone gives nothing', () => {
    expect(shareRuleSummary(rules)).toEqual(['好友打开链接 24 小时内注册、签到或兑换', '你得 10 积分 + 2 成长值；仅分享不得奖励']);
  });
  it('sums the referral reward up in two short lines', () => {
    expect(referralRuleSummary(rules)).toEqual(['好友用邀请码注册，首单实付满 ¥20.00 后', '你得 100 积分 + 2 成长值，好友得 50 积分']);
  });
});

import type { PublicRules } from '@member/shared/api';
import { yuan } from './format';

/**
 * The share-to-earn rules in full, from the numbers the server applies (GET /rules), shown wherever
 * a member shares: what a friend must do, for how long, how often it counts, and what never counts.
 */
export function shareRuleLines(r: PublicRules): string[] {
  const s = r.share;
  return [
    `好友通过你分享的链接打开后 ${s.windowHours} 小时内注册、签到或兑换，你可得 ${s.points} 积分 + ${s.growth} 成长值。`,
    `同一位好友每天最多计 1 次；每天最多奖励 ${s.maxRewardsPerDay} 次。`,
    '仅分享不获得奖励；分享到朋友圈不获得奖励；自己打开自己的链接不计入。',
    '奖励固定，没有抽奖或随机奖励；计入每日、每月互动积分上限。',
    '被微信安全评估为高风险的账户，奖励需人工审核后发放。',
  ];
}

/** The share rules in two short lines, above the full rules (behind 规则). */
export function shareRuleSummary(r: PublicRules): string[] {
  const s = r.share;
  return [`好友打开链接 ${s.windowHours} 小时内注册、签到或兑换`, `你得 ${s.points} 积分 + ${s.growth} 成长值；仅分享不得奖励`];
}

/** The referral reward in two short lines, above the full rules (behind 规则). */
export function referralRuleSummary(r: PublicRules): string[] {
  const f = r.referral;
  return [
    `好友用邀请码注册，首单实付满 ${yuan(f.minFirstOrderPaidCents)} 后`,
    `你得 ${f.inviterPoints} 积分 + ${f.inviterGrowth} 成长值，好友得 ${f.inviteePoints} 积分`,
  ];
}

/** The referral rules in full (PRODUCT §8), from GET /rules. */
export function referralRuleLines(r: PublicRules): string[] {
  const f = r.referral;
  return [
    `好友用你的邀请码（或邀请链接、海报）注册成为新会员，首笔到店消费实付满 ${yuan(f.minFirstOrderPaidCents)} 后：你得 ${f.inviterPoints} 积分 + ${f.inviterGrowth} 成长值，好友得 ${f.inviteePoints} 积分。`,
    `每成功邀请 ${f.milestoneEvery} 位，额外获得「${f.milestoneTitle}」一张；每月最多奖励 ${f.maxRewardsPerMonth} 位。`,
    '已经是会员、曾经是会员的微信或手机号、邀请过你的人，不能被你邀请。',
    `好友首单退款后实付不足 ${yuan(f.minFirstOrderPaidCents)}（含全额退款），本次邀请奖励将收回。`,
  ];
}

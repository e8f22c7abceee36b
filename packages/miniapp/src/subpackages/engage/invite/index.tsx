import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { Invitation, PublicRules } from '@member/shared/api';
import { invitationsToMilestone } from '@member/shared/rules/engagement';
import { api } from '../../../services/api';
import { REFERRAL_STATUS_TEXT } from '../../../services/labels';
import { referralRuleLines, referralRuleSummary, shareRuleLines } from '../../../services/engagement-rules';
import { useMember } from '../../../hooks/use-member';
import { usePageReload } from '../../../hooks/use-page-reload';
import { useSharePage } from '../../../hooks/use-share-page';
import { ErrorState, LoadingState } from '../../../components/states';
import { ShareAction, ShareRules } from '../../../components/share-panel';
import { Poster } from '../components/poster';
import '../engage.css';
import './index.css';

async function load(): Promise<{ invitation: Invitation; rules: PublicRules; nickname: string }> {
  const [invitation, rules, me] = await Promise.all([api.invitation(), api.rules(), api.me()]);
  return { invitation, rules, nickname: me.nickname };
}

/** Copies the invite code, with a toast. */
async function copyCode(code: string): Promise<void> {
  try {
    await Taro.setClipboardData({ data: code });
    await Taro.showToast({ title: '邀请码已复制', icon: 'success' });
  } catch {
    await Taro.showToast({ title: '复制失败，请手动复制', icon: 'none' });
  }
}

/**
 * 邀请有礼: the member's code (to copy) and the share action, the poster, the rules in short (in full
 * behind 规则), and the friends invited. The share link is made when the member shares, not here.
 */
export default function InvitePage() {
  const state = useMember(load);
  usePageReload(state);
  const invitation = state.data?.invitation ?? null;
  const mintLink = useSharePage({ page: 'invite' }, `${state.data?.nickname ?? ''}邀请你加入会员`, invitation?.path ?? '/pages/index/index');

  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.data || !invitation) return <LoadingState />;
  const { rules, nickname } = state.data;
  const toMilestone = invitationsToMilestone(invitation.rewardedCount, rules.referral.milestoneEvery);

  return (
    <View className='page invite'>
      <View className='panel invite-hero'>
        <View className='muted'>我的邀请码</View>
        <View className='invite-code' data-testid='invite-code'>
          {invitation.code}
        </View>
        <View className='invite-counts' data-testid='invited-count'>
          已成功邀请 {invitation.rewardedCount} 人 · 本月 {invitation.rewardedThisMonth}/{rules.referral.maxRewardsPerMonth}
        </View>
        <View className='muted'>
          再成功邀请 {toMilestone} 位，可得「{rules.referral.milestoneTitle}」
        </View>
        <View className='invite-actions'>
          <Button block fill='outline' data-testid='copy-invite-code' onClick={() => void copyCode(invitation.code)}>
            复制邀请码
          </Button>
          <ShareAction mint={mintLink} label='复制邀请链接' />
        </View>
      </View>

      <Poster nickname={nickname} invitePath={invitation.path} />

      <View className='panel' data-testid='share-panel'>
        <View className='panel-title'>奖励规则</View>
        <ShareRules summary={referralRuleSummary(rules)} rules={[...referralRuleLines(rules), ...shareRuleLines(rules)]} />
      </View>

      <View className='panel' data-testid='invitees'>
        <View className='panel-title'>我邀请的好友</View>
        {invitation.invitees.length === 0 ? <View className='muted'>还没有好友通过你的邀请加入</View> : null}
        {invitation.invitees.map((i) => (
          <View key={`${i.registeredAt}-${i.nickname ?? ''}`} className='invitee-row' data-testid='invitee-row'>
            <Text>{i.nickname ?? '已注销会员'}</Text>
            <Text className='muted' data-testid='invitee-status'>
              {REFERRAL_STATUS_TEXT[i.status]}
              {i.reward ? rewardText(i.reward) : ''}
            </Text>
          </View>
        ))}
      </View>
    </View>
  );
}

/** What an invitation paid the inviter; nothing paid means the day's or month's interaction caps were already reached. */
function rewardText(reward: { points: number; growth: number }): string {
  if (reward.points === 0 && reward.growth === 0) return ' · 已达互动积分上限，本次未加积分';
  return ` · +${reward.points} 积分 +${reward.growth} 成长值`;
}

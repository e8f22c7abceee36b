import { View, Text } from '@tarojs/components';
import type { Invitation, PublicRules } from '@member/shared/api';
import { invitationsToMilestone } from '@member/shared/rules/engagement';
import { api } from '../../../services/api';
import { REFERRAL_STATUS_TEXT } from '../../../services/labels';
import { referralRuleLines } from '../../../services/engagement-rules';
import { useMember } from '../../../hooks/use-member';
import { usePageReload } from '../../../hooks/use-page-reload';
import { useSharePage } from '../../../hooks/use-share-page';
import { ErrorState, LoadingState } from '../../../components/states';
import { SharePanel } from '../../../components/share-panel';
import { Poster } from '../components/poster';
import '../engage.css';
import './index.css';

async function load(): Promise<{ invitation: Invitation; rules: PublicRules; nickname: string }> {
  const [invitation, rules, me] = await Promise.all([api.invitation(), api.rules(), api.me()]);
  return { invitation, rules, nickname: me.nickname };
}

/** 邀请有礼: the member's code, sharing (with the rules), the poster, and the friends invited. */
export default function InvitePage() {
  const state = useMember(load);
  usePageReload(state);
  const invitation = state.data?.invitation ?? null;
  const link = useSharePage({ page: 'invite' }, `${state.data?.nickname ?? ''}邀请你加入会员`, invitation?.path ?? '/pages/index/index');

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
      </View>

      <SharePanel rules={rules} link={link} extraRules={referralRuleLines(rules)} />

      <Poster nickname={nickname} invitePath={invitation.path} />

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

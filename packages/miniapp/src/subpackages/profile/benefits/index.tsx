import { View, Text } from '@tarojs/components';
import type { MemberCard, PublicRules } from '@member/shared/api';
import { api } from '../../../services/api';
import { thousands } from '../../../services/format';
import {
  birthdayGiftText,
  keepTierLine,
  keepTierText,
  memberDayBanner,
  memberDayText,
  nextTierUnlocks,
  tierTable,
  type TierPosition,
} from '../../../services/membership';
import { useMember } from '../../../hooks/use-member';
import { ErrorState, LoadingState } from '../../../components/states';
import '../profile.css';

const POSITION_TEXT: Record<TierPosition, string> = { current: '当前等级', passed: '已达成', next: '下一等级', ahead: '' };

async function load(): Promise<{ me: MemberCard; rules: PublicRules }> {
  const [me, rules] = await Promise.all([api.me(), api.rules()]);
  return { me, rules };
}

/** 会员权益: every tier side by side, where the member stands, what keeps the tier and what the next one adds. */
export default function TierBenefits() {
  const state = useMember(load);
  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.data) return <LoadingState />;
  const { me, rules } = state.data;
  const table = tierTable(rules, me.tier.code);
  const next = nextTierUnlocks(rules, me.tier.code);
  const banner = memberDayBanner(me.today, rules.campaigns, me.tier.code);
  const g = me.growth;
  const keepLine = keepTierLine(g.keep);
  const days = [...new Set(rules.campaigns.filter((c) => c.multiplier > 1).map((c) => c.dayOfMonth))];

  return (
    <View className='page profile'>
      <View className='panel' data-testid='my-position'>
        <View className='panel-title'>
          <Text>我的等级：{me.tier.name}</Text>
          <Text className='muted'>成长值 {thousands(g.value)}</Text>
        </View>
        <View>
          {g.nextTier
            ? g.toNext > 0
              ? `再获得 ${thousands(g.toNext)} 成长值升级${g.nextTier.name}（每消费 ¥1 得 ${rules.growth.perYuanPaid} 成长值）`
              : `成长值已达标，下次评定将升级${g.nextTier.name}`
            : '您已是最高等级会员'}
        </View>
      </View>

      <View className='tier-table' data-testid='tier-table'>
        <View className='tier-row tier-head'>
          <View className='tier-label' />
          {table.map((t) => (
            <View
              key={t.code}
              className={`tier-cell tier-name ${t.position}`}
              data-testid={`tier-${t.code}`}
              style={{ backgroundImage: `linear-gradient(135deg, ${t.colors.from}, ${t.colors.to})`, color: t.colors.text }}
            >
              <View>{t.name.replace('会员', '')}</View>
              {POSITION_TEXT[t.position] ? <View className='tier-position'>{POSITION_TEXT[t.position]}</View> : null}
            </View>
          ))}
        </View>
        <View className='tier-row'>
          <View className='tier-label'>成长值</View>
          {table.map((t) => (
            <View key={t.code} className={`tier-cell ${t.position}`}>
              {t.threshold}
            </View>
          ))}
        </View>
        <View className='tier-row'>
          <View className='tier-label'>会员价</View>
          {table.map((t) => (
            <View key={t.code} className={`tier-cell ${t.position}`}>
              {t.discount}
            </View>
          ))}
        </View>
        <View className='tier-row'>
          <View className='tier-label'>会员日积分</View>
          {table.map((t) => (
            <View key={t.code} className={`tier-cell ${t.position}`} data-testid='member-day-cell'>
              {t.memberDays.length === 0
                ? '—'
                : t.memberDays.map((d) => (
                    <View key={d.when} className='member-day'>
                      <Text className='member-day-when'>{d.when}</Text>
                      <Text className='member-day-x'>{d.multiplier}</Text>
                    </View>
                  ))}
            </View>
          ))}
        </View>
        <View className='tier-row'>
          <View className='tier-label'>礼遇</View>
          {table.map((t) => (
            <View key={t.code} className={`tier-cell gifts ${t.position}`}>
              {t.includes ? <View className='gift-includes'>{t.includes}</View> : null}
              {t.gifts.map((p) => (
                <View key={p}>{p}</View>
              ))}
            </View>
          ))}
        </View>
      </View>

      <View className='panel' data-testid='keep-tier'>
        <View className='panel-title'>保级规则</View>
        {keepLine ? <View data-testid='keep-figure'>{keepLine}</View> : null}
        <View>{keepTierText(rules, me.tier.code)}</View>
        <View className='muted rule-line'>升级即时生效；升级礼包每个等级仅发放一次。</View>
      </View>

      {next ? (
        <View className='panel' data-testid='next-tier'>
          <View className='panel-title'>升级{next.name}可解锁</View>
          <View className='perks'>
            {next.lines.map((l) => (
              <View key={l} className='perk'>
                {l}
              </View>
            ))}
          </View>
        </View>
      ) : null}

      <View className='panel' data-testid='member-day-rules'>
        <View className='panel-title'>会员日</View>
        {banner ? (
          <View className='strong' data-testid='member-day-now'>
            {memberDayText(banner)}
          </View>
        ) : null}
        {days.length > 0 ? (
          <View>
            每月 {days.join('、')} 日为会员日，当天到店消费所得积分按倍数发放：
            {rules.campaigns
              .filter((c) => c.multiplier > 1)
              .map(
                (c) =>
                  `${c.name}${c.tiers ? `（${c.tiers.map((code) => rules.tiers.find((t) => t.code === code)?.name ?? code).join('、')}）` : '（全部会员）'} ×${c.multiplier}`,
              )
              .join('；')}
            。多个活动同时适用时按最高倍数计算，不叠加。
          </View>
        ) : (
          <View className='muted'>暂无会员日活动</View>
        )}
      </View>

      {rules.birthdayGift ? (
        <View className='panel' data-testid='birthday-rules'>
          <View className='panel-title'>生日礼</View>
          <View>生日当月可获得 {birthdayGiftText(rules.birthdayGift)}，发放到券包。请在「我的」中填写生日。</View>
        </View>
      ) : null}
    </View>
  );
}

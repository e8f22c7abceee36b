import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Progress } from '@nutui/nutui-react-taro';
import type { MemberCard, PublicRules } from '@member/shared/api';
import { nextCheckin } from '@member/shared/rules/checkin';
import { businessDate } from '@member/shared/rules/time';
import { api } from '../../services/api';
import { chineseDate, thousands, yuan } from '../../services/format';
import { useMember } from '../../hooks/use-member';
import { usePageReload } from '../../hooks/use-page-reload';
import { useAsync } from '../../hooks/use-async';
import { useLanding } from '../../hooks/use-landing';
import { birthdayGiftText, isBirthdayMonth, keepTierLine, memberDayBanner, memberDayText } from '../../services/membership';
import { ErrorState, LoadingState } from '../../components/states';
import './index.css';

const CHECKIN_URL = '/subpackages/engage/checkin/index';
const BENEFITS_URL = '/subpackages/profile/benefits/index';
const ME_URL = '/subpackages/profile/me/index';
const openBenefits = () => void Taro.navigateTo({ url: BENEFITS_URL });

async function loadCenter(): Promise<{ me: MemberCard; rules: PublicRules }> {
  const [me, rules] = await Promise.all([api.me(), api.rules()]);
  return { me, rules };
}

export default function MemberCenter() {
  // An invite or shared link opens here: keep what it brought for registration, record the visit.
  useLanding();
  const state = useMember(loadCenter);
  usePageReload(state);

  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.data) return <LoadingState text={state.redirecting ? '正在进入注册…' : undefined} />;
  const { me, rules } = state.data;
  const tier = rules.tiers.find((t) => t.code === me.tier.code) ?? rules.tiers[0];
  const g = me.growth;
  const keepLine = keepTierLine(g.keep);
  const nextReward = nextCheckin(me.checkin.streak, rules.checkin);
  const memberDay = memberDayBanner(me.today, rules.campaigns, me.tier.code);
  const birthdayGift = isBirthdayMonth(me.today, me.profile.birthday) ? rules.birthdayGift : null;

  return (
    <View className='page center'>
      <View
        className='member-card'
        data-testid='member-card'
        style={{ backgroundImage: `linear-gradient(135deg, ${tier.colors.from}, ${tier.colors.to})`, color: tier.colors.text }}
      >
        <View className='card-top'>
          <View className='card-name' data-testid='open-me' onClick={() => void Taro.navigateTo({ url: ME_URL })}>
            <Text data-testid='nickname'>{me.nickname}</Text>
            <Text className='card-me'>我的 ›</Text>
          </View>
          <View className='card-code-button' data-testid='open-code' onClick={() => void Taro.switchTab({ url: '/pages/code/index' })}>
            会员码
          </View>
        </View>
        <View className='card-tier' data-testid='open-benefits-card' onClick={openBenefits}>
          <Text data-testid='tier-name'>{me.tier.name}</Text>
          <Text className='card-me'>会员权益 ›</Text>
        </View>
        <View className='card-points' onClick={() => void Taro.navigateTo({ url: '/pages/points/index' })}>
          <View className='card-points-label'>可用积分</View>
          <View className='card-points-value' data-testid='points-balance'>
            {thousands(me.points.balance)}
          </View>
          {me.points.expiring ? (
            <View className='card-expiring' data-testid='points-expiring'>
              {thousands(me.points.expiring.amount)} 积分将于 {chineseDate(me.points.expiring.on)} 过期
            </View>
          ) : null}
        </View>
        {me.tier.discountPercent < 100 ? (
          <View className='card-perk' onClick={openBenefits}>
            会员价 {me.tier.discountPercent / 10} 折
          </View>
        ) : null}
      </View>

      {memberDay ? (
        <View className={`banner member-day${memberDay.when === 'today' ? ' now' : ''}`} data-testid='member-day-banner' onClick={openBenefits}>
          <Text className='banner-badge'>×{memberDay.multiplier}</Text>
          <Text>{memberDayText(memberDay)}</Text>
        </View>
      ) : null}
      {birthdayGift ? <BirthdayGift gift={birthdayGift} timeZone={rules.businessTimeZone} today={me.today} /> : null}

      <View className='panel checkin-entry' data-testid='checkin-entry' onClick={() => void Taro.navigateTo({ url: CHECKIN_URL })}>
        <View>
          <View className='panel-title'>每日签到</View>
          <View className='muted' data-testid='checkin-state'>
            {me.checkin.today
              ? `今日已签到 · 已连续 ${me.checkin.streak} 天`
              : me.checkin.streak > 0
                ? `已连续 ${me.checkin.streak} 天，今天还没签到`
                : '今天还没签到'}
          </View>
        </View>
        <View className={`checkin-go${me.checkin.today ? ' done' : ''}`}>{me.checkin.today ? '已签到' : `签到 +${nextReward.points}`}</View>
      </View>

      <View className='panel' data-testid='growth'>
        <View className='panel-title'>
          <Text>
            成长值 {thousands(g.value)}
            {g.qualifying !== g.value ? (
              <Text className='muted' data-testid='qualifying'>
                {' '}
                · 近{rules.tierReview.trailingDays}天 {thousands(g.qualifying)}
              </Text>
            ) : null}
          </Text>
          {g.nextTier ? (
            <Text className='muted'>
              {g.nextTier.name} {thousands(g.nextTierMin ?? 0)}
            </Text>
          ) : null}
        </View>
        <Progress percent={g.percent} color={`linear-gradient(90deg, ${tier.colors.from}, ${tier.colors.to})`} showText={false} />
        <View className='growth-hint' data-testid='growth-hint'>
          {g.nextTier
            ? g.toNext > 0
              ? `差 ${thousands(g.toNext)} 成长值升级${g.nextTier.name}`
              : `成长值已达标，下次评定将升级${g.nextTier.name}`
            : '您已是最高等级会员'}
        </View>
        {g.nextTier && g.toNext > 0 && g.yuanToNext !== null ? (
          <View className='muted' data-testid='spend-hint'>
            再消费 {yuan(g.yuanToNext * 100)} 即可升级{g.nextTier.name}
          </View>
        ) : null}
        {keepLine ? (
          <View className='muted' data-testid='keep-hint'>
            {keepLine}
          </View>
        ) : null}
      </View>

      <View className='panel' data-testid='projection'>
        <View className='panel-title'>积分价值</View>
        {me.projection.pointsPerYear > 0 ? (
          <View>
            按近期节奏，一年可得约 <Text className='strong'>{thousands(me.projection.pointsPerYear)}</Text> 积分， 到店可抵{' '}
            <Text className='strong'>{yuan(me.projection.worthCents)}</Text>
          </View>
        ) : (
          <View>
            每消费 ¥1 得 {rules.points.perYuanPaid} 积分，{rules.spend.pointsPerYuan} 积分可抵 ¥1
          </View>
        )}
        <View className='muted rule-line'>
          积分有效期 {rules.points.lotLifetimeDays} 天；到店抵现最高为应付金额的 {rules.spend.maxPercentOfDue}%
        </View>
      </View>

      <View className='panel'>
        <View className='panel-title'>
          <Text>{me.tier.name}权益</Text>
          <Text className='link' data-testid='open-benefits' onClick={openBenefits}>
            全部等级权益 ›
          </Text>
        </View>
        <View className='perks'>
          {tier.perks.map((p) => (
            <View key={p} className='perk' data-testid='perk' onClick={openBenefits}>
              {p}
            </View>
          ))}
        </View>
      </View>

      <View className='panel menu'>
        <View className='menu-row' data-testid='open-orders' onClick={() => void Taro.navigateTo({ url: '/subpackages/member/orders/index' })}>
          <Text>消费记录</Text>
          <Text className='muted'>›</Text>
        </View>
        <View className='menu-row' data-testid='open-invite' onClick={() => void Taro.navigateTo({ url: '/subpackages/engage/invite/index' })}>
          <Text>邀请有礼</Text>
          <Text className='muted'>邀好友得 {rules.referral.inviterPoints} 积分 ›</Text>
        </View>
        <View className='menu-row' onClick={() => void Taro.navigateTo({ url: '/pages/points/index' })}>
          <Text>积分明细</Text>
          <Text className='muted'>›</Text>
        </View>
        <View className='menu-row'>
          <Text>可用优惠券</Text>
          <Text className='muted' data-testid='coupon-count'>
            {me.coupons.available} 张
          </Text>
        </View>
      </View>
      <View className='panel menu'>
        <View className='menu-row' data-testid='open-me-menu' onClick={() => void Taro.navigateTo({ url: ME_URL })}>
          <Text>我的资料与隐私</Text>
          <Text className='muted'>›</Text>
        </View>
      </View>
    </View>
  );
}

/**
 * The birthday month's gift: the coupon when it is in the wallet (issued for the birthday:
 * `occasion`), the coupon already used when it was issued this business month, otherwise that it
 * will arrive. The `birthday-coupons` job issues it within the birthday month (it runs every hour,
 * once per member per year), so the card promises the month, never a day.
 */
function BirthdayGift({ gift, timeZone, today }: { gift: NonNullable<PublicRules['birthdayGift']>; timeZone: string; today: string }) {
  const wallet = useAsync(async () => {
    // Found by why it was issued (occasion), not by a title an operator may share with another template.
    const available = (await api.coupons('available')).find((c) => c.occasion === 'birthday') ?? null;
    if (available) return { coupon: available, used: false };
    const month = today.slice(0, 7);
    const used = (await api.coupons('used')).find((c) => c.occasion === 'birthday' && businessDate(new Date(c.validFrom), timeZone).startsWith(month)) ?? null;
    return { coupon: used, used: Boolean(used) };
  }, []);
  // Nothing until the wallet has answered: "will arrive" shown for a moment over a gift already in the wallet would be wrong.
  if (wallet.loading && !wallet.data) return null;
  const coupon = wallet.data?.coupon ?? null;
  return (
    <View className='banner birthday' data-testid='birthday-gift' onClick={() => void Taro.switchTab({ url: '/pages/coupons/index' })}>
      <Text className='banner-badge'>生日</Text>
      <Text>
        {coupon && wallet.data?.used
          ? `生日快乐！本月的${birthdayGiftText(gift)}已使用`
          : coupon
            ? `生日快乐！${birthdayGiftText(gift)}已在券包，${chineseDate(businessDate(new Date(coupon.validTo), timeZone))}前有效`
            : `生日快乐！本月将发放${birthdayGiftText(gift)}，到账后在券包查看`}
      </Text>
    </View>
  );
}

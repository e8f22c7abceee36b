import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CheckinResult, PublicRules } from '@member/shared/api';
import { cycleDay, nextCheckin } from '@member/shared/rules/checkin';
import { api } from '../../../services/api';
import { thousands } from '../../../services/format';
import { useAction } from '../../../hooks/use-action';
import { useMember } from '../../../hooks/use-member';
import { ErrorState, LoadingState } from '../../../components/states';
import { WEEKDAYS, monthGrid, monthTitle, shiftMonth } from '../calendar';
import '../engage.css';

/** How the business time zone reads to a member. */
function zoneText(zone: string): string {
  return zone === 'Asia/Shanghai' ? '北京时间' : zone;
}

/**
 * Daily check-in: the streak and where it stands in the cycle, today's reward and the bonus
 * ahead (the shared rule, with the numbers from /rules), the button, a month calendar of the days
 * checked in, and the rules in full. The server decides the day; the page never reads the phone's date.
 */
export default function CheckinPage() {
  const [month, setMonth] = useState<string | undefined>(undefined);
  const state = useMember(async () => {
    const [view, rules] = await Promise.all([api.checkins(month), api.rules()]);
    return { view, rules };
  }, [month]);
  const [result, setResult] = useState<CheckinResult | null>(null);
  const checkIn = useAction(async () => {
    setResult(await api.checkIn());
    setMonth(undefined);
    await state.reload();
  });

  if (state.error && !state.data) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.data) return <LoadingState />;
  const { view, rules } = state.data;
  const r = rules.checkin;
  const next = nextCheckin(view.streak, r);
  // Days of the current cycle done: a completed cycle shows empty again until the next check-in starts one.
  const position = view.todayChecked ? cycleDay(view.streak, r) : cycleDay(view.streak + 1, r) - 1;
  const currentMonth = view.today.slice(0, 7);

  return (
    <View className='page checkin-page'>
      <View className='panel checkin-head'>
        <View className='checkin-streak'>
          已连续签到{' '}
          <Text className='checkin-streak-days' data-testid='checkin-streak'>
            {view.streak}
          </Text>{' '}
          天
        </View>
        <View className='cycle' data-testid='checkin-cycle'>
          {Array.from({ length: r.cycleDays }, (_, i) => i + 1).map((d) => (
            <View key={d} className={`cycle-day${d <= position ? ' done' : ''}${d === r.cycleDays ? ' bonus' : ''}`}>
              <View className='cycle-dot'>{d === r.cycleDays ? `+${r.bonusPoints}` : `+${r.points}`}</View>
              <View className='cycle-label'>第{d}天</View>
            </View>
          ))}
        </View>
        <View className='checkin-next' data-testid='checkin-reward'>
          {view.todayChecked ? '明天' : '今天'}签到可得 {next.points} 积分 + {next.growth} 成长值
        </View>
        <View className='muted' data-testid='checkin-bonus-ahead'>
          {next.checkinsToBonus === 1
            ? `${view.todayChecked ? '明天' : '今天'}签到即得连签第 ${r.cycleDays} 天奖励 ${r.bonusPoints} 积分`
            : `再签到 ${next.checkinsToBonus} 天，可得连签第 ${r.cycleDays} 天奖励 ${r.bonusPoints} 积分`}
        </View>
        {result ? (
          <View className='checkin-result' data-testid='checkin-result'>
            签到成功：+{result.points} 积分 +{result.growth} 成长值{result.bonus ? `（含连签奖励 ${result.bonus} 积分）` : ''}
            {result.capped ? '；已达到互动奖励上限，超出部分不再发放' : ''}
          </View>
        ) : null}
        {checkIn.error ? <View className='form-error'>{checkIn.error}</View> : null}
        <Button
          className='checkin-button'
          type='primary'
          block
          disabled={view.todayChecked}
          loading={checkIn.busy}
          data-testid='checkin-button'
          onClick={() => void checkIn.run()}
        >
          {view.todayChecked ? '今日已签到' : '立即签到'}
        </Button>
      </View>

      <View className='panel' data-testid='checkin-calendar'>
        <View className='panel-title'>
          <Text className='link' data-testid='calendar-prev' onClick={() => setMonth(shiftMonth(view.month, -1))}>
            ‹ 上月
          </Text>
          <Text data-testid='calendar-month'>{monthTitle(view.month)}</Text>
          {view.month < currentMonth ? (
            <Text className='link' onClick={() => setMonth(shiftMonth(view.month, 1))}>
              下月 ›
            </Text>
          ) : (
            <Text className='muted'>下月 ›</Text>
          )}
        </View>
        <View className='calendar-row weekdays'>
          {WEEKDAYS.map((w) => (
            <View key={w} className='calendar-cell'>
              {w}
            </View>
          ))}
        </View>
        {monthGrid(view.month, view.days, view.today).map((week, i) => (
          <View key={i} className='calendar-row'>
            {week.map((c, j) => (
              <View
                key={c.day ?? `blank-${j}`}
                className={`calendar-cell${c.checked ? ' checked' : ''}${c.today ? ' today' : ''}`}
                data-testid={c.day ? `day-${c.day}` : undefined}
                data-checked={c.checked ? 'true' : 'false'}
              >
                {c.date ? c.date : ''}
              </View>
            ))}
          </View>
        ))}
        <View className='muted calendar-count'>本月已签到 {view.days.length} 天</View>
      </View>

      <Rules rules={rules} />
    </View>
  );
}

function Rules({ rules }: { rules: PublicRules }) {
  const r = rules.checkin;
  const caps = rules.interactionCaps;
  return (
    <View className='panel rules' data-testid='checkin-rules'>
      <View className='panel-title'>签到规则</View>
      <View className='rule'>
        1. 每天可签到一次，得 {r.points} 积分 + {r.growth} 成长值；每天以{zoneText(rules.businessTimeZone)} 0 点为界。
      </View>
      <View className='rule'>
        2. 连续签到第 {r.cycleDays} 天额外奖励 {r.bonusPoints} 积分，之后重新开始计算；中断一天，连续天数从 1 开始。
      </View>
      <View className='rule'>
        3. 签到、评价、分享、邀请等互动奖励合计每天最多 {thousands(caps.perDay.points)} 积分、{caps.perDay.growth} 成长值，每月最多{' '}
        {thousands(caps.perMonth.points)} 积分、{caps.perMonth.growth} 成长值，超出部分不再发放。
      </View>
      <View className='rule'>4. 签到积分有效期 {rules.points.lotLifetimeDays} 天。</View>
    </View>
  );
}

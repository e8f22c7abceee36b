import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import type { ReportSummary } from '@member/shared/api';
import { api } from '../../../services/api';
import { thousands } from '../../../services/format';
import { useAsync } from '../../../hooks/use-async';
import { ErrorState, LoadingState } from '../../../components/states';
import { adminApi } from '../admin-api';
import { BarChart, ColumnChart } from '../components/charts';
import { OperatorShell } from '../components/operator-shell';
import { businessToday, monthRanges, percent, periodRange, PERIODS, share, type PeriodDays } from '../report';
import '../operator.css';

/** How many months "members over time" shows: one summary call per month, so six calls at most. */
const TREND_MONTHS = 6;

function Tile({ label, value, note, testId }: { label: string; value: string; note?: string; testId: string }) {
  return (
    <View className='op-tile' data-testid={testId}>
      <View className='op-tile-label'>{label}</View>
      <View className='op-tile-value' data-testid={`${testId}-value`}>
        {value}
      </View>
      {note ? <View className='op-tile-note'>{note}</View> : null}
    </View>
  );
}

function Tiles({ s }: { s: ReportSummary }) {
  return (
    <View className='op-tiles'>
      <Tile testId='kpi-members-total' label='会员总数' value={thousands(s.members.total)} />
      <Tile testId='kpi-members-new' label='新增会员' value={thousands(s.members.new)} />
      <Tile testId='kpi-members-active' label='30天活跃会员' value={thousands(s.members.active30d)} />
      <Tile testId='kpi-points-issued' label='积分发放' value={thousands(s.points.issued)} />
      <Tile testId='kpi-points-spent' label='积分消耗' value={thousands(s.points.spent)} />
      <Tile testId='kpi-points-expired' label='积分过期' value={thousands(s.points.expired)} />
      <Tile testId='kpi-coupons-issued' label='优惠券发放' value={thousands(s.coupons.issued)} note={`已使用 ${thousands(s.coupons.used)}`} />
      <Tile testId='kpi-coupon-use-rate' label='优惠券使用率' value={percent(s.coupons.useRate)} />
      <Tile
        testId='kpi-checkin-rate'
        label='签到参与率'
        value={percent(s.checkins.participationRate)}
        note={`${thousands(s.checkins.members)} 人签到 ${thousands(s.checkins.checkins)} 次`}
      />
      <Tile
        testId='kpi-referrals'
        label='邀请转化'
        value={thousands(s.referrals.converted)}
        note={`邀请 ${thousands(s.referrals.invited)} 人，转化率 ${percent(s.referrals.conversionRate)}`}
      />
      <Tile
        testId='kpi-mall'
        label='商城兑换'
        value={thousands(s.mall.redemptions)}
        note={`消耗 ${thousands(s.mall.pointsSpent)} 积分，取消 ${thousands(s.mall.cancelled)}`}
      />
    </View>
  );
}

/** A bar of a count: its label, its length and its figure. */
const count = (label: string, value: number) => ({ label, value, text: thousands(value) });

function Charts({ s }: { s: ReportSummary }) {
  const tierTotal = s.tiers.reduce((n, t) => n + t.members, 0);
  const charts = [
    {
      id: 'chart-tiers',
      title: '会员等级分布',
      rows: s.tiers.map((t) => ({ ...count(t.name, t.members), text: `${thousands(t.members)}（${percent(share(t.members, tierTotal))}）` })),
    },
    {
      id: 'chart-points',
      title: '积分发放 / 消耗 / 过期',
      rows: [count('发放', s.points.issued), count('消耗', s.points.spent), count('过期', s.points.expired)],
    },
    {
      id: 'chart-coupons',
      title: `优惠券使用（使用率 ${percent(s.coupons.useRate)}）`,
      tone: 'blue' as const,
      rows: [count('发放', s.coupons.issued), count('已使用', s.coupons.used)],
    },
    {
      id: 'chart-checkins',
      title: `签到参与（参与率 ${percent(s.checkins.participationRate)}）`,
      tone: 'green' as const,
      rows: [count('会员总数', s.members.total), count('签到会员', s.checkins.members)],
    },
    {
      id: 'chart-referrals',
      title: `邀请漏斗（转化率 ${percent(s.referrals.conversionRate)}）`,
      tone: 'blue' as const,
      rows: [count('受邀注册', s.referrals.invited), count('完成首单', s.referrals.converted)],
    },
  ];
  return (
    <>
      {charts.map((c) => (
        <View key={c.id} className='panel'>
          <View className='panel-title'>{c.title}</View>
          <BarChart testId={c.id} tone={c.tone} rows={c.rows} />
        </View>
      ))}
    </>
  );
}

/**
 * New members per month over the last six months: one summary call per month (six calls, in
 * parallel) — the API has no time series, and its `members.new` for a month is that month's figure.
 */
function MembersTrend({ today }: { today: string }) {
  const months = monthRanges(today, TREND_MONTHS);
  const trend = useAsync(() => Promise.all(months.map((m) => adminApi.summary(m.from, m.to))), [today]);
  return (
    <View className='panel'>
      <View className='panel-title'>近 {TREND_MONTHS} 个月新增会员</View>
      {trend.error ? <ErrorState error={trend.error} onRetry={trend.reload} /> : null}
      {!trend.data && !trend.error ? <LoadingState /> : null}
      {trend.data ? <ColumnChart testId='chart-members-trend' rows={trend.data.map((s, i) => count(months[i].label, s.members.new))} /> : null}
    </View>
  );
}

function Dashboard({ timeZone }: { timeZone: string }) {
  const [days, setDays] = useState<PeriodDays>(30);
  // The store's today, fixed while the page is open (a period picked twice asks for the same days).
  const [today] = useState(() => businessToday(new Date(), timeZone));
  const range = periodRange(days, today);
  const summary = useAsync(() => adminApi.summary(range.from, range.to), [range.from, range.to]);

  return (
    <View data-testid='dashboard'>
      <View className='op-periods'>
        {PERIODS.map((d) => (
          <Text key={d} className={`op-period${d === days ? ' active' : ''}`} data-testid={`period-${d}`} onClick={() => setDays(d)}>
            近{d}天
          </Text>
        ))}
      </View>
      <View className='op-range' data-testid='period-range'>
        {range.from} 至 {range.to}
      </View>
      {summary.error ? <ErrorState error={summary.error} onRetry={summary.reload} /> : null}
      {summary.loading && !summary.error ? <LoadingState /> : null}
      {summary.data && !summary.loading ? (
        <>
          <Tiles s={summary.data} />
          <Charts s={summary.data} />
        </>
      ) : null}
      <MembersTrend today={today} />
    </View>
  );
}

export default function DashboardPage() {
  const rules = useAsync(api.rules);
  return (
    <OperatorShell section='dashboard'>
      {() =>
        rules.error ? (
          <ErrorState error={rules.error} onRetry={rules.reload} />
        ) : rules.data ? (
          <Dashboard timeZone={rules.data.businessTimeZone} />
        ) : (
          <LoadingState />
        )
      }
    </OperatorShell>
  );
}

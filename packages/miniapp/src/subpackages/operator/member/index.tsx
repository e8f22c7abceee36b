import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { AdminMemberDetail, PointsAdjustment, PointsAdjustmentBody } from '@member/shared/api';
import { api, newKey } from '../../../services/api';
import { businessDateTime, thousands } from '../../../services/format';
import { labelOf, POINTS_REASON_TEXT } from '../../../services/labels';
import { useAsync } from '../../../hooks/use-async';
import { useAction } from '../../../hooks/use-action';
import { ErrorState, LoadingState } from '../../../components/states';
import { adminApi } from '../admin-api';
import { Field, OtherIssues } from '../components/form';
import { OperatorShell } from '../components/operator-shell';
import { fieldIssues, wholeOrText } from '../forms';
import '../operator.css';

const signed = (n: number) => (n > 0 ? `+${thousands(n)}` : `-${thousands(-n)}`);

/**
 * A manual points adjustment with a required reason. Each submission carries an Idempotency-Key
 * made when the form last changed: a double tap or a retry after a lost answer applies once; a
 * changed amount or reason is a new adjustment with a new key.
 */
function Adjustment({ member, onDone }: { member: AdminMemberDetail; onDone: () => void }) {
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [key, setKey] = useState(newKey);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<PointsAdjustment | null>(null);
  const edit = (set: (v: string) => void) => (v: string) => {
    set(v);
    setKey(newKey());
  };
  const submit = useAction(
    async () => {
      setIssues({});
      setResult(null);
      const body = { points: wholeOrText(points), reason } as PointsAdjustmentBody;
      const r = await adminApi.adjustPoints(member.id, body, key);
      setResult(r);
      setPoints('');
      setReason('');
      setKey(newKey());
      onDone();
    },
    {
      onError: (e) => setIssues(fieldIssues(e)),
      texts: { POINTS_INSUFFICIENT: '扣减的积分超过了会员的可用积分', IDEMPOTENCY_MISMATCH: '该调整已按另一数额提交过，请刷新后重试' },
    },
  );

  return (
    <View className='panel' data-testid='adjustment'>
      <View className='panel-title'>积分调整</View>
      <Field name='adjust-points' label='积分（增加填正数，扣减填负数）' value={points} onChange={edit(setPoints)} issue={issues.points} />
      <Field name='adjust-reason' label='原因（必填，会记入审计日志）' value={reason} onChange={edit(setReason)} issue={issues.reason} />
      <OtherIssues issues={issues} shown={['points', 'reason']} />
      {submit.error ? (
        <View className='form-error' data-testid='adjust-error'>
          {submit.error}
        </View>
      ) : null}
      {result ? (
        <View className='muted' data-testid='adjust-result'>
          已调整 {signed(result.points)} 积分，调整后余额 {thousands(result.balanceAfter)}
        </View>
      ) : null}
      <Button
        className='wide'
        type='primary'
        block
        data-testid='adjust-submit'
        loading={submit.busy}
        disabled={!points.trim() || !reason.trim()}
        onClick={() => void submit.run()}
      >
        确认调整
      </Button>
    </View>
  );
}

function MemberDetail({ id, timeZone }: { id: string; timeZone: string }) {
  const member = useAsync(() => adminApi.member(id), [id]);
  if (member.error) return <ErrorState error={member.error} onRetry={member.reload} />;
  if (!member.data) return <LoadingState />;
  const m = member.data;
  return (
    <>
      <View className='panel' data-testid='member-detail'>
        <View className='op-row-head'>
          <Text className='op-row-title' data-testid='member-nickname'>
            {m.nickname || '（未填昵称）'}
          </Text>
          <Text className='op-badge'>{m.tier.name}</Text>
        </View>
        <View className='op-row-meta'>会员编号 {m.ref}</View>
        {m.phoneMasked ? <View className='op-row-meta'>手机 {m.phoneMasked}</View> : null}
        <View className='op-row-meta'>
          积分余额 <Text data-testid='member-balance'>{thousands(m.pointsBalance)}</Text> · 成长值 {thousands(m.growth)}
        </View>
        {m.nextExpiryAt ? <View className='op-row-meta'>最早到期 {businessDateTime(m.nextExpiryAt, timeZone)}</View> : null}
        {m.registeredAt ? <View className='op-row-meta'>注册于 {businessDateTime(m.registeredAt, timeZone)}</View> : null}
        <View className='op-actions'>
          <Text
            className='link'
            data-testid='member-audit'
            onClick={() => void Taro.navigateTo({ url: `/subpackages/operator/audit/index?targetType=member&targetId=${encodeURIComponent(m.id)}` })}
          >
            查看该会员的审计日志
          </Text>
        </View>
      </View>
      <Adjustment member={m} onDone={() => void member.reload()} />
      <View className='panel' data-testid='member-ledger'>
        <View className='panel-title'>最近积分明细</View>
        {m.recentLedger.length === 0 ? <View className='muted'>暂无积分记录</View> : null}
        {m.recentLedger.map((e) => (
          <View className='op-list-row' key={e.id} data-testid='ledger-entry'>
            <View className='op-row-head'>
              <Text>{labelOf(POINTS_REASON_TEXT, e.reason)}</Text>
              <Text className={e.delta >= 0 ? 'op-plus' : 'op-minus'}>{signed(e.delta)}</Text>
            </View>
            <View className='op-row-meta'>
              {businessDateTime(e.createdAt, timeZone)} · 余额 {thousands(e.balanceAfter)}
            </View>
          </View>
        ))}
      </View>
    </>
  );
}

export default function MemberPage() {
  const id = useRouter().params.id ?? '';
  const rules = useAsync(api.rules);
  return (
    <OperatorShell section={null}>
      {() =>
        rules.error ? (
          <ErrorState error={rules.error} onRetry={rules.reload} />
        ) : rules.data ? (
          <MemberDetail id={id} timeZone={rules.data.businessTimeZone} />
        ) : (
          <LoadingState />
        )
      }
    </OperatorShell>
  );
}

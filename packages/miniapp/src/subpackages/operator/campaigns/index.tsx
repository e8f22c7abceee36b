import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { AdminCampaign, CampaignBody, CampaignPatch } from '@member/shared/api';
import { useAsync } from '../../../hooks/use-async';
import { useAction } from '../../../hooks/use-action';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { adminApi } from '../admin-api';
import { Field, OtherIssues } from '../components/form';
import { OperatorShell } from '../components/operator-shell';
import { fieldIssues, wholeOrNull } from '../forms';
import '../operator.css';

interface Draft {
  code: string;
  name: string;
  multiplier: string;
  dayOfMonth: string;
  from: string;
  to: string;
  tiers: string;
}
const EMPTY: Draft = { code: '', name: '', multiplier: '2', dayOfMonth: '', from: '', to: '', tiers: '' };
const FIELDS = ['code', 'name', 'multiplier', 'dayOfMonth', 'from', 'to', 'tiers'];

/** "1.5" → 1.5; anything else goes as typed for the API to refuse on the field. */
function decimalOrText(text: string): number | string {
  const t = text.trim();
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}
const dayOrNull = (text: string) => text.trim() || null;
const tiersOrNull = (text: string) => {
  const list = text
    .split(/[,，\s]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  return list.length ? list : null;
};

function draftOf(c: AdminCampaign): Draft {
  return {
    code: c.code,
    name: c.name,
    multiplier: String(c.multiplier),
    dayOfMonth: c.dayOfMonth === null ? '' : String(c.dayOfMonth),
    from: c.from ?? '',
    to: c.to ?? '',
    tiers: (c.tiers ?? []).join(','),
  };
}

function whenText(c: AdminCampaign): string {
  const day = c.dayOfMonth ? `每月${c.dayOfMonth}日` : '每天';
  const window = c.from || c.to ? `（${c.from ?? '不限'} 至 ${c.to ?? '不限'}）` : '';
  return `${day}${window}`;
}

function CampaignForm({ campaign, onDone, onCancel }: { campaign: AdminCampaign | null; onDone: () => void; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(campaign ? draftOf(campaign) : EMPTY);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const set = (k: keyof Draft) => (v: string) => setD({ ...d, [k]: v });
  const save = useAction(
    async () => {
      setIssues({});
      const fields = {
        name: d.name,
        multiplier: decimalOrText(d.multiplier),
        dayOfMonth: wholeOrNull(d.dayOfMonth),
        from: dayOrNull(d.from),
        to: dayOrNull(d.to),
        tiers: tiersOrNull(d.tiers),
      };
      if (campaign) await adminApi.updateCampaign(campaign.id, fields as CampaignPatch);
      else await adminApi.createCampaign({ code: d.code.trim(), ...fields } as CampaignBody);
      onDone();
    },
    { onError: (e) => setIssues(fieldIssues(e)) },
  );
  return (
    <View className='panel' data-testid='campaign-form'>
      <View className='panel-title'>{campaign ? `编辑：${campaign.name}` : '新建活动'}</View>
      {campaign ? null : <Field name='code' label='编码（小写字母、数字和 -）' value={d.code} onChange={set('code')} issue={issues.code} />}
      <Field name='name' label='名称' value={d.name} onChange={set('name')} issue={issues.name} />
      <Field name='multiplier' label='积分倍数（1–10，最多两位小数）' value={d.multiplier} onChange={set('multiplier')} issue={issues.multiplier} />
      <Field name='dayOfMonth' label='每月几号（留空为窗口内每天）' value={d.dayOfMonth} onChange={set('dayOfMonth')} issue={issues.dayOfMonth} />
      <Field name='from' label='开始日期（YYYY-MM-DD，可留空）' value={d.from} onChange={set('from')} issue={issues.from} />
      <Field name='to' label='结束日期（YYYY-MM-DD，可留空）' value={d.to} onChange={set('to')} issue={issues.to} />
      <Field name='tiers' label='适用等级编码（逗号分隔，留空为全部）' value={d.tiers} onChange={set('tiers')} issue={issues.tiers} />
      <OtherIssues issues={issues} shown={FIELDS} />
      {save.error ? <View className='form-error'>{save.error}</View> : null}
      <Button className='wide' type='primary' block data-testid='campaign-save' loading={save.busy} onClick={() => void save.run()}>
        保存
      </Button>
      <Button className='wide' block onClick={onCancel}>
        取消
      </Button>
    </View>
  );
}

function Campaigns() {
  const list = useAsync(adminApi.campaigns);
  const [editing, setEditing] = useState<AdminCampaign | 'new' | null>(null);
  const toggle = useAction((c: AdminCampaign) => adminApi.updateCampaign(c.id, { active: !c.active }).then(list.reload), { toast: true });

  if (editing)
    return (
      <CampaignForm
        campaign={editing === 'new' ? null : editing}
        onDone={() => {
          setEditing(null);
          void list.reload();
        }}
        onCancel={() => setEditing(null)}
      />
    );
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (!list.data) return <LoadingState />;
  return (
    <View className='panel'>
      <View className='op-row-head'>
        <View className='panel-title'>积分活动（{list.data.length}）</View>
        <Button size='small' type='primary' data-testid='campaign-new' onClick={() => setEditing('new')}>
          新建活动
        </Button>
      </View>
      <View className='muted'>配置文件中的活动不在此列，会员可在权益页看到进行中的活动。</View>
      {list.data.length === 0 ? <EmptyState title='还没有活动' /> : null}
      {list.data.map((c) => (
        <View className='op-list-row' key={c.id} data-testid='op-campaign' data-code={c.code}>
          <View className='op-row-head'>
            <Text className='op-row-title'>{c.name}</Text>
            <Text className={`op-badge ${c.active ? 'on' : 'off'}`}>{c.active ? '进行中' : '已停止'}</Text>
          </View>
          <View className='op-row-meta'>
            {c.code} · 积分 ×{c.multiplier} · {whenText(c)}
            {c.tiers ? ` · 等级 ${c.tiers.join('、')}` : ''}
          </View>
          <View className='op-actions'>
            <Text className='link' onClick={() => setEditing(c)}>
              编辑
            </Text>
            <Text className='link' data-testid='campaign-toggle' onClick={() => void toggle.run(c)}>
              {c.active ? '停止' : '恢复'}
            </Text>
          </View>
        </View>
      ))}
    </View>
  );
}

export default function CampaignsPage() {
  return <OperatorShell section='campaigns'>{() => <Campaigns />}</OperatorShell>;
}

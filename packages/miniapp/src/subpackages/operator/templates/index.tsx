import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CouponKind, CouponTemplate, CouponTemplateBody, CouponTemplatePatch } from '@member/shared/api';
import { couponText, parseYuan, thousands } from '../../../services/format';
import { useAsync } from '../../../hooks/use-async';
import { useAction } from '../../../hooks/use-action';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { adminApi } from '../admin-api';
import { Choice, Field, OtherIssues } from '../components/form';
import { OperatorShell } from '../components/operator-shell';
import { fieldIssues, wholeOrNull, wholeOrText } from '../forms';
import '../operator.css';

const KINDS = [
  { value: 'cash', text: '无门槛券' },
  { value: 'threshold', text: '满减券' },
  { value: 'discount', text: '折扣券' },
] as const satisfies readonly { value: CouponKind; text: string }[];

interface Draft {
  code: string;
  kind: CouponKind;
  title: string;
  value: string;
  threshold: string;
  discountPercent: string;
  cap: string;
  days: string;
  totalStock: string;
  perMemberLimit: string;
}
const EMPTY: Draft = {
  code: '',
  kind: 'cash',
  title: '',
  value: '',
  threshold: '',
  discountPercent: '',
  cap: '',
  days: '30',
  totalStock: '',
  perMemberLimit: '',
};
const FIELDS = [
  'code',
  'kind',
  'title',
  'valueCents',
  'thresholdCents',
  'discountPercent',
  'capCents',
  'validity',
  'validity.days',
  'totalStock',
  'perMemberLimit',
];

/** Yuan typed → cents for the body; "" is left out, and what is no price goes as typed for the API to refuse. */
function cents(text: string): number | string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  return parseYuan(t) ?? t;
}

function draftOf(t: CouponTemplate): Draft {
  return {
    ...EMPTY,
    code: t.code,
    kind: t.kind,
    title: t.title,
    days: 'days' in t.validity ? String(t.validity.days) : '',
    totalStock: t.totalStock === null ? '' : String(t.totalStock),
    perMemberLimit: t.perMemberLimit === null ? '' : String(t.perMemberLimit),
  };
}

function validityText(t: CouponTemplate): string {
  return 'days' in t.validity ? `领取后 ${t.validity.days} 天有效` : `${t.validity.from.slice(0, 10)} 至 ${t.validity.to.slice(0, 10)}`;
}

/** A new template, or an edit of what may change for future issues (code and terms stay: issued coupons keep theirs). */
function TemplateForm({ template, onDone, onCancel }: { template: CouponTemplate | null; onDone: () => void; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(template ? draftOf(template) : EMPTY);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const set = (k: keyof Draft) => (v: string) => setD({ ...d, [k]: v });
  const issue = (k: string): string | undefined => issues[k];
  const fixedDates = template !== null && !('days' in template.validity);

  const save = useAction(
    async () => {
      setIssues({});
      const days = wholeOrText(d.days);
      if (template) {
        const patch = {
          title: d.title,
          ...(fixedDates ? {} : { validity: { days } }),
          totalStock: wholeOrNull(d.totalStock),
          perMemberLimit: wholeOrNull(d.perMemberLimit),
        } as CouponTemplatePatch;
        await adminApi.updateTemplate(template.id, patch);
      } else {
        const body = {
          code: d.code.trim(),
          kind: d.kind,
          title: d.title,
          valueCents: d.kind === 'discount' ? undefined : cents(d.value),
          thresholdCents: d.kind === 'threshold' ? cents(d.threshold) : undefined,
          discountPercent: d.kind === 'discount' ? wholeOrText(d.discountPercent) : undefined,
          capCents: d.kind === 'discount' ? cents(d.cap) : undefined,
          validity: { days },
          totalStock: wholeOrNull(d.totalStock),
          perMemberLimit: wholeOrNull(d.perMemberLimit),
        } as CouponTemplateBody;
        await adminApi.createTemplate(body);
      }
      onDone();
    },
    { onError: (e) => setIssues(fieldIssues(e)) },
  );

  return (
    <View className='panel' data-testid='template-form'>
      <View className='panel-title'>{template ? `编辑：${template.title}` : '新建优惠券模板'}</View>
      {template ? null : (
        <>
          <Field name='code' label='编码（小写字母、数字和 -）' value={d.code} onChange={set('code')} issue={issue('code')} />
          <Choice name='kind' label='类型' value={d.kind} options={KINDS} onChange={(v) => setD({ ...d, kind: v })} />
        </>
      )}
      <Field name='title' label='名称' value={d.title} onChange={set('title')} issue={issue('title')} />
      {!template && d.kind !== 'discount' ? (
        <Field name='value' label='面额（元）' value={d.value} onChange={set('value')} issue={issue('valueCents')} />
      ) : null}
      {!template && d.kind === 'threshold' ? (
        <Field name='threshold' label='门槛（满多少元）' value={d.threshold} onChange={set('threshold')} issue={issue('thresholdCents')} />
      ) : null}
      {!template && d.kind === 'discount' ? (
        <>
          <Field
            name='discountPercent'
            label='折扣（如 85 即 8.5 折）'
            value={d.discountPercent}
            onChange={set('discountPercent')}
            issue={issue('discountPercent')}
          />
          <Field name='cap' label='最多减（元，可留空）' value={d.cap} onChange={set('cap')} issue={issue('capCents')} />
        </>
      ) : null}
      {fixedDates ? null : (
        <Field name='days' label='有效天数（领取后）' value={d.days} onChange={set('days')} issue={issue('validity.days') ?? issue('validity')} />
      )}
      <Field name='totalStock' label='发放总量（留空不限）' value={d.totalStock} onChange={set('totalStock')} issue={issue('totalStock')} />
      <Field name='perMemberLimit' label='每人限领（留空不限）' value={d.perMemberLimit} onChange={set('perMemberLimit')} issue={issue('perMemberLimit')} />
      <OtherIssues issues={issues} shown={FIELDS} />
      {save.error ? (
        <View className='form-error' data-testid='template-form-error'>
          {save.error}
        </View>
      ) : null}
      <Button className='wide' type='primary' block data-testid='template-save' loading={save.busy} onClick={() => void save.run()}>
        保存
      </Button>
      <Button className='wide' block onClick={onCancel}>
        取消
      </Button>
    </View>
  );
}

function Templates() {
  const list = useAsync(adminApi.templates);
  const [editing, setEditing] = useState<CouponTemplate | 'new' | null>(null);
  // Pausing a template stops further issues: its total is set to what has been issued (a PATCH the API allows).
  const pause = useAction((t: CouponTemplate) => adminApi.updateTemplate(t.id, { totalStock: t.issuedCount }).then(list.reload), { toast: true });

  if (editing)
    return (
      <TemplateForm
        template={editing === 'new' ? null : editing}
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
        <View className='panel-title'>优惠券模板（{list.data.length}）</View>
        <Button size='small' type='primary' data-testid='template-new' onClick={() => setEditing('new')}>
          新建模板
        </Button>
      </View>
      {list.data.length === 0 ? <EmptyState title='还没有优惠券模板' /> : null}
      {list.data.map((t) => {
        const soldOut = t.totalStock !== null && t.issuedCount >= t.totalStock;
        return (
          <View className='op-list-row' key={t.id} data-testid='op-template' data-code={t.code}>
            <View className='op-row-head'>
              <Text className='op-row-title'>{t.title}</Text>
              <Text className={`op-badge ${soldOut ? 'off' : 'on'}`}>{soldOut ? '停止发放' : '发放中'}</Text>
            </View>
            <View className='op-row-meta'>
              {t.code} ·{' '}
              {couponText({
                kind: t.kind,
                valueCents: t.valueCents ?? undefined,
                thresholdCents: t.thresholdCents ?? undefined,
                discountPercent: t.discountPercent ?? undefined,
                capCents: t.capCents ?? undefined,
              })}{' '}
              · {validityText(t)}
            </View>
            <View className='op-row-meta'>
              已发放 {thousands(t.issuedCount)} / {t.totalStock === null ? '不限' : thousands(t.totalStock)}
              {t.perMemberLimit ? ` · 每人限领 ${t.perMemberLimit}` : ''}
              {t.source === 'config' ? ' · 配置文件' : ''}
            </View>
            <View className='op-actions'>
              <Text className='link' data-testid='template-edit' onClick={() => setEditing(t)}>
                编辑
              </Text>
              {soldOut ? null : (
                <Text className='link' data-testid='template-pause' onClick={() => void pause.run(t)}>
                  停止发放
                </Text>
              )}
            </View>
          </View>
        );
      })}
    </View>
  );
}

export default function TemplatesPage() {
  return <OperatorShell section='templates'>{() => <Templates />}</OperatorShell>;
}

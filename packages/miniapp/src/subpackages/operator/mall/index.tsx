import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button, Input } from '@nutui/nutui-react-taro';
import type { AdminMallItem, MallItemBody, MallItemKind, MallItemPatch } from '@member/shared/api';
import { thousands } from '../../../services/format';
import { useAsync } from '../../../hooks/use-async';
import { useAction } from '../../../hooks/use-action';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { adminApi } from '../admin-api';
import { Choice, Field, OtherIssues } from '../components/form';
import { OperatorShell } from '../components/operator-shell';
import { fieldIssues, wholeOrNull, wholeOrText } from '../forms';
import '../operator.css';

const KINDS = [
  { value: 'physical', text: '实物' },
  { value: 'service', text: '服务' },
  { value: 'coupon', text: '优惠券' },
] as const satisfies readonly { value: MallItemKind; text: string }[];
const kindText = (k: MallItemKind) => KINDS.find((x) => x.value === k)?.text ?? k;

interface Draft {
  kind: MallItemKind;
  title: string;
  description: string;
  pointsCost: string;
  stock: string;
  perMemberLimit: string;
  couponTemplateCode: string;
}

const EMPTY: Draft = { kind: 'physical', title: '', description: '', pointsCost: '', stock: '', perMemberLimit: '', couponTemplateCode: '' };
const FIELDS = ['kind', 'title', 'description', 'pointsCost', 'stock', 'perMemberLimit', 'couponTemplateCode'];

function draftOf(i: AdminMallItem): Draft {
  return {
    kind: i.kind,
    title: i.title,
    description: i.description,
    pointsCost: String(i.pointsCost),
    stock: String(i.stock),
    perMemberLimit: i.perMemberLimit === null ? '' : String(i.perMemberLimit),
    couponTemplateCode: i.couponTemplateCode ?? '',
  };
}

/**
 * A new item (every field) or an edit of one (what may change: stock moves on its own, by a delta).
 * Numbers go as typed: the API's validation answers for each field, shown under it.
 */
function ItemForm({ item, onDone, onCancel }: { item: AdminMallItem | null; onDone: () => void; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(item ? draftOf(item) : EMPTY);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const set = (k: keyof Draft) => (v: string) => setD({ ...d, [k]: v });
  const save = useAction(
    async () => {
      setIssues({});
      // The API validates the types too: a field typed wrong goes as typed and comes back as an issue.
      if (item) {
        const patch = {
          title: d.title,
          description: d.description,
          pointsCost: wholeOrText(d.pointsCost),
          perMemberLimit: wholeOrNull(d.perMemberLimit),
        } as MallItemPatch;
        await adminApi.updateMallItem(item.id, patch);
      } else {
        const body = {
          kind: d.kind,
          title: d.title,
          description: d.description,
          pointsCost: wholeOrText(d.pointsCost),
          stock: wholeOrText(d.stock),
          perMemberLimit: wholeOrNull(d.perMemberLimit),
          ...(d.kind === 'coupon' || d.couponTemplateCode.trim() ? { couponTemplateCode: d.couponTemplateCode.trim() } : {}),
        } as MallItemBody;
        await adminApi.createMallItem(body);
      }
      onDone();
    },
    { onError: (e) => setIssues(fieldIssues(e)) },
  );

  return (
    <View className='panel' data-testid='mall-form'>
      <View className='panel-title'>{item ? `编辑：${item.title}` : '新建商品'}</View>
      {item ? null : <Choice name='kind' label='类型' value={d.kind} options={KINDS} onChange={(v) => setD({ ...d, kind: v })} />}
      <Field name='title' label='名称' value={d.title} onChange={set('title')} issue={issues.title} />
      <Field name='description' label='描述' value={d.description} onChange={set('description')} issue={issues.description} />
      <Field name='pointsCost' label='所需积分' type='number' value={d.pointsCost} onChange={set('pointsCost')} issue={issues.pointsCost} />
      {item ? null : <Field name='stock' label='库存' type='number' value={d.stock} onChange={set('stock')} issue={issues.stock} />}
      <Field
        name='perMemberLimit'
        label='每人限兑（留空不限）'
        type='number'
        value={d.perMemberLimit}
        onChange={set('perMemberLimit')}
        issue={issues.perMemberLimit}
      />
      {!item && d.kind === 'coupon' ? (
        <Field
          name='couponTemplateCode'
          label='优惠券模板编码'
          value={d.couponTemplateCode}
          onChange={set('couponTemplateCode')}
          issue={issues.couponTemplateCode}
        />
      ) : null}
      <OtherIssues issues={issues} shown={FIELDS} />
      {save.error ? (
        <View className='form-error' data-testid='mall-form-error'>
          {save.error}
        </View>
      ) : null}
      <Button className='wide' type='primary' block data-testid='mall-save' loading={save.busy} onClick={() => void save.run()}>
        保存
      </Button>
      <Button className='wide' block onClick={onCancel}>
        取消
      </Button>
    </View>
  );
}

/** Stock moves by a delta ("+20", "-5"), so concurrent redemptions are never undone by an edit. */
function StockEditor({ item, onDone }: { item: AdminMallItem; onDone: () => void }) {
  const [delta, setDelta] = useState('');
  const move = useAction(
    async () => {
      await adminApi.updateMallItem(item.id, { stockDelta: wholeOrText(delta) } as MallItemPatch);
      onDone();
    },
    { texts: { OUT_OF_STOCK: '库存不足，减少的数量超过了现有库存' } },
  );
  return (
    <View className='op-field f-stock-delta' data-testid='stock-editor'>
      <Text className='op-field-label'>库存增减（如 20 或 -5），当前 {thousands(item.stock)}</Text>
      <Input type='text' value={delta} onChange={setDelta} placeholder='数量' />
      {move.error ? <View className='op-issue'>{move.error}</View> : null}
      <Button size='small' type='primary' data-testid='stock-apply' loading={move.busy} disabled={!delta.trim()} onClick={() => void move.run()}>
        确认调整
      </Button>
    </View>
  );
}

function MallItems() {
  const items = useAsync(adminApi.mallItems);
  const [editing, setEditing] = useState<AdminMallItem | 'new' | null>(null);
  const [stockOf, setStockOf] = useState<string | null>(null);
  const toggle = useAction((i: AdminMallItem) => adminApi.updateMallItem(i.id, { active: !i.active }).then(items.reload), { toast: true });

  const done = () => {
    setEditing(null);
    setStockOf(null);
    void items.reload();
  };

  if (editing) return <ItemForm item={editing === 'new' ? null : editing} onDone={done} onCancel={() => setEditing(null)} />;
  if (items.error) return <ErrorState error={items.error} onRetry={items.reload} />;
  if (!items.data) return <LoadingState />;

  return (
    <View className='panel'>
      <View className='op-row-head'>
        <View className='panel-title'>商城商品（{items.data.length}）</View>
        <Button size='small' type='primary' data-testid='mall-new' onClick={() => setEditing('new')}>
          新建商品
        </Button>
      </View>
      {items.data.length === 0 ? <EmptyState title='还没有商品' /> : null}
      {items.data.map((i) => (
        <View className='op-list-row' key={i.id} data-testid='op-mall-item' data-title={i.title}>
          <View className='op-row-head'>
            <Text className='op-row-title'>{i.title}</Text>
            <Text className={`op-badge ${i.active ? 'on' : 'off'}`}>{i.active ? '在售' : '已暂停'}</Text>
          </View>
          <View className='op-row-meta'>
            {kindText(i.kind)} · {thousands(i.pointsCost)} 积分 · 库存 {thousands(i.stock)}
            {i.perMemberLimit ? ` · 每人限兑 ${i.perMemberLimit}` : ''}
            {i.couponTemplateCode ? ` · 券模板 ${i.couponTemplateCode}` : ''}
          </View>
          <View className='op-actions'>
            <Text className='link' data-testid='mall-edit' onClick={() => setEditing(i)}>
              编辑
            </Text>
            <Text className='link' data-testid='mall-stock' onClick={() => setStockOf(stockOf === i.id ? null : i.id)}>
              库存
            </Text>
            <Text className='link' data-testid='mall-toggle' onClick={() => void toggle.run(i)}>
              {i.active ? '暂停' : '上架'}
            </Text>
          </View>
          {stockOf === i.id ? <StockEditor item={i} onDone={done} /> : null}
        </View>
      ))}
    </View>
  );
}

export default function MallAdminPage() {
  return <OperatorShell section='mall'>{() => <MallItems />}</OperatorShell>;
}

import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import type { AdminMember } from '@member/shared/api';
import { thousands } from '../../../services/format';
import { useAction } from '../../../hooks/use-action';
import { EmptyState } from '../../../components/states';
import { adminApi } from '../admin-api';
import { OperatorShell } from '../components/operator-shell';
import '../operator.css';

const STATUS_TEXT: Record<AdminMember['status'], string> = { pending: '未注册', active: '正常', erased: '已注销' };

export function MemberRow({ m }: { m: AdminMember }) {
  return (
    <View
      className='op-list-row'
      data-testid='op-member'
      onClick={() => void Taro.navigateTo({ url: `/subpackages/operator/member/index?id=${encodeURIComponent(m.id)}` })}
    >
      <View className='op-row-head'>
        <Text className='op-row-title'>{m.nickname || '（未填昵称）'}</Text>
        <Text className={`op-badge ${m.status === 'active' ? 'on' : 'off'}`}>{STATUS_TEXT[m.status]}</Text>
      </View>
      <View className='op-row-meta'>
        编号 {m.ref} · {m.tier.name} · {thousands(m.pointsBalance)} 积分{m.phoneMasked ? ` · ${m.phoneMasked}` : ''}
      </View>
    </View>
  );
}

/** Search by member reference (10 digits), full mobile number, or the start of a nickname. */
function MemberSearch() {
  const [query, setQuery] = useState('');
  const [asked, setAsked] = useState('');
  const [rows, setRows] = useState<AdminMember[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const search = useAction(async (more: boolean) => {
    const q = more ? asked : query.trim();
    if (!q) return;
    const page = await adminApi.searchMembers(q, more ? (cursor ?? undefined) : undefined);
    setAsked(q);
    setRows(more ? [...(rows ?? []), ...page.data] : page.data);
    setCursor(page.nextCursor);
  });

  return (
    <View className='panel'>
      <View className='op-field f-member-query'>
        <Text className='op-field-label'>会员编号、手机号或昵称开头</Text>
        <Input value={query} onChange={setQuery} confirmType='search' onConfirm={() => void search.run(false)} placeholder='输入后搜索' />
      </View>
      <Button
        className='wide'
        type='primary'
        block
        data-testid='member-search'
        loading={search.busy}
        disabled={!query.trim()}
        onClick={() => void search.run(false)}
      >
        搜索
      </Button>
      {search.error ? <View className='form-error'>{search.error}</View> : null}
      {rows && rows.length === 0 ? <EmptyState title='没有找到会员' hint='手机号需输入完整的 11 位号码' /> : null}
      {rows?.map((m) => (
        <MemberRow key={m.id} m={m} />
      ))}
      {cursor ? (
        <Button className='wide' block onClick={() => void search.run(true)}>
          加载更多
        </Button>
      ) : null}
    </View>
  );
}

export default function MembersPage() {
  return <OperatorShell section='members'>{() => <MemberSearch />}</OperatorShell>;
}

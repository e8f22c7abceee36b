import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { AuditEntry } from '@member/shared/api';
import { api } from '../../../services/api';
import { businessDateTime } from '../../../services/format';
import { entryOf } from '../../../services/labels';
import { useAsync } from '../../../hooks/use-async';
import { useAction } from '../../../hooks/use-action';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { adminApi } from '../admin-api';
import { OperatorShell } from '../components/operator-shell';
import { auditSummary } from '../audit-text';
import '../operator.css';

const ACTION_TEXT: Record<string, string> = {
  'points.adjust': '积分调整',
  'coupon.grant': '发放优惠券',
  'coupon-template.create': '新建券模板',
  'coupon-template.update': '修改券模板',
  'mall-item.create': '新建商品',
  'mall-item.update': '修改商品',
  'mall-item.deactivate': '下架商品',
  'member.search': '查询会员',
  'member.view': '查看会员',
  'store.create': '新建门店',
  'store.update': '修改门店',
  'staff.create': '新建员工',
  'staff.update': '修改员工',
};

/** Operator actions, newest first, a page at a time; from a member's page, only that member's. */
function AuditLog({ timeZone, filter }: { timeZone: string; filter: { targetType?: string; targetId?: string } }) {
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useAsync(async () => {
    const page = await adminApi.auditLog(filter);
    setRows(page.data);
    setCursor(page.nextCursor);
  }, [filter.targetType, filter.targetId]);
  const more = useAction(
    async () => {
      if (!cursor) return;
      const page = await adminApi.auditLog({ ...filter, cursor });
      setRows([...rows, ...page.data]);
      setCursor(page.nextCursor);
    },
    { toast: true },
  );

  if (first.error) return <ErrorState error={first.error} onRetry={first.reload} />;
  if (first.loading) return <LoadingState />;
  return (
    <View className='panel' data-testid='audit-log'>
      <View className='panel-title'>{filter.targetId ? '该会员的审计日志' : '审计日志'}</View>
      {rows.length === 0 ? <EmptyState title='暂无记录' /> : null}
      {rows.map((e) => (
        <View className='op-list-row' key={e.id} data-testid='audit-entry' data-action={e.action}>
          <View className='op-row-head'>
            <Text className='op-row-title'>{entryOf(ACTION_TEXT, e.action) ?? e.action}</Text>
            <Text className='op-row-meta'>{businessDateTime(e.createdAt, timeZone)}</Text>
          </View>
          <View className='op-row-meta' data-testid='audit-details'>
            {auditSummary(e)}
          </View>
        </View>
      ))}
      {cursor ? (
        <Button className='wide' block data-testid='audit-more' loading={more.busy} onClick={() => void more.run()}>
          加载更多
        </Button>
      ) : null}
    </View>
  );
}

export default function AuditPage() {
  const params = useRouter().params;
  const [filter] = useState(() => ({ targetType: params.targetType || undefined, targetId: params.targetId || undefined }));
  const rules = useAsync(api.rules);
  return (
    <OperatorShell section='audit'>
      {() =>
        rules.error ? (
          <ErrorState error={rules.error} onRetry={rules.reload} />
        ) : rules.data ? (
          <AuditLog timeZone={rules.data.businessTimeZone} filter={filter} />
        ) : (
          <LoadingState />
        )
      }
    </OperatorShell>
  );
}

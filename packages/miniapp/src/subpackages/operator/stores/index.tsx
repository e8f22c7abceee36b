import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { AdminStaff, AdminStore, StaffRole } from '@member/shared/api';
import { useAsync } from '../../../hooks/use-async';
import { useAction } from '../../../hooks/use-action';
import { ErrorState, LoadingState } from '../../../components/states';
import { adminApi, type Paged } from '../admin-api';
import { Choice, Field, OtherIssues } from '../components/form';
import { OperatorShell } from '../components/operator-shell';
import { fieldIssues } from '../forms';
import '../operator.css';

const ROLES = [
  { value: 'cashier', text: '收银员' },
  { value: 'manager', text: '店长' },
  { value: 'admin', text: '管理员' },
] as const satisfies readonly { value: StaffRole; text: string }[];
const roleText = (r: StaffRole) => ROLES.find((x) => x.value === r)?.text ?? r;

/** Every staff account, following the cursor (a chain has a few hundred at most). */
async function allStaff(): Promise<AdminStaff[]> {
  const out: AdminStaff[] = [];
  let page: Paged<AdminStaff> = await adminApi.staff();
  out.push(...page.data);
  while (page.nextCursor) {
    page = await adminApi.staff(page.nextCursor);
    out.push(...page.data);
  }
  return out;
}

function StoreForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const save = useAction(
    async () => {
      setIssues({});
      await adminApi.createStore(name);
      setName('');
      onDone();
    },
    { onError: (e) => setIssues(fieldIssues(e)) },
  );
  return (
    <View>
      <Field name='store-name' label='新门店名称' value={name} onChange={setName} issue={issues.name} />
      {save.error ? <View className='form-error'>{save.error}</View> : null}
      <Button size='small' type='primary' data-testid='store-create' loading={save.busy} onClick={() => void save.run()}>
        新建门店
      </Button>
    </View>
  );
}

function StaffForm({ stores, onDone, onCancel }: { stores: AdminStore[]; onDone: () => void; onCancel: () => void }) {
  const [storeId, setStoreId] = useState(stores[0]?.id ?? '');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<StaffRole>('cashier');
  const [issues, setIssues] = useState<Record<string, string>>({});
  const save = useAction(
    async () => {
      setIssues({});
      await adminApi.createStaff({ storeId, username, password, role });
      onDone();
    },
    { onError: (e) => setIssues(fieldIssues(e)) },
  );
  return (
    <View className='panel' data-testid='staff-form'>
      <View className='panel-title'>新建员工账号</View>
      <Choice name='storeId' label='门店' value={storeId} options={stores.map((s) => ({ value: s.id, text: s.name }))} onChange={setStoreId} />
      <Field name='username' label='账号（3–64 位字母、数字、_ . -）' value={username} onChange={setUsername} issue={issues.username} />
      <Field name='password' label='初始密码（至少 8 位）' value={password} onChange={setPassword} issue={issues.password} />
      <Choice name='role' label='角色' value={role} options={ROLES} onChange={setRole} />
      <OtherIssues issues={issues} shown={['storeId', 'username', 'password', 'role']} />
      {save.error ? <View className='form-error'>{save.error}</View> : null}
      <Button className='wide' type='primary' block data-testid='staff-save' loading={save.busy} onClick={() => void save.run()}>
        保存
      </Button>
      <Button className='wide' block onClick={onCancel}>
        取消
      </Button>
    </View>
  );
}

function StoresAndStaff() {
  const data = useAsync(() => Promise.all([adminApi.stores(), allStaff()]));
  const [adding, setAdding] = useState(false);
  const toggle = useAction((s: AdminStaff) => adminApi.updateStaff(s.id, { active: !s.active }).then(data.reload), { toast: true });

  if (data.error) return <ErrorState error={data.error} onRetry={data.reload} />;
  if (!data.data) return <LoadingState />;
  const [stores, staff] = data.data;
  if (adding)
    return (
      <StaffForm
        stores={stores}
        onDone={() => {
          setAdding(false);
          void data.reload();
        }}
        onCancel={() => setAdding(false)}
      />
    );

  return (
    <>
      <View className='panel'>
        <View className='op-row-head'>
          <View className='panel-title'>门店与员工</View>
          <Button size='small' type='primary' data-testid='staff-new' disabled={stores.length === 0} onClick={() => setAdding(true)}>
            新建员工
          </Button>
        </View>
        {stores.map((store) => (
          <View className='op-list-row' key={store.id} data-testid='op-store'>
            <View className='op-row-title'>{store.name}</View>
            {staff
              .filter((s) => s.storeId === store.id)
              .map((s) => (
                <View className='op-row-head op-row-meta' key={s.id} data-testid='op-staff'>
                  <Text>
                    {s.username} · {roleText(s.role)}
                    {s.active ? '' : ' · 已停用'}
                  </Text>
                  <Text className='link' onClick={() => void toggle.run(s)}>
                    {s.active ? '停用' : '启用'}
                  </Text>
                </View>
              ))}
          </View>
        ))}
      </View>
      <View className='panel'>
        <StoreForm onDone={() => void data.reload()} />
      </View>
    </>
  );
}

export default function StoresPage() {
  return <OperatorShell section='stores'>{() => <StoresAndStaff />}</OperatorShell>;
}

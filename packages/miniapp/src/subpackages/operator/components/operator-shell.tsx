import { useEffect, useState, type ReactNode } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { StaffSession } from '@member/shared/api';
import { signOut, staffSession } from '../../../services/staff';
import { OPERATOR_LOGIN_URL } from '../admin-api';

const SECTIONS = [
  { key: 'dashboard', text: '运营看板', url: '/subpackages/operator/dashboard/index' },
  { key: 'mall', text: '商城商品', url: '/subpackages/operator/mall/index' },
  { key: 'templates', text: '优惠券模板', url: '/subpackages/operator/templates/index' },
  { key: 'members', text: '会员查询', url: '/subpackages/operator/members/index' },
  { key: 'audit', text: '审计日志', url: '/subpackages/operator/audit/index' },
  { key: 'campaigns', text: '活动', url: '/subpackages/operator/campaigns/index' },
  { key: 'stores', text: '门店与员工', url: '/subpackages/operator/stores/index' },
  { key: 'jobs', text: '任务', url: '/subpackages/operator/jobs/index' },
] as const;
export type Section = (typeof SECTIONS)[number]['key'];

/** Signs out and comes back to the operator area after the next sign-in. */
function switchAccount() {
  signOut();
  void Taro.redirectTo({ url: OPERATOR_LOGIN_URL });
}

/**
 * Every operator page: admin staff only. Without a staff session, off to sign-in (and back); a
 * cashier or manager is told this needs an admin account before anything loads (the BFF answers
 * them 403 all the same).
 */
export function OperatorShell({ section, children }: { section: Section | null; children: (session: StaffSession) => ReactNode }) {
  const [session] = useState(staffSession);
  useEffect(() => {
    if (!session) void Taro.redirectTo({ url: OPERATOR_LOGIN_URL });
  }, [session]);
  if (!session) return null;

  if (session.staff.role !== 'admin') {
    return (
      <View className='page operator-page'>
        <View className='panel' data-testid='operator-needs-admin'>
          <View className='panel-title'>需要管理员账号</View>
          <View className='muted'>运营后台仅限管理员使用。当前账号（{session.staff.username}）没有权限，请使用管理员账号登录。</View>
          <Button className='wide' data-testid='operator-admin-login' type='primary' block onClick={switchAccount}>
            退出并用管理员账号登录
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View className='page operator-page'>
      <View className='op-bar'>
        <Text data-testid='operator-user'>运营后台 · {session.staff.username}</Text>
        <Text className='link' onClick={switchAccount}>
          退出
        </Text>
      </View>
      <View className='op-nav'>
        {SECTIONS.map((s) => (
          <Text
            key={s.key}
            className={`op-nav-item${s.key === section ? ' active' : ''}`}
            data-testid={`op-nav-${s.key}`}
            // Sections are top-level: a fresh start, not a deeper stack of hidden pages.
            onClick={() => {
              if (s.key !== section) void Taro.reLaunch({ url: s.url });
            }}
          >
            {s.text}
          </Text>
        ))}
      </View>
      {children(session)}
    </View>
  );
}

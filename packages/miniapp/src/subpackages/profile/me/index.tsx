import { useState } from 'react';
import { View, Text, Picker } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input } from '@nutui/nutui-react-taro';
import type { MemberCard, PublicRules } from '@member/shared/api';
import { NICKNAME_MAX_CHARS } from '@member/shared/text/text';
import { api } from '../../../services/api';
import { chineseDate } from '../../../services/format';
import { clearSession } from '../../../services/session';
import { birthdayChangeText, checkNickname, eraseLosses, exportFileName, exportSummary } from '../../../services/membership';
import { dataFile } from '../../../platform/data-file';
import { useMember } from '../../../hooks/use-member';
import { useAction } from '../../../hooks/use-action';
import { ErrorState, LoadingState } from '../../../components/states';
import { NotificationSetting } from '../../../components/notification-setting';
import '../profile.css';

async function load(): Promise<{ me: MemberCard; rules: PublicRules }> {
  const [me, rules] = await Promise.all([api.me(), api.rules()]);
  return { me, rules };
}

const SAVED_TEXT = {
  downloaded: '已下载 JSON 文件',
  sent: '已发送文件',
  copied: '已复制到剪贴板',
  failed: '保存失败，请重试',
} as const;

/** 我的: profile (nickname, birthday, masked phone), the privacy centre, notifications, and the staff entrance. */
export default function Me() {
  const state = useMember(load);
  const [editing, setEditing] = useState<'nickname' | null>(null);
  const [nickname, setNickname] = useState('');
  const [showNotice, setShowNotice] = useState(false);
  const [summary, setSummary] = useState<string[] | null>(null);
  const [confirmErase, setConfirmErase] = useState(false);

  const saveNickname = useAction(async (cleaned: string) => {
    await api.updateMe({ nickname: cleaned });
    setEditing(null);
    await state.reload();
    await Taro.showToast({ title: '昵称已保存', icon: 'success' });
  });
  const saveBirthday = useAction(
    async (birthday: string) => {
      await api.updateMe({ birthday });
      await state.reload();
      await Taro.showToast({ title: '生日已保存', icon: 'success' });
    },
    { toast: true, texts: { LIMIT_REACHED: '生日修改次数已达上限，请稍后再试' } },
  );
  const exportData = useAction(
    async (timeZone: string) => {
      const data = await api.exportMe();
      setSummary(exportSummary(data));
      const result = await dataFile.save(exportFileName(data, timeZone), JSON.stringify(data, null, 2));
      await Taro.showToast({ title: SAVED_TEXT[result], icon: result === 'failed' ? 'none' : 'success' });
    },
    { toast: true },
  );
  const erase = useAction(
    async () => {
      await api.eraseMe();
      clearSession();
      await Taro.showToast({ title: '个人数据已删除', icon: 'success', duration: 1500 });
      // Let the member read it before the app starts over at registration.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await Taro.reLaunch({ url: '/pages/index/index' });
    },
    { toast: true },
  );

  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.data) return <LoadingState />;
  const { me, rules } = state.data;
  const p = me.profile;
  const check = checkNickname(nickname);
  const losses = eraseLosses(me, rules.tiers[0]?.code ?? '');
  const birthdayLock = birthdayChangeText(p, rules.profile.birthdayChangeDays, rules.businessTimeZone);

  return (
    <View className='page profile'>
      <View className='panel' data-testid='profile'>
        <View className='panel-title'>个人资料</View>
        <View className='profile-row'>
          <Text>昵称</Text>
          {editing === 'nickname' ? null : (
            <Text
              className='link'
              data-testid='edit-nickname'
              onClick={() => {
                setNickname(me.nickname);
                setEditing('nickname');
              }}
            >
              <Text data-testid='profile-nickname'>{me.nickname}</Text> 修改 ›
            </Text>
          )}
        </View>
        {editing === 'nickname' ? (
          <View className='profile-edit'>
            <Input
              className='profile-input'
              data-testid='nickname-input'
              type='nickname'
              placeholder='怎么称呼您'
              // The input counts UTF-16 units; the counter below counts as the server does and decides.
              maxLength={NICKNAME_MAX_CHARS * 4}
              value={nickname}
              onChange={setNickname}
            />
            <View className='muted' data-testid='nickname-count'>
              {check.count}
            </View>
            {check.error || saveNickname.error ? <View className='error-text'>{check.error ?? saveNickname.error}</View> : null}
            <View className='profile-actions'>
              <Button size='small' onClick={() => setEditing(null)}>
                取消
              </Button>
              <Button
                size='small'
                type='primary'
                data-testid='save-nickname'
                loading={saveNickname.busy}
                disabled={Boolean(check.error) || check.cleaned === me.nickname}
                onClick={() => void saveNickname.run(check.cleaned)}
              >
                保存
              </Button>
            </View>
          </View>
        ) : null}
        <View className='profile-row' data-testid='profile-birthday'>
          <Text>生日</Text>
          {birthdayLock ? (
            <Text className='muted'>{p.birthday ? chineseDate(p.birthday) : '未填写'}</Text>
          ) : (
            <Picker mode='date' value={p.birthday ?? '1995-01-01'} start='1900-01-01' end={me.today} onChange={(e) => void saveBirthday.run(e.detail.value)}>
              <Text className='link'>{p.birthday ? `${chineseDate(p.birthday)} 修改 ›` : '填写生日，领生日礼券 ›'}</Text>
            </Picker>
          )}
        </View>
        <View className='muted'>{birthdayLock ?? `生日每 ${rules.profile.birthdayChangeDays} 天只能修改一次，请确认后再保存`}</View>
        <View className='profile-row'>
          <Text>手机号</Text>
          <Text className='muted' data-testid='profile-phone'>
            {p.phoneMasked ?? '未绑定'}
          </Text>
        </View>
      </View>

      <View className='panel' data-testid='privacy-centre'>
        <View className='panel-title'>隐私中心</View>
        <View className='profile-row' data-testid='open-notice' onClick={() => setShowNotice(!showNotice)}>
          <Text>会员隐私保护指引</Text>
          <Text className='muted'>
            版本 {rules.privacy.consentVersion} {showNotice ? '收起' : '查看 ›'}
          </Text>
        </View>
        {showNotice ? (
          <View className='notice-text' data-testid='privacy-notice'>
            为了给您开通会员卡，我们收集：昵称（在会员卡上展示）、生日（选填，用于发放生日礼券）、手机号（选填，用于找回会员身份）。
            手机号加密存储，不会用于营销短信。您可以随时在此导出或删除个人数据。删除后，我们仅保留您微信身份和手机号的不可逆加密摘要（无法还原为原始信息），
            用途只有一个：新会员礼遇每人仅限一次，再次入会时不重复发放。
          </View>
        ) : null}
        <View className='profile-row'>
          <View>
            <View>导出个人数据</View>
            <View className='muted'>
              {dataFile.kind === 'download' ? '下载 JSON 文件：资料、积分、订单、优惠券等全部记录' : '生成 JSON 文件并发送到聊天（如文件传输助手）'}
            </View>
          </View>
          <Button size='small' data-testid='export-data' loading={exportData.busy} onClick={() => void exportData.run(rules.businessTimeZone)}>
            导出
          </Button>
        </View>
        {summary ? (
          <View className='export-summary' data-testid='export-summary'>
            <View className='strong'>本次导出包含：</View>
            {summary.map((l) => (
              <View key={l}>{l}</View>
            ))}
          </View>
        ) : null}
        <View className='profile-row'>
          <View>
            <View>删除个人数据</View>
            <View className='muted'>注销会员卡并删除个人资料</View>
          </View>
          <Button size='small' type='danger' data-testid='erase-start' onClick={() => setConfirmErase(true)}>
            删除
          </Button>
        </View>
        {confirmErase ? (
          <View className='erase-box' data-testid='erase-confirm'>
            <View className='strong'>删除后不可恢复，请确认：</View>
            {losses ? (
              <View className='strong' data-testid='erase-losses'>
                · {losses}
              </View>
            ) : null}
            <View>· 将删除：昵称、生日、手机号、微信身份和评价中的文字留言，会员卡随之注销；</View>
            <View>· 注销后，剩余的积分、成长值、等级和未使用的优惠券都无法再使用，重新入会也不会恢复；</View>
            <View>· 将保留：不含个人信息的消费、积分流水（用于财务对账），以及微信身份和手机号的不可逆摘要（仅用于新会员礼遇每人一次）。</View>
            <View className='profile-actions'>
              <Button size='small' onClick={() => setConfirmErase(false)}>
                取消
              </Button>
              <Button size='small' type='danger' data-testid='erase-confirm-button' loading={erase.busy} onClick={() => void erase.run()}>
                确认删除
              </Button>
            </View>
          </View>
        ) : null}
      </View>

      <View className='panel'>
        <View className='panel-title'>消息通知</View>
        <NotificationSetting />
      </View>

      <View className='staff-link' data-testid='staff-entry' onClick={() => void Taro.navigateTo({ url: '/subpackages/counter/login/index' })}>
        门店员工入口
      </View>
    </View>
  );
}

import { useState } from 'react';
import { View, Text, Picker } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Checkbox, Input } from '@nutui/nutui-react-taro';
import type { RegisterBody } from '@member/shared/api';
import { NICKNAME_MAX_CHARS, charCount, cleanText, nicknameProblem } from '@member/shared/text/text';
import { api } from '../../services/api';
import { hasCode } from '../../services/api-error';
import { markRegistered } from '../../services/session';
import { forgetLanding, pendingLanding } from '../../services/landing';
import { INVITE_REFUSAL_TEXT } from '../../services/labels';
import type { InviteRefusal } from '@member/shared/vocabulary';
import { useAsync } from '../../hooks/use-async';
import { useAction } from '../../hooks/use-action';
import { PhoneField } from '../../platform/phone-field';
import type { PhoneValue } from '../../platform';
import { ErrorState, LoadingState } from '../../components/states';
import { PrivacyNoticeSheet } from '../../components/privacy-notice';
import './index.css';

const HOME = '/pages/index/index';

const NICKNAME_ERRORS = {
  none: null,
  empty: '请填写昵称',
  'too-long': `昵称最多 ${NICKNAME_MAX_CHARS} 个字`,
  'forbidden-characters': '昵称不能包含 < 或 >',
} as const;

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/**
 * ALREADY_REGISTERED answers a registration both when the caller is a member already and when the
 * phone number belongs to someone else. The code alone cannot tell them apart, so ask the server
 * who the caller is: GET /me answers NOT_FOUND until registration.
 */
async function alreadyMember(): Promise<boolean> {
  try {
    await api.me();
    return true;
  } catch (e) {
    if (hasCode(e, 'NOT_FOUND')) return false;
    throw e;
  }
}

/** Privacy consent first, then the few fields membership needs (PIPL: collect only what is used). */
export default function Register() {
  const rules = useAsync(api.rules);
  const [agreed, setAgreed] = useState(false);
  const [noticeOpen, setNoticeOpen] = useState(false);
  const [nickname, setNickname] = useState('');
  const [birthday, setBirthday] = useState('');
  const [phone, setPhone] = useState<PhoneValue>({ kind: 'none' });
  // What an invite or shared link brought: carried into registration once.
  const [landing, setLanding] = useState(pendingLanding);
  const submit = useAction(
    async (body: RegisterBody) => {
      try {
        await api.register({ ...body, ...landing });
        forgetLanding();
        await Taro.showToast({ title: '开卡成功', icon: 'success' });
      } catch (e) {
        if (hasCode(e, 'NOT_ELIGIBLE')) {
          // The link does not apply (never silently dropped): say why, and let them join without it.
          const reason = e.details?.reason;
          const why = typeof reason === 'string' && reason in INVITE_REFUSAL_TEXT ? INVITE_REFUSAL_TEXT[reason as InviteRefusal] : '邀请链接无效';
          forgetLanding();
          setLanding({});
          await Taro.showToast({ title: `${why}，可直接开通会员卡`, icon: 'none', duration: 3000 });
          return;
        }
        if (!hasCode(e, 'ALREADY_REGISTERED') || !(await alreadyMember())) throw e;
        // The card exists (registered on another device, say): go and show it.
        markRegistered();
        await Taro.showToast({ title: '您已经是会员了', icon: 'none' });
      }
      await Taro.switchTab({ url: HOME });
    },
    // Not a member, so the number is what is taken.
    { toast: true, texts: { ALREADY_REGISTERED: '该手机号已被其他会员使用' } },
  );

  if (rules.loading) return <LoadingState />;
  if (rules.error || !rules.data) return <ErrorState error={rules.error} onRetry={rules.reload} />;
  const consentVersion = rules.data.privacy.consentVersion;

  // The server's rule, applied as the member types: invisible characters dropped, emoji count as one.
  const cleanNickname = cleanText(nickname);
  const nicknameChars = charCount(cleanNickname);
  const nicknameError = NICKNAME_ERRORS[nicknameProblem(cleanNickname) ?? 'none'];
  const phoneError = phone.kind === 'typed' && !/^1[3-9]\d{9}$/.test(phone.phone) ? '请输入 11 位手机号' : null;
  // Why the button is disabled, said under it: the first thing still missing.
  const blocked = !agreed ? '请先勾选同意《会员隐私保护指引》' : (nicknameError ?? phoneError);
  const blockedIsError = agreed && ((nickname !== '' && nicknameError !== null) || phoneError !== null);

  const onSubmit = () => {
    if (blocked) return;
    void submit.run({
      nickname: cleanNickname,
      consentVersion,
      ...(birthday ? { birthday } : {}),
      ...(phone.kind === 'typed' ? { phone: phone.phone } : {}),
      ...(phone.kind === 'code' ? { phoneCode: phone.code } : {}),
    });
  };

  return (
    <View className='page register'>
      <View className='panel consent' data-testid='consent'>
        <View className='panel-title'>隐私保护指引</View>
        <View className='consent-text'>
          为了给您开通会员卡，我们需要收集：<Text className='strong'>昵称</Text>（在会员卡上展示）、
          <Text className='strong'>生日</Text>（选填，用于发放生日礼券）、<Text className='strong'>手机号</Text>
          （选填，用于找回会员身份）。手机号加密存储，不会用于营销短信。您可以随时在会员中心导出或删除个人数据。
          删除后，我们仅保留您微信身份和手机号的不可逆加密摘要（无法还原为原始信息），用途只有一个：新会员礼遇每人仅限一次，再次入会时不重复发放。
        </View>
        <View className='consent-check' data-testid='consent-check' onClick={() => setAgreed(!agreed)}>
          <Checkbox checked={agreed} />
          <Text>
            我已阅读并同意
            <Text
              className='notice-link'
              data-testid='open-privacy-notice'
              onClick={(e) => {
                e.stopPropagation();
                setNoticeOpen(true);
              }}
            >
              《会员隐私保护指引》
            </Text>
            （版本 {consentVersion}）
          </Text>
        </View>
      </View>

      <View className={`panel form ${agreed ? '' : 'form-locked'}`}>
        <View className='panel-title'>填写会员资料</View>
        {landing.inviteCode ? (
          <View className='muted' data-testid='invited-by'>
            邀请码 {landing.inviteCode}：开卡并完成首单，邀请人和您都可获得积分
          </View>
        ) : null}
        <View className='field'>
          <Text className='field-label'>昵称</Text>
          <Input
            className='nickname-input'
            type='nickname'
            placeholder='怎么称呼您'
            // The input counts UTF-16 units (an emoji is two) and invisible characters: leave room for
            // 20 emoji and some of those; the counter below, which counts as the server does, decides.
            maxLength={NICKNAME_MAX_CHARS * 4}
            value={nickname}
            onChange={setNickname}
            disabled={!agreed}
          />
          <Text className={`nickname-count ${nicknameChars > NICKNAME_MAX_CHARS ? 'over' : ''}`} data-testid='nickname-count'>
            {nicknameChars}/{NICKNAME_MAX_CHARS}
          </Text>
        </View>
        <View className='field'>
          <Text className='field-label'>生日</Text>
          <Picker
            mode='date'
            value={birthday || '1995-01-01'}
            start='1900-01-01'
            end={today()}
            onChange={(e) => setBirthday(e.detail.value)}
            disabled={!agreed}
          >
            <View className={`picker ${birthday ? '' : 'placeholder'}`}>{birthday || '选填，用于生日礼券'}</View>
          </Picker>
        </View>
        <View className='field'>
          <Text className='field-label'>手机号</Text>
          <PhoneField value={phone} onChange={setPhone} />
        </View>
        <Button className='submit' data-testid='register-submit' type='primary' block loading={submit.busy} disabled={blocked !== null} onClick={onSubmit}>
          同意并开通会员卡
        </Button>
        {blocked ? (
          <View className={blockedIsError ? 'form-error submit-why' : 'muted hint submit-why'} data-testid='submit-why'>
            {blocked}
          </View>
        ) : null}
      </View>
      {noticeOpen ? <PrivacyNoticeSheet version={consentVersion} onClose={() => setNoticeOpen(false)} /> : null}
    </View>
  );
}

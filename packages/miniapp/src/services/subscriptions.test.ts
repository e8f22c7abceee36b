import { describe, expect, it, jest } from '@jest/globals';
import type { Subscriptions } from '@member/shared/api';
import type { NotificationKind } from '@member/shared/vocabulary';
import type { SubscribePlatform, SubscribeTemplate } from '../platform/index';
import { askForNotifications, creditText, ONLY_IN_WECHAT, SETTING_KINDS } from './subscriptions';

const current: Subscriptions = {
  kinds: [
    { kind: 'points_expiring', templateId: 'T-PE', credits: 0 },
    { kind: 'coupon_expiring', templateId: 'T-CE', credits: 1 },
    { kind: 'tier_changed', templateId: 'T-TC', credits: 0 },
    { kind: 'points_changed', templateId: 'T-PC', credits: 0 },
  ],
};

/** A WeChat whose dialog answers `answer` (or fails to open), recording what it was asked. */
function wechat(answer: NotificationKind[] | 'fails') {
  const asked: string[][] = [];
  const platform: SubscribePlatform = {
    available: true,
    request<K extends string>(templates: readonly SubscribeTemplate<K>[]) {
      asked.push(templates.map((t) => t.templateId));
      if (answer === 'fails') return Promise.resolve({ accepted: [] as K[], failed: true });
      return Promise.resolve({ accepted: templates.filter((t) => (answer as string[]).includes(t.kind)).map((t) => t.kind), failed: false });
    },
  };
  return { platform, asked };
}

describe('the subscribe button', () => {
  it('asks WeChat for the setting’s three templates and reports only what the member allowed', async () => {
    const { platform, asked } = wechat(['points_expiring', 'tier_changed']);
    const report = jest.fn((accepted: NotificationKind[]) => Promise.resolve({ ...current, accepted } as unknown as Subscriptions));
    const out = await askForNotifications(SETTING_KINDS, current, platform, report);
    expect(asked).toEqual([['T-PE', 'T-CE', 'T-TC']]);
    expect(report).toHaveBeenCalledTimes(1);
    expect(report).toHaveBeenCalledWith(['points_expiring', 'tier_changed']);
    expect(out.message).toBe('已开启：积分到期提醒、会员等级变动');
    expect(out.subscriptions).not.toBeNull();
  });

  it('reports nothing when the member allowed nothing or the dialog could not open', async () => {
    const report = jest.fn((accepted: NotificationKind[]) => Promise.resolve({ ...current, reported: accepted } as Subscriptions));
    expect((await askForNotifications(SETTING_KINDS, current, wechat([]).platform, report)).message).toBe('未开启提醒');
    expect((await askForNotifications(SETTING_KINDS, current, wechat('fails').platform, report)).message).toContain('设置');
    expect(report).not.toHaveBeenCalled();
  });

  it('on H5 says that messages are a WeChat feature and asks nothing', async () => {
    const asked: string[] = [];
    const platform: SubscribePlatform = {
      available: false,
      request<K extends string>(templates: readonly SubscribeTemplate<K>[]) {
        asked.push(...templates.map((t) => t.templateId));
        return Promise.resolve({ accepted: [] as K[], failed: true });
      },
    };
    const report = jest.fn((accepted: NotificationKind[]) => Promise.resolve({ ...current, reported: accepted } as Subscriptions));
    const out = await askForNotifications(SETTING_KINDS, current, platform, report);
    expect(out).toEqual({ subscriptions: null, message: ONLY_IN_WECHAT });
    expect(asked).toEqual([]);
    expect(report).not.toHaveBeenCalled();
  });

  it('names what is left to receive', () => {
    expect(creditText(0)).toBe('未开启');
    expect(creditText(2)).toBe('可接收 2 条');
  });
});

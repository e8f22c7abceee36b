import Taro from '@tarojs/taro';
import type { SubscribePlatform } from './index';

/** WeChat's one-time subscribe dialog: each template the member allows is one message WeChat will deliver. */
export const subscribe: SubscribePlatform = {
  available: true,
  async request(templates) {
    try {
      const res = (await Taro.requestSubscribeMessage({
        tmplIds: templates.map((t) => t.templateId),
        entityIds: [],
      })) as unknown as Record<string, string>;
      return { accepted: templates.filter((t) => res[t.templateId] === 'accept').map((t) => t.kind), failed: false };
    } catch {
      return { accepted: [], failed: true };
    }
  },
};

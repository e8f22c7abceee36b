import type { SubscribePlatform } from './index';

/** A browser cannot receive WeChat subscribe messages: nothing to ask. */
export const subscribe: SubscribePlatform = {
  available: false,
  request: () => Promise.resolve({ accepted: [], failed: true }),
};

import { describe, expect, it } from '@jest/globals';
import { shareAnswer } from './share-message';

const never = () => new Promise<void>(() => undefined);
const now = () => Promise.resolve();
const path = '/pages/mall/index';

describe('the answer to WeChat’s share tap', () => {
  it('a visitor who is not a member shares the plain path and no link is made', () => {
    expect(shareAnswer('积分商城', path, null, never)).toEqual({ title: '积分商城', path });
  });

  it('a member’s link is made at the tap, and WeChat shares the path with their token', async () => {
    let made = 0;
    const answer = shareAnswer(
      '积分商城',
      path,
      () => {
        made += 1;
        return Promise.resolve({ path: `${path}?shareToken=abc` });
      },
      never,
    );
    expect(made).toBe(1);
    expect({ title: answer.title, path: answer.path }).toEqual({ title: '积分商城', path });
    await expect(answer.promise).resolves.toEqual({ title: '积分商城', path: `${path}?shareToken=abc` });
  });

  it('when making the link fails, the plain path is shared (the share works, it earns nothing)', async () => {
    const failing = shareAnswer('积分商城', path, () => Promise.reject(new Error('offline')), never);
    await expect(failing.promise).resolves.toEqual({ title: '积分商城', path });
    const throwing = shareAnswer(
      '积分商城',
      path,
      () => {
        throw new Error('no session');
      },
      never,
    );
    await expect(throwing.promise).resolves.toEqual({ title: '积分商城', path });
  });

  it('when the link is not made before the deadline, the plain path is shared', async () => {
    const answer = shareAnswer('积分商城', path, () => new Promise(() => undefined), now);
    await expect(answer.promise).resolves.toEqual({ title: '积分商城', path });
  });
});

import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mountHook } from '../testing/hook-host';
import { brightness } from '../platform/brightness';
import { useBrightness } from './use-brightness';

jest.mock('react', () => jest.requireActual<typeof import('../testing/hook-host')>('../testing/hook-host').react);
jest.mock('@tarojs/taro', () => jest.requireActual<typeof import('../testing/hook-host')>('../testing/hook-host').taro);
jest.mock('../platform/brightness', () => ({ brightness: { raise: jest.fn() } }));

// eslint-disable-next-line @typescript-eslint/unbound-method -- jest.mocked only retypes the mock; it is called as a plain function
const raise = jest.mocked(brightness.raise);
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('useBrightness', () => {
  let restore: jest.Mock<() => void>;

  beforeEach(() => {
    restore = jest.fn<() => void>();
    raise.mockReset();
    raise.mockResolvedValue(restore);
  });

  it('restores the brightness the show raised when the page hides, after the page rendered again', async () => {
    const page = mountHook(useBrightness);
    page.show();
    await settled();
    // The code page renders every second (the countdown): the hide handler Taro calls is a newer one.
    page.rerender();
    page.hide();
    expect(raise).toHaveBeenCalledTimes(1);
    expect(restore).toHaveBeenCalledTimes(1);
  });

  it('restores when the page unmounts while shown', async () => {
    const page = mountHook(useBrightness);
    page.show();
    await settled();
    page.unmount();
    expect(restore).toHaveBeenCalledTimes(1);
  });

  it('undoes a raise that lands after the page has hidden', async () => {
    let land: (r: () => void) => void = () => undefined;
    raise.mockReturnValue(new Promise((resolve) => (land = resolve)));
    const page = mountHook(useBrightness);
    page.show();
    page.hide();
    expect(restore).not.toHaveBeenCalled();
    land(restore);
    await settled();
    expect(restore).toHaveBeenCalledTimes(1);
  });

  it('raises again each time the page comes back, and restores each time', async () => {
    const page = mountHook(useBrightness);
    for (let i = 1; i <= 2; i++) {
      page.show();
      await settled();
      page.rerender();
      page.hide();
      expect(raise).toHaveBeenCalledTimes(i);
      expect(restore).toHaveBeenCalledTimes(i);
    }
  });

  it('keeps the first raise when shown twice without a hide, so it restores the original level', async () => {
    const page = mountHook(useBrightness);
    page.show();
    await settled();
    page.show();
    await settled();
    page.hide();
    page.unmount();
    expect(raise).toHaveBeenCalledTimes(1);
    expect(restore).toHaveBeenCalledTimes(1);
  });
});

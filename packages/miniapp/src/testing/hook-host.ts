/**
 * A stand-in for React and for Taro's page hooks, just enough to take one hook through a page's
 * life in Node (the unit tests have no DOM): mount, render again, show, hide, unmount. Like React
 * it keeps refs and callbacks by call position and runs an effect after a render when its deps
 * changed; like Taro, a page event calls the handler passed by the newest render.
 *
 * Use from a test with `jest.mock('react', () => require('../testing/hook-host').react)` and the
 * same for `@tarojs/taro` with `.taro`. One hook at a time.
 */

import type { EffectCallback } from 'react';

type Deps = readonly unknown[] | undefined;
type Cleanup = (() => void) | undefined;

interface Slot {
  value?: unknown;
  deps?: Deps;
  cleanup?: Cleanup;
}

let slots: Slot[] = [];
let position = 0;
let pendingEffects: (() => void)[] = [];
let handlers: Partial<Record<'show' | 'hide', () => void>> = {};

const changed = (before: Deps, after: Deps) =>
  before === undefined || after === undefined || before.length !== after.length || before.some((v, i) => !Object.is(v, after[i]));

function nextSlot(): { slot: Slot; first: boolean } {
  const first = position >= slots.length;
  const slot = (slots[position] ??= {});
  position++;
  return { slot, first };
}

export const react = {
  useRef<T>(initial: T): { current: T } {
    const { slot, first } = nextSlot();
    if (first) slot.value = { current: initial };
    return slot.value as { current: T };
  },
  useCallback<F>(fn: F, deps: Deps): F {
    const { slot, first } = nextSlot();
    if (first || changed(slot.deps, deps)) {
      slot.value = fn;
      slot.deps = deps;
    }
    return slot.value as F;
  },
  useEffect(effect: EffectCallback, deps?: Deps): void {
    const { slot, first } = nextSlot();
    if (!first && !changed(slot.deps, deps)) return;
    slot.deps = deps;
    pendingEffects.push(() => {
      slot.cleanup?.();
      slot.cleanup = effect() ?? undefined;
    });
  },
};

export const taro = {
  useDidShow(handler: () => void): void {
    handlers.show = handler;
  },
  useDidHide(handler: () => void): void {
    handlers.hide = handler;
  },
};

export interface MountedHook {
  /** Renders again, as any state change of the page does. */
  rerender: () => void;
  show: () => void;
  hide: () => void;
  unmount: () => void;
}

export function mountHook(hook: () => void): MountedHook {
  slots = [];
  handlers = {};
  const render = () => {
    position = 0;
    hook();
    const effects = pendingEffects;
    pendingEffects = [];
    for (const run of effects) run();
  };
  render();
  return {
    rerender: render,
    show: () => handlers.show?.(),
    hide: () => handlers.hide?.(),
    unmount: () => {
      for (const slot of slots) slot.cleanup?.();
      slots = [];
      handlers = {};
    },
  };
}

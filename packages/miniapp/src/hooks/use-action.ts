import { useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { errorText, type ErrorTexts } from '../services/error-text';

export interface ActionOptions {
  /** Show a failure as a toast instead of keeping it in `error` for the page to show inline. */
  toast?: boolean;
  /** Texts for codes that mean something specific to this action (see errorText). */
  texts?: ErrorTexts;
  /** Runs after a failure has been shown, with the error, e.g. to leave a confirmation step. */
  onError?: (e: unknown) => void;
}

export interface ActionState<A extends unknown[]> {
  /** Starts the action unless one is still running; never rejects (failures are shown). */
  run: (...args: A) => Promise<void>;
  /** An action is running; its arguments are in `args`. */
  busy: boolean;
  args: A | null;
  /** The text of the last failure, or a message the page set (e.g. a validation hint). */
  error: string | null;
  setError: (text: string | null) => void;
}

/**
 * The busy / error pattern of a button that calls the BFF: one run at a time, the error cleared when
 * a run starts, failures turned into Chinese text (inline or as a toast). Pages whose buttons share
 * one busy flag and one message pass a runner: `useAction((work: () => Promise<void>) => work())`.
 */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>, options: ActionOptions = {}): ActionState<A> {
  const [args, setArgs] = useState<A | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A ref, not state: a second tap in the same frame must already see the first run.
  const running = useRef(false);

  const run = async (...callArgs: A): Promise<void> => {
    if (running.current) return;
    running.current = true;
    setArgs(callArgs);
    setError(null);
    try {
      await action(...callArgs);
    } catch (e) {
      const text = errorText(e, options.texts);
      if (options.toast) await Taro.showToast({ title: text, icon: 'none' });
      else setError(text);
      options.onError?.(e);
    } finally {
      running.current = false;
      setArgs(null);
    }
  };

  return { run, busy: args !== null, args, error, setError };
}

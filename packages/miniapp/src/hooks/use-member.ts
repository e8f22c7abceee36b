import { type DependencyList } from 'react';
import Taro from '@tarojs/taro';
import { ensureSession } from '../services/request';
import { loadSession, type Session } from '../services/session';
import { useAsync, type AsyncState } from './use-async';

const REGISTER_URL = '/pages/register/index';

/**
 * The caller's session when they are a registered member. Anyone else is sent to registration and
 * gets null: the caller stops there (the page is about to be replaced).
 */
export async function memberSession(): Promise<Session | null> {
  const session = await ensureSession();
  if (session.registered) return session;
  void Taro.redirectTo({ url: REGISTER_URL });
  return null;
}

/**
 * Whether this phone is known to belong to a registered member, without signing in: public pages
 * (the mall) show member extras such as the balance only then, and stay public otherwise.
 */
export function isKnownMember(): boolean {
  return loadSession()?.registered === true;
}

export interface MemberState<T> extends AsyncState<T> {
  /** The caller is not a member and is on the way to registration (`loading` stays true). */
  redirecting: boolean;
}

const REDIRECTING = Symbol('redirecting');

/**
 * Data for a member-only page: signs in, sends anyone not yet registered to registration, and
 * otherwise loads `load(session)`. Without `load`, the data is the member's session itself.
 */
export function useMember(): MemberState<Session>;
export function useMember<T>(load: (session: Session) => Promise<T>, deps?: DependencyList): MemberState<T>;
export function useMember<T>(load?: (session: Session) => Promise<T>, deps: DependencyList = []): MemberState<T | Session> {
  const state = useAsync(async () => {
    const session = await memberSession();
    if (!session) return REDIRECTING;
    return { value: load ? await load(session) : session };
  }, deps);
  const redirecting = state.data === REDIRECTING;
  return {
    data: state.data === null || state.data === REDIRECTING ? null : state.data.value,
    error: state.error,
    loading: state.loading || redirecting,
    redirecting,
    reload: state.reload,
  };
}

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type DependencyList } from 'react';

export interface AsyncState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  /** Loads again; never rejects (a failure lands in `error`). */
  reload: () => Promise<void>;
}

/**
 * Loading / error / data for one async source, with a reload for retry buttons and page shows.
 * `deps` are the values `load` reads, as for useEffect: a change loads again. Only the newest load
 * may settle the state, so a slow answer for an old tab never overwrites a newer one.
 */
export function useAsync<T>(load: () => Promise<T>, deps: DependencyList = []): AsyncState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  // The latest `load`, so `reload` can stay one stable function for effects and event handlers.
  const latestLoad = useRef(load);
  useLayoutEffect(() => {
    latestLoad.current = load;
  });
  const calls = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++calls.current;
    setLoading(true);
    setError(null);
    try {
      const value = await latestLoad.current();
      if (mine === calls.current) setData(value);
    } catch (e) {
      if (mine === calls.current) setError(e);
    } finally {
      if (mine === calls.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    // The caller's deps stand for what `load` reads: the rule cannot see through that indirection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reload, ...deps]);

  return { data, error, loading, reload };
}

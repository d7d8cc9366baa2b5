/** Loading data for a page: the result, the error (as an ApiError), and a way to load again. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../../sdk/index.js';
import { asApiError } from './api.js';
import { useSession } from './session.js';

export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]) {
  const session = useSession();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await fn());
      setError(null);
    } catch (e) {
      const err = asApiError(e);
      // What was shown belongs to the last question (another filter, another page): never beside this one's error.
      setData(null);
      setError(err);
      // The session ended (logged out elsewhere, expired): back to the login page.
      if (err.code === 'SESSION_INVALID' || err.code === 'UNAUTHENTICATED') await session.reload();
    } finally {
      setLoading(false);
    }
  }, deps);
  useEffect(() => { void load(); }, [load]);
  return { data, setData, error, loading, reload: load };
}

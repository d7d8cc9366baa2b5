/** Who is logged in (GET /api/v1/auth/me), shared by every page. */
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Me } from '../../sdk/index.js';
import { api, ApiError, asApiError, unwrap } from './api.js';

interface Session {
  me: Me | null;
  /** set while the first check runs */
  loading: boolean;
  /** an error other than "not logged in" from the first check */
  error: ApiError | null;
  isAdmin: boolean;
  /** provider none: no login, no logout */
  singleUser: boolean;
  reload: () => Promise<void>;
  setMe: (me: Me | null) => void;
}
const Ctx = createContext<Session>(null as unknown as Session);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const reload = async () => {
    try {
      setMe(await unwrap(api.GET('/api/v1/auth/me')));
      setError(null);
    } catch (e) {
      const err = asApiError(e);
      setMe(null);
      setError(err.status === 401 ? null : err);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => { void reload(); }, []);
  const value: Session = {
    me, loading, error, reload, setMe,
    isAdmin: me?.user?.role === 'admin',
    singleUser: me?.credential.type === 'user',
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useSession = () => useContext(Ctx);

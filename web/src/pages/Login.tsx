/** The login page (POST /api/v1/auth/login sets the HttpOnly session cookie). Not shown in single-user mode. */
import { useState } from 'preact/hooks';
import { api, ApiError, asApiError, unwrap } from '../api.js';
import { useSession } from '../session.js';
import { ErrorText } from '../ui/ErrorText.js';

export function LoginPage() {
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/v1/auth/login', { body: { username, password } }));
      await session.reload();
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div class="brand brand-large"><img src="/favicon.svg" alt="" width={32} height={32} /> Tessera</div>
        <h1 id="login-title">Log in</h1>
        <div class="field">
          <label for="login-username">Username</label>
          <input id="login-username" name="username" autocomplete="username" autofocus required value={username}
            aria-invalid={error?.code === 'INVALID_LOGIN'} onInput={(e) => setUsername(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input id="login-password" name="password" type="password" autocomplete="current-password" required value={password}
            aria-invalid={error?.code === 'INVALID_LOGIN'} aria-describedby={error ? 'login-error' : undefined}
            onInput={(e) => setPassword(e.currentTarget.value)} />
        </div>
        <ErrorText error={error} id="login-error" />
        <button type="submit" class="button primary block" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</button>
        <p class="hint center">API reference: <a href="/docs">/docs</a></p>
      </form>
    </main>
  );
}

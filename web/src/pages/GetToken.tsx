/**
 * "Get token" from the profile menu (Meshplay's Get Token): a short-lived JWT to copy (POST /api/v1/auth/jwt),
 * Meshplay's auth.json download (GET /api/token), and the CLI login command.
 */
import { useState } from 'preact/hooks';
import { api, ApiError, asApiError, unwrap } from '../api.js';
import { CopyField } from '../ui/CopyField.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorText } from '../ui/ErrorText.js';
import { Field } from '../ui/Field.js';
import { duration, fullDate } from '../ui/format.js';

const TTLS = [900, 3600, 8 * 3600, 86400];

export function GetTokenDialog({ onClose, username }: { onClose: () => void; username: string }) {
  const [ttl, setTtl] = useState(900);
  const [jwt, setJwt] = useState<{ token: string; expires_at: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [fileError, setFileError] = useState<ApiError | null>(null);

  const issue = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setJwt(await unwrap(api.POST('/api/v1/auth/jwt', { body: { ttl_seconds: ttl } })));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const download = async () => {
    setFileError(null);
    try {
      const body = await unwrap(api.GET('/api/token'));
      const url = URL.createObjectURL(new Blob([`${JSON.stringify(body, null, 2)}\n`], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'auth.json';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      setFileError(asApiError(err));
    }
  };
  return (
    <Dialog title="Get token" onClose={onClose}>
      <form onSubmit={issue}>
        <p>A short-lived token (JWT) that acts as you. It stops working when it expires, when you log out, or when your account is disabled.</p>
        <Field label="Valid for" error={error?.code === 'VALIDATION_ERROR' ? error : null}>
          {({ id, describedBy }) => (
            <select id={id} autofocus aria-describedby={describedBy} value={String(ttl)} onChange={(e) => setTtl(Number(e.currentTarget.value))}>
              {TTLS.map((t) => <option value={String(t)}>{duration(t)}</option>)}
            </select>
          )}
        </Field>
        {error?.code !== 'VALIDATION_ERROR' && <ErrorText error={error} />}
        <div class="button-row">
          <button type="submit" class="button primary" disabled={busy}>{jwt ? 'Get another token' : 'Get token'}</button>
          <button type="button" class="button" onClick={download}>Download auth.json</button>
        </div>
        <ErrorText error={fileError} />
      </form>
      {jwt && (
        <div class="token-value">
          <CopyField label="Token" value={jwt.token} multiline />
          <p class="hint">Expires {fullDate(jwt.expires_at)}. Send it as <code>Authorization: Bearer …</code> or in the <code>meshplay-token</code> header.</p>
        </div>
      )}
      <h3 class="section-title">Command line</h3>
      <CopyField label="Log the CLI in to this server" value={`tessera login --url ${location.origin}${username === 'admin' ? '' : ` --username ${username}`}`} />
      <div class="dialog-foot"><button type="button" class="button" onClick={onClose}>Close</button></div>
    </Dialog>
  );
}

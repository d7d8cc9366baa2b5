/** The dialogs of the tokens pages: create, edit, rotate, revoke, and the value shown once. */
import { useEffect, useState } from 'preact/hooks';
import type { Access, Token, TokenWithValue } from '../../../sdk/index.js';
import { api, ApiError, asApiError, errorField, unwrap } from '../api.js';
import { CopyField } from '../ui/CopyField.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorText } from '../ui/ErrorText.js';
import { Field } from '../ui/Field.js';
import { PermissionPicker, RolePicker } from '../ui/PermissionPicker.js';
import { dateInput, duration, endOfDay, fullDate } from '../ui/format.js';

const ACCESS: { value: Access; label: string; hint: string }[] = [
  { value: 'read', label: 'Read', hint: 'read-only calls' },
  { value: 'write', label: 'Write', hint: 'read and change data' },
  { value: 'full', label: 'Full', hint: 'everything, including managing tokens' },
];

const EXPIRY = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'No expiry' },
  { value: 'date', label: 'On a date…' },
] as const;
type Expiry = (typeof EXPIRY)[number]['value'];

const tomorrow = () => dateInput(new Date(Date.now() + 86400_000));
/** "On a date…" without a date: the form's own error, shown under the date field like the server's. */
const noDate = (): ApiError => new ApiError(0, 'VALIDATION_ERROR', 'Pick the day the token stops working.', null, 'expires_at');

function AccessChoice({ value, onChange, error }: { value: Access; onChange: (a: Access) => void; error: ApiError | null }) {
  return (
    <fieldset class="field choice">
      <legend>Access</legend>
      {ACCESS.map((a) => (
        <label class="choice-item">
          <input type="radio" name="access" value={a.value} checked={value === a.value} onChange={() => onChange(a.value)} />
          <span><strong>{a.label}</strong> <span class="muted">— {a.hint}</span></span>
        </label>
      ))}
      <ErrorText error={error} />
    </fieldset>
  );
}

function ExpiryChoice(props: { expiry: Expiry; date: string; onExpiry: (e: Expiry) => void; onDate: (d: string) => void; error: ApiError | null }) {
  return (
    <div class="field-row">
      <Field label="Expires" hint={props.expiry === 'never' ? 'A token without an expiry works until it is revoked.' : undefined}
        error={props.expiry === 'date' ? null : props.error}>
        {({ id, describedBy, invalid }) => (
          <select id={id} aria-describedby={describedBy} aria-invalid={invalid} value={props.expiry}
            onChange={(e) => props.onExpiry(e.currentTarget.value as Expiry)}>
            {EXPIRY.map((o) => <option value={o.value}>{o.label}</option>)}
          </select>
        )}
      </Field>
      {props.expiry === 'date' && (
        <Field label="Expiry date" hint="The token stops working at the end of this day." error={props.error}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="date" required min={tomorrow()} value={props.date} aria-describedby={describedBy} aria-invalid={invalid}
              onInput={(e) => props.onDate(e.currentTarget.value)} />
          )}
        </Field>
      )}
    </div>
  );
}

/** The one moment a token's value is visible (unless it is recoverable). */
export function TokenValue({ token, verb }: { token: TokenWithValue | { token: string; recoverable: boolean; name: string | null }; verb: string }) {
  return (
    <div class="token-value">
      <p class="notice" id="token-value-note">
        <strong>Your {verb} token{token.name ? ` “${token.name}”` : ''} is ready.</strong>{' '}
        {token.recoverable
          ? 'It is recoverable: you can reveal its value again from the token list.'
          : 'Copy it now — you will not see it again.'}
      </p>
      <CopyField label="Token value" value={token.token} />
    </div>
  );
}

export function CreateTokenDialog(props: { canService: boolean; service?: boolean; onClose: () => void; onCreated: (t: TokenWithValue) => void }) {
  const [name, setName] = useState('');
  const [comment, setComment] = useState('');
  const [access, setAccess] = useState<Access>(props.service ? 'write' : 'read');
  const [expiry, setExpiry] = useState<Expiry>('30');
  const [date, setDate] = useState(dateInput(new Date(Date.now() + 30 * 86400_000)));
  const [recoverable, setRecoverable] = useState(false);
  const [service, setService] = useState(!!props.service);
  const [permissions, setPermissions] = useState<string[]>([]);
  const [roles, setRoles] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<TokenWithValue | null>(null);
  const at = error ? errorField(error, ['name', 'comment', 'access', 'expires_at', 'expires_in', 'kind', 'recoverable', 'permissions', 'roles']) : null;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (expiry === 'date' && !date) throw noDate();
      const body = {
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(comment ? { comment } : {}),
        access,
        ...(expiry === 'date' ? { expires_at: endOfDay(date) } : expiry === 'never' ? {} : { expires_in: Number(expiry) * 86400 }),
        recoverable,
        ...(service ? { kind: 'service' as const } : {}),
        ...(permissions.length ? { permissions } : {}),
        ...(roles.length ? { roles } : {}),
      };
      const t = await unwrap(api.POST('/api/v1/tokens', { body }));
      setCreated(t);
      props.onCreated(t);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <Dialog title="Token created" onClose={props.onClose} describedBy="token-value-note">
        <TokenValue token={created} verb="new" />
        <div class="dialog-foot"><button type="button" class="button primary" onClick={props.onClose}>Done</button></div>
      </Dialog>
    );
  }
  return (
    <Dialog title={service ? 'New service token' : 'New token'} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Name" optional={!service} hint={service ? 'Required: service tokens are managed by name.' : 'Helps you recognise it, e.g. “ci-deploy”.'}
          error={at === 'name' ? error : null}>
          {({ id, describedBy, invalid }) => (
            <input id={id} autofocus value={name} maxLength={100} required={service} autocomplete="off"
              aria-describedby={describedBy} aria-invalid={invalid} onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Comment" optional hint={`${comment.length}/255`} error={at === 'comment' ? error : null}>
          {({ id, describedBy, invalid }) => (
            <textarea id={id} rows={2} value={comment} maxLength={255} aria-describedby={describedBy} aria-invalid={invalid}
              onInput={(e) => setComment(e.currentTarget.value)} />
          )}
        </Field>
        <AccessChoice value={access} onChange={setAccess} error={at === 'access' ? error : null} />
        <PermissionPicker value={permissions} onChange={setPermissions} error={at === 'permissions' ? error : null} />
        <RolePicker value={roles} onChange={setRoles} error={at === 'roles' ? error : null} />
        <ExpiryChoice expiry={expiry} date={date} onExpiry={setExpiry} onDate={setDate}
          error={at === 'expires_at' || at === 'expires_in' ? error : null} />
        <label class="check">
          <input type="checkbox" checked={recoverable} onChange={(e) => setRecoverable(e.currentTarget.checked)} />
          <span>Recoverable <span class="muted">— keep an encrypted copy so the value can be revealed again</span></span>
        </label>
        {props.canService && !props.service && (
          <label class="check">
            <input type="checkbox" checked={service} onChange={(e) => setService(e.currentTarget.checked)} />
            <span>Service token <span class="muted">— belongs to no user; for machines (admins only)</span></span>
          </label>
        )}
        {!at && <ErrorText error={error} />}
        <div class="dialog-foot">
          <button type="button" class="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" class="button primary" disabled={busy}>{busy ? 'Creating…' : 'Create token'}</button>
        </div>
      </form>
    </Dialog>
  );
}

export function EditTokenDialog(props: { token: Token; onClose: () => void; onSaved: (t: Token) => void }) {
  const t = props.token;
  const [name, setName] = useState(t.name ?? '');
  const [comment, setComment] = useState(t.comment);
  const [access, setAccess] = useState<Access>(t.access);
  const [active, setActive] = useState(t.active);
  const [expiry, setExpiry] = useState<'keep' | 'never' | 'date'>('keep');
  const [date, setDate] = useState(t.expires_at ? dateInput(new Date(t.expires_at)) : tomorrow());
  const [busy, setBusy] = useState(false);
  const [permissions, setPermissions] = useState<string[]>(t.permissions);
  const [roles, setRoles] = useState<string[]>(t.roles);
  const [error, setError] = useState<ApiError | null>(null);
  const at = error ? errorField(error, ['name', 'comment', 'access', 'expires_at', 'active', 'permissions', 'roles']) : null;
  const frozen = t.status === 'revoked';

  const submit = async (e: Event) => {
    e.preventDefault();
    const body: { name?: string | null; comment?: string; access?: Access; active?: boolean; expires_at?: string | null; permissions?: string[]; roles?: string[] } = {};
    if (permissions.join(' ') !== t.permissions.join(' ')) body.permissions = permissions;
    if (roles.join(' ') !== t.roles.join(' ')) body.roles = roles;
    if (name.trim() !== (t.name ?? '')) body.name = name.trim() === '' ? null : name.trim();
    if (comment !== t.comment) body.comment = comment;
    if (access !== t.access) body.access = access;
    if (active !== t.active) body.active = active;
    if (expiry === 'never') body.expires_at = null;
    if (expiry === 'date') {
      if (!date) return setError(noDate());
      body.expires_at = endOfDay(date);
    }
    if (Object.keys(body).length === 0) return props.onClose();
    setBusy(true);
    setError(null);
    try {
      props.onSaved(await unwrap(api.PATCH('/api/v1/tokens/{id}', { params: { path: { id: t.id } }, body })));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Edit ${t.name ?? t.prefix}`} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Name" optional={t.kind !== 'service'} error={at === 'name' ? error : null}>
          {({ id, describedBy, invalid }) => (
            <input id={id} autofocus value={name} maxLength={100} autocomplete="off" aria-describedby={describedBy} aria-invalid={invalid}
              onInput={(e) => setName(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Comment" optional hint={`${comment.length}/255`} error={at === 'comment' ? error : null}>
          {({ id, describedBy, invalid }) => (
            <textarea id={id} rows={2} value={comment} maxLength={255} aria-describedby={describedBy} aria-invalid={invalid}
              onInput={(e) => setComment(e.currentTarget.value)} />
          )}
        </Field>
        <AccessChoice value={access} onChange={setAccess} error={at === 'access' ? error : null} />
        <PermissionPicker value={permissions} onChange={setPermissions} error={at === 'permissions' ? error : null} />
        <RolePicker value={roles} onChange={setRoles} error={at === 'roles' ? error : null} />
        <div class="field-row">
          <Field label="Expiry" hint={t.expires_at ? `Now: ${fullDate(t.expires_at)}` : 'Now: never'} error={at === 'expires_at' && expiry !== 'date' ? error : null}>
            {({ id, describedBy }) => (
              <select id={id} aria-describedby={describedBy} value={expiry} onChange={(e) => setExpiry(e.currentTarget.value as typeof expiry)}>
                <option value="keep">Keep as it is</option>
                <option value="never">No expiry</option>
                <option value="date">On a date…</option>
              </select>
            )}
          </Field>
          {expiry === 'date' && (
            <Field label="Expiry date" error={at === 'expires_at' ? error : null}>
              {({ id, describedBy, invalid }) => (
                <input id={id} type="date" min={tomorrow()} value={date} aria-describedby={describedBy} aria-invalid={invalid}
                  onInput={(e) => setDate(e.currentTarget.value)} />
              )}
            </Field>
          )}
        </div>
        <label class="check">
          <input type="checkbox" checked={active} disabled={frozen} onChange={(e) => setActive(e.currentTarget.checked)} />
          <span>Active <span class="muted">— an inactive token is refused until it is switched on again</span></span>
        </label>
        {!at && <ErrorText error={error} />}
        <div class="dialog-foot">
          <button type="button" class="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" class="button primary" disabled={busy}>{busy ? 'Saving…' : 'Save changes'}</button>
        </div>
      </form>
    </Dialog>
  );
}

const GRACE = [0, 60, 3600, 86400, 7 * 86400];

export function RotateTokenDialog(props: { token: Token; onClose: () => void; onRotated: (t: TokenWithValue) => void }) {
  const [grace, setGrace] = useState(3600);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [rotated, setRotated] = useState<TokenWithValue | null>(null);
  const rotate = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const t = await unwrap(api.POST('/api/v1/tokens/{id}/rotate', { params: { path: { id: props.token.id } }, body: { grace_seconds: grace } }));
      setRotated(t);
      props.onRotated(t);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  if (rotated) {
    return (
      <Dialog title="Token rotated" onClose={props.onClose} describedBy="token-value-note">
        <TokenValue token={rotated} verb="rotated" />
        <p class="hint">{grace === 0 ? 'The old value no longer works.' : `The old value keeps working for ${duration(grace)}.`}</p>
        <div class="dialog-foot"><button type="button" class="button primary" onClick={props.onClose}>Done</button></div>
      </Dialog>
    );
  }
  return (
    <Dialog title={`Rotate ${props.token.name ?? props.token.prefix}`} onClose={props.onClose}>
      <form onSubmit={rotate}>
        <p>Rotating issues a new value with the same name, access and expiry. Give the programs that use the old value time to switch.</p>
        <Field label="Old value keeps working for" error={error?.code === 'VALIDATION_ERROR' ? error : null}>
          {({ id, describedBy }) => (
            <select id={id} autofocus aria-describedby={describedBy} value={String(grace)} onChange={(e) => setGrace(Number(e.currentTarget.value))}>
              {GRACE.map((g) => <option value={String(g)}>{g === 0 ? 'No grace period (stops at once)' : duration(g)}</option>)}
            </select>
          )}
        </Field>
        {error?.code !== 'VALIDATION_ERROR' && <ErrorText error={error} />}
        <div class="dialog-foot">
          <button type="button" class="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" class="button primary" disabled={busy}>{busy ? 'Rotating…' : 'Rotate token'}</button>
        </div>
      </form>
    </Dialog>
  );
}

export function RevokeTokenDialog(props: { token: Token; onClose: () => void; onRevoked: (t: Token) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const label = props.token.name ?? props.token.prefix;
  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      const t = await unwrap(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: props.token.id }, query: {} } }));
      props.onRevoked(t as Token);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Revoke ${label}?`} onClose={props.onClose} describedBy="revoke-warning">
      <p id="revoke-warning">Every program using <strong>{label}</strong> is refused from now on. Revoking cannot be undone;
        the token stays listed as revoked.</p>
      <ErrorText error={error} />
      <div class="dialog-foot">
        <button type="button" class="button" autofocus onClick={props.onClose}>Cancel</button>
        <button type="button" class="button danger" disabled={busy} onClick={revoke}>{busy ? 'Revoking…' : 'Revoke token'}</button>
      </div>
    </Dialog>
  );
}

export function RevealTokenDialog(props: { token: Token; onClose: () => void }) {
  const [value, setValue] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const reveal = async () => {
    setBusy(true);
    try {
      setValue((await unwrap(api.GET('/api/v1/tokens/{id}/value', { params: { path: { id: props.token.id } } }))).token);
      setError(null);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Reveal ${props.token.name ?? props.token.prefix}`} onClose={props.onClose}>
      {value === null
        ? <p>This token is recoverable. Revealing its value is recorded in the audit log.</p>
        : <CopyField label="Token value" value={value} />}
      <ErrorText error={error} />
      <div class="dialog-foot">
        <button type="button" class="button" onClick={props.onClose}>{value === null ? 'Cancel' : 'Done'}</button>
        {value === null && <button type="button" class="button primary" autofocus disabled={busy} onClick={reveal}>Reveal value</button>}
      </div>
    </Dialog>
  );
}

/** One token's details, read fresh from the API: among them the distinct addresses it was last used from. */
export function TokenDetailsDialog(props: { token: Token; onClose: () => void }) {
  const [t, setT] = useState<Token | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    unwrap(api.GET('/api/v1/tokens/{id}', { params: { path: { id: props.token.id } } })).then(setT, (e) => setError(asApiError(e)));
  }, [props.token.id]);
  const from = t?.last_used_from ?? [];
  return (
    <Dialog title={`Details of ${props.token.name ?? props.token.prefix}`} onClose={props.onClose}>
      {t && (
        <dl class="facts">
          <div><dt>Uses</dt><dd>{t.use_count}</dd></div>
          <div><dt>Last used</dt><dd>{t.last_used_at ? fullDate(t.last_used_at) : 'never'}</dd></div>
          <div><dt>Last used from</dt><dd>
            {from.length === 0 ? <span class="muted">no address recorded</span> : (
              <ul class="addresses" data-last-used-from>{from.map((a) => <li key={a.ip}><code>{a.ip}</code> · {fullDate(a.at)}</li>)}</ul>
            )}</dd></div>
        </dl>
      )}
      <ErrorText error={error} />
      <div class="dialog-foot">
        <button type="button" class="button" autofocus onClick={props.onClose}>Done</button>
      </div>
    </Dialog>
  );
}

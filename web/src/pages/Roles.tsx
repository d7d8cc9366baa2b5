/** Roles and the permission catalogue (admin): what tokens, users and groups can be granted (docs/permissions.md). */
import { useState } from 'preact/hooks';
import { api, ApiError, asApiError, errorField, unwrap } from '../api.js';
import { useLoad } from '../load.js';
import { Badge } from '../ui/Badge.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorText } from '../ui/ErrorText.js';
import { Field } from '../ui/Field.js';
import { PageHead } from '../ui/Page.js';
import { PermissionPicker } from '../ui/PermissionPicker.js';

function RoleDialog(props: { onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [days, setDays] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const at = error ? errorField(error, ['name', 'description', 'permissions', 'max_lifetime_seconds']) : null;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/v1/roles', { body: { name: name.trim(), description, permissions, ...(days ? { max_lifetime_seconds: Math.round(Number(days) * 86400) } : {}) } }));
      props.onSaved();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="New role" onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Name" hint="Lower-case letters, digits, _ or -, e.g. “deployer”." error={at === 'name' ? error : null}>
          {({ id, describedBy, invalid }) => <input id={id} autofocus required value={name} maxLength={64} autocomplete="off" aria-describedby={describedBy} aria-invalid={invalid} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field label="Description" optional error={at === 'description' ? error : null}>
          {({ id, describedBy, invalid }) => <input id={id} value={description} maxLength={500} aria-describedby={describedBy} aria-invalid={invalid} onInput={(e) => setDescription(e.currentTarget.value)} />}
        </Field>
        <PermissionPicker value={permissions} onChange={setPermissions} error={at === 'permissions' ? error : null} />
        <Field label="Longest token lifetime (days)" optional hint="Tokens carrying this role may not live longer." error={at === 'max_lifetime_seconds' ? error : null}>
          {({ id, describedBy, invalid }) => <input id={id} type="number" min={1} value={days} aria-describedby={describedBy} aria-invalid={invalid} onInput={(e) => setDays(e.currentTarget.value)} />}
        </Field>
        {!at && <ErrorText error={error} />}
        <div class="dialog-foot">
          <button type="button" class="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" class="button primary" disabled={busy}>{busy ? 'Creating…' : 'Create role'}</button>
        </div>
      </form>
    </Dialog>
  );
}

export function RolesPage() {
  const roles = useLoad(() => unwrap(api.GET('/api/v1/roles')), []);
  const perms = useLoad(() => unwrap(api.GET('/api/v1/permissions')), []);
  const [open, setOpen] = useState(false);
  const [perm, setPerm] = useState({ name: '', description: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try { await fn(); } catch (e) { setError(asApiError(e)); }
  };
  const define = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await unwrap(api.POST('/api/v1/permissions', { body: { name: perm.name.trim(), description: perm.description } }));
      setPerm({ name: '', description: '' });
      await perms.reload();
    });
  };
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Roles and permissions"><button type="button" class="button primary" onClick={() => setOpen(true)}>New role</button></PageHead>
      <ErrorText error={roles.error ?? error} />
      <table class="table" aria-label="Roles">
        <thead><tr><th scope="col">Role</th><th scope="col">Permissions</th><th scope="col">Longest lifetime</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {(roles.data?.items ?? []).map((r) => (
            <tr key={r.name} data-role={r.name}>
              <td data-label="Role"><strong>{r.name}</strong> {r.builtin && <Badge tone="neutral" title="the access level of the same name">built in</Badge>}<div class="sub">{r.description}</div></td>
              <td data-label="Permissions">{r.permissions.map((p) => <code key={p}>{p} </code>)}</td>
              <td data-label="Longest lifetime">{r.max_lifetime_seconds === null ? <span class="muted">—</span> : `${Math.round(r.max_lifetime_seconds / 86400 * 10) / 10} days`}</td>
              <td class="cell-actions">{!r.builtin && (
                <button type="button" class="button" aria-label={`Delete role ${r.name}`}
                  onClick={() => void run(async () => { await unwrap(api.DELETE('/api/v1/roles/{name}', { params: { path: { name: r.name } } })); await roles.reload(); })}>Delete</button>
              )}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Permission catalogue</h2>
      <p class="muted">Names your services check. With <code>permissions.strict</code> only these may be granted; otherwise they fill the pickers.</p>
      <form class="picker-row" onSubmit={define} aria-label="Define a permission">
        <input aria-label="Permission name" placeholder="deploy:write" value={perm.name} onInput={(e) => setPerm({ ...perm, name: e.currentTarget.value })} />
        <input aria-label="Description" placeholder="what it allows" value={perm.description} onInput={(e) => setPerm({ ...perm, description: e.currentTarget.value })} />
        <button type="submit" class="button">Define</button>
      </form>
      <ul aria-label="Permissions">
        {(perms.data?.items ?? []).map((p) => (
          <li key={p.name} data-permission={p.name}><code>{p.name}</code> {p.description && <span class="muted">— {p.description}</span>}{' '}
            <button type="button" class="button" aria-label={`Remove ${p.name}`}
              onClick={() => void run(async () => { await unwrap(api.DELETE('/api/v1/permissions/{name}', { params: { path: { name: p.name } } })); await perms.reload(); })}>Remove</button></li>
        ))}
      </ul>
      {open && <RoleDialog onClose={() => setOpen(false)} onSaved={() => { setOpen(false); void roles.reload(); }} />}
    </section>
  );
}

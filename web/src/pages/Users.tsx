/** Users (admin): create, change role and groups, disable, delete. */
import { useState } from 'preact/hooks';
import type { Role, User } from '../../../sdk/index.js';
import { api, ApiError, asApiError, errorField, unwrap } from '../api.js';
import { useLoad } from '../load.js';
import { useSession } from '../session.js';
import { Badge } from '../ui/Badge.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorText } from '../ui/ErrorText.js';
import { Field } from '../ui/Field.js';
import { Menu } from '../ui/Menu.js';
import { PageHead } from '../ui/Page.js';
import { Time } from '../ui/Time.js';

const parseGroups = (s: string): string[] => [...new Set(s.split(',').map((g) => g.trim()).filter(Boolean))];

function UserDialog(props: { user?: User; onClose: () => void; onSaved: (u: User) => void }) {
  const u = props.user;
  const [username, setUsername] = useState(u?.username ?? '');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState(u?.email ?? '');
  const [role, setRole] = useState<Role>(u?.role ?? 'user');
  const [groups, setGroups] = useState(u?.groups.join(', ') ?? '');
  const [disabled, setDisabled] = useState(u?.disabled ?? false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const at = error ? errorField(error, ['username', 'password', 'email', 'role', 'groups', 'disabled']) : null;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const g = parseGroups(groups);
      if (!u) {
        props.onSaved(await unwrap(api.POST('/api/v1/users', {
          body: { username: username.trim(), password, role, groups: g, disabled, ...(email.trim() ? { email: email.trim() } : {}) },
        })));
      } else {
        const body: { username?: string; password?: string; email?: string | null; role?: Role; groups?: string[]; disabled?: boolean } = {};
        if (username.trim() !== u.username) body.username = username.trim();
        if (password) body.password = password;
        if ((email.trim() || null) !== u.email) body.email = email.trim() || null;
        if (role !== u.role) body.role = role;
        if (g.join(',') !== u.groups.join(',')) body.groups = g;
        if (disabled !== u.disabled) body.disabled = disabled;
        if (Object.keys(body).length === 0) return props.onClose();
        props.onSaved(await unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id: u.id } }, body })));
      }
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={u ? `Edit ${u.username}` : 'New user'} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Username" error={at === 'username' ? error : null}>
          {({ id, describedBy, invalid }) => (
            <input id={id} autofocus required value={username} maxLength={64} autocomplete="off" aria-describedby={describedBy} aria-invalid={invalid}
              onInput={(e) => setUsername(e.currentTarget.value)} />
          )}
        </Field>
        <Field label={u ? 'New password' : 'Password'} optional={!!u} hint={u ? 'Leave empty to keep the current one.' : undefined} error={at === 'password' ? error : null}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="password" required={!u} value={password} autocomplete="new-password" aria-describedby={describedBy} aria-invalid={invalid}
              onInput={(e) => setPassword(e.currentTarget.value)} />
          )}
        </Field>
        <Field label="Email" optional error={at === 'email' ? error : null}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="email" value={email} autocomplete="off" aria-describedby={describedBy} aria-invalid={invalid}
              onInput={(e) => setEmail(e.currentTarget.value)} />
          )}
        </Field>
        <fieldset class="field choice">
          <legend>Role</legend>
          <label class="choice-item"><input type="radio" name="role" checked={role === 'user'} onChange={() => setRole('user')} />
            <span><strong>User</strong> <span class="muted">— manages their own tokens</span></span></label>
          <label class="choice-item"><input type="radio" name="role" checked={role === 'admin'} onChange={() => setRole('admin')} />
            <span><strong>Admin</strong> <span class="muted">— manages users, every token and the audit log</span></span></label>
          <ErrorText error={at === 'role' ? error : null} />
        </fieldset>
        <Field label="Groups" optional hint="Comma-separated; groups decide which commands a user may run." error={at === 'groups' ? error : null}>
          {({ id, describedBy, invalid }) => (
            <input id={id} value={groups} placeholder="ops, deploy" aria-describedby={describedBy} aria-invalid={invalid}
              onInput={(e) => setGroups(e.currentTarget.value)} />
          )}
        </Field>
        <label class="check">
          <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.currentTarget.checked)} />
          <span>Disabled <span class="muted">— cannot log in; all their tokens stop working</span></span>
        </label>
        {!at && <ErrorText error={error} />}
        <div class="dialog-foot">
          <button type="button" class="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" class="button primary" disabled={busy}>{busy ? 'Saving…' : u ? 'Save changes' : 'Create user'}</button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteUserDialog(props: { user: User; onClose: () => void; onDeleted: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const del = async () => {
    setBusy(true);
    try {
      await unwrap(api.DELETE('/api/v1/users/{id}', { params: { path: { id: props.user.id } } }));
      props.onDeleted();
    } catch (e) {
      setError(asApiError(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Delete ${props.user.username}?`} onClose={props.onClose}>
      <p>The user, their sessions and all their tokens are deleted. To keep the record, disable the user instead.</p>
      <ErrorText error={error} />
      <div class="dialog-foot">
        <button type="button" class="button" autofocus onClick={props.onClose}>Cancel</button>
        <button type="button" class="button danger" disabled={busy} onClick={del}>Delete user</button>
      </div>
    </Dialog>
  );
}

export function UsersPage() {
  const session = useSession();
  const [open, setOpen] = useState<{ kind: 'new' } | { kind: 'edit' | 'delete'; user: User } | null>(null);
  const [rowError, setRowError] = useState<{ id: number; error: ApiError } | null>(null);
  const list = useLoad(() => unwrap(api.GET('/api/v1/users', { params: { query: { limit: 200 } } })), []);
  const replace = (u: User) => list.setData(list.data && { ...list.data, items: list.data.items.map((x) => (x.id === u.id ? u : x)) });
  const toggle = async (u: User) => {
    setRowError(null);
    try {
      replace(await unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id: u.id } }, body: { disabled: !u.disabled } })));
    } catch (e) {
      setRowError({ id: u.id, error: asApiError(e) });
    }
  };
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Users" intro="People who can log in. Disabling a user stops all of their tokens at once.">
        <button type="button" class="button primary" onClick={() => setOpen({ kind: 'new' })}>New user</button>
      </PageHead>
      <ErrorText error={list.error} />
      {list.loading && !list.data ? <p class="muted" role="status">Loading users…</p> : list.data && (
        <table class="table" aria-label="Users">
          <thead><tr>
            <th scope="col">Username</th><th scope="col">Role</th><th scope="col">Groups</th><th scope="col">Status</th>
            <th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th>
          </tr></thead>
          <tbody>
            {list.data.items.map((u) => (
              <tr key={u.id} data-user={u.username}>
                <td data-label="Username" class="cell-name">
                  <span class="token-name">{u.username}</span>{u.id === session.me?.user?.id && <span class="muted"> (you)</span>}
                  {u.email && <div class="sub">{u.email}</div>}
                  {rowError?.id === u.id && <ErrorText error={rowError.error} />}
                </td>
                <td data-label="Role"><Badge tone={u.role === 'admin' ? 'admin' : 'neutral'}>{u.role}</Badge></td>
                <td data-label="Groups">{u.groups.length ? u.groups.map((g) => <span class="chip">{g}</span>) : <span class="muted">none</span>}</td>
                <td data-label="Status">{u.disabled ? <Badge tone="revoked">disabled</Badge> : <Badge tone="active">enabled</Badge>}</td>
                <td data-label="Created"><Time iso={u.created_at} /></td>
                <td class="cell-actions">
                  <Menu label={`Actions for ${u.username}`} button={<span aria-hidden="true">⋯</span>} items={[
                    { label: 'Edit…', onSelect: () => setOpen({ kind: 'edit', user: u }) },
                    { label: u.disabled ? 'Enable' : 'Disable', onSelect: () => void toggle(u) },
                    { label: 'Delete…', danger: true, onSelect: () => setOpen({ kind: 'delete', user: u }) },
                  ]} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open?.kind === 'new' && <UserDialog onClose={() => setOpen(null)} onSaved={() => { setOpen(null); void list.reload(); }} />}
      {open?.kind === 'edit' && <UserDialog user={open.user} onClose={() => setOpen(null)}
        onSaved={(u) => { replace(u); setOpen(null); if (u.id === session.me?.user?.id) void session.reload(); }} />}
      {open?.kind === 'delete' && <DeleteUserDialog user={open.user} onClose={() => setOpen(null)} onDeleted={() => { setOpen(null); void list.reload(); }} />}
    </section>
  );
}

/**
 * Token tables: "mine" (anyone), and for admins "all" (filters: owner, kind, status) and "service".
 * Each row has a menu: details (last-used addresses), edit, switch on/off, rotate, reveal (recoverable), revoke.
 */
import { useState } from 'preact/hooks';
import type { Token, TokenKind, TokenStatus } from '../../../sdk/index.js';
import { api, ApiError, asApiError, unwrap } from '../api.js';
import { useLoad } from '../load.js';
import { useRoute } from '../router.js';
import { useSession } from '../session.js';
import { Badge, StatusBadge } from '../ui/Badge.js';
import { ErrorText } from '../ui/ErrorText.js';
import { Menu } from '../ui/Menu.js';
import { PageHead } from '../ui/Page.js';
import { Time } from '../ui/Time.js';
import { CreateTokenDialog, EditTokenDialog, RevealTokenDialog, RevokeTokenDialog, RotateTokenDialog, TokenDetailsDialog } from './TokenDialogs.js';

type Scope = 'mine' | 'all' | 'service';
type Open =
  | { kind: 'create' } | { kind: 'edit'; token: Token } | { kind: 'rotate'; token: Token }
  | { kind: 'revoke'; token: Token } | { kind: 'reveal'; token: Token } | { kind: 'details'; token: Token } | null;

const TITLES: Record<Scope, [string, string]> = {
  mine: ['Access tokens', 'Tokens act as you from scripts and other programs. Each one has its own access level and expiry, and can be rotated or revoked on its own.'],
  all: ['All tokens', 'Every token on this server. Filter by owner, kind and status.'],
  service: ['Service tokens', 'Tokens that belong to no user, for machines and integrations. They are managed by name.'],
};

export function TokensPage({ scope }: { scope: Scope }) {
  const session = useSession();
  const { query, navigate, path } = useRoute();
  const status = (query.get('status') ?? '') as TokenStatus | '';
  const kind = (scope === 'service' ? 'service' : query.get('kind') ?? '') as TokenKind | '';
  const owner = scope === 'all' ? query.get('owner') ?? '*' : '';
  const [ownerDraft, setOwnerDraft] = useState(owner);
  const [open, setOpen] = useState<Open>(null);
  const [rowError, setRowError] = useState<{ id: string; error: ApiError } | null>(null);
  const [more, setMore] = useState<{ items: Token[]; cursor: string | null } | null>(null);
  const [flash, setFlash] = useState('');

  const list = useLoad(async () => {
    setMore(null);
    const q = {
      limit: 50,
      ...(status ? { status } : {}),
      ...(kind ? { kind } : {}),
      ...(scope === 'all' ? { owner: owner || '*' } : {}),
    };
    return unwrap(api.GET('/api/v1/tokens', { params: { query: q } }));
  }, [scope, status, kind, owner]);

  const items = [...(list.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.cursor : list.data?.next_cursor ?? null;
  const loadMore = async () => {
    if (!cursor) return;
    try {
      const q = { limit: 50, cursor, ...(status ? { status } : {}), ...(kind ? { kind } : {}), ...(scope === 'all' ? { owner: owner || '*' } : {}) };
      const r = await unwrap(api.GET('/api/v1/tokens', { params: { query: q } }));
      setMore({ items: [...(more?.items ?? []), ...r.items], cursor: r.next_cursor });
    } catch (e) {
      setRowError({ id: '', error: asApiError(e) });
    }
  };

  const setFilter = (k: string, v: string) => {
    const q = new URLSearchParams(query);
    if (v) q.set(k, v); else q.delete(k);
    const s = q.toString();
    navigate(`${path}${s ? `?${s}` : ''}`, true);
  };

  const replace = (t: Token) => {
    list.setData(list.data && { ...list.data, items: list.data.items.map((x) => (x.id === t.id ? t : x)) });
    if (more) setMore({ ...more, items: more.items.map((x) => (x.id === t.id ? t : x)) });
  };
  const toggle = async (t: Token) => {
    setRowError(null);
    try {
      const u = await unwrap(api.PATCH('/api/v1/tokens/{id}', { params: { path: { id: t.id } }, body: { active: !t.active } }));
      replace(u);
      setFlash(`${u.name ?? u.prefix} is now ${u.active ? 'active' : 'inactive'}.`);
    } catch (e) {
      setRowError({ id: t.id, error: asApiError(e) });
    }
  };

  const [title, intro] = TITLES[scope];
  const showOwner = scope !== 'mine';
  return (
    <section aria-labelledby="page-title">
      <PageHead title={title} intro={intro}>
        <button type="button" class="button primary" onClick={() => setOpen({ kind: 'create' })}>
          {scope === 'service' ? 'New service token' : 'New token'}
        </button>
      </PageHead>

      <form class="filters" role="search" aria-label="Filter tokens" onSubmit={(e) => { e.preventDefault(); setFilter('owner', ownerDraft.trim() === '*' ? '' : ownerDraft.trim()); }}>
        {scope === 'all' && (
          <div class="filter">
            <label for="f-owner">Owner</label>
            <input id="f-owner" value={ownerDraft} placeholder="* (everyone)" aria-describedby="f-owner-hint"
              onInput={(e) => setOwnerDraft(e.currentTarget.value)} onBlur={(e) => e.currentTarget.form?.requestSubmit()} />
            <span id="f-owner-hint" class="sr-only">A username, a user id, or * for everyone; press Enter to apply.</span>
          </div>
        )}
        {scope === 'all' && (
          <div class="filter">
            <label for="f-kind">Kind</label>
            <select id="f-kind" value={kind} onChange={(e) => setFilter('kind', e.currentTarget.value)}>
              <option value="">Any</option><option value="personal">Personal</option><option value="service">Service</option><option value="bound">Command-bound</option>
            </select>
          </div>
        )}
        <div class="filter">
          <label for="f-status">Status</label>
          <select id="f-status" value={status} onChange={(e) => setFilter('status', e.currentTarget.value)}>
            <option value="">Any</option><option value="active">Active</option><option value="inactive">Inactive</option>
            <option value="expired">Expired</option><option value="revoked">Revoked</option>
          </select>
        </div>
      </form>

      <p class="sr-only" aria-live="polite">{flash}</p>
      <ErrorText error={list.error} />
      {rowError && rowError.id === '' && <ErrorText error={rowError.error} />}
      {list.loading && !list.data ? <p class="muted" role="status">Loading tokens…</p>
        : items.length === 0 && !list.error ? (
          <div class="empty">
            <p class="empty-title">No tokens{status ? ` with status ${status}` : ''}.</p>
            <p>Create one to call the API from a script: <code>Authorization: Bearer &lt;token&gt;</code>.</p>
          </div>
        ) : (
          <table class="table" aria-label={title}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Access</th>
                {showOwner && <th scope="col">Owner</th>}
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Created</th>
                <th scope="col"><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => {
                const label = t.name ?? t.prefix;
                const live = t.status !== 'revoked';
                return (
                  <tr key={t.id} data-token-id={t.id}>
                    <td data-label="Name" class="cell-name">
                      <span class="token-name">{t.name ?? <span class="muted">unnamed</span>}</span>
                      {t.kind === 'service' && scope !== 'service' && <> <Badge tone="service">service</Badge></>}
                      {t.kind === 'bound' && <> <Badge tone="service" title="usable only to run its one command (POST /message)">bound</Badge></>}
                      {t.recoverable && <> <Badge tone="neutral" title="its value can be revealed again">recoverable</Badge></>}
                      <div class="sub"><code title="the first characters of the value">{t.prefix}…</code>{t.comment && <span> · {t.comment}</span>}</div>
                      {t.binding && <div class="sub">runs <code>{[t.binding.command, ...t.binding.args].join(' ')}</code> → {t.binding.channel}</div>}
                      {rowError?.id === t.id && <ErrorText error={rowError.error} />}
                    </td>
                    <td data-label="Status"><StatusBadge status={t.status} /></td>
                    <td data-label="Access"><Badge tone={`access-${t.access}`}>{t.access}</Badge>
                      {t.roles.length > 0 && <div class="sub" data-roles>roles {t.roles.map((r) => <code key={r}>{r} </code>)}</div>}
                      {t.permissions.length > 0 && <div class="sub" data-permissions>{t.permissions.map((p) => <code key={p}>{p} </code>)}</div>}
                      {(t.roles.length > 0 || t.permissions.length > 0) && (
                        <div class="sub" data-effective title="what the token grants now: its access level, roles and permissions, limited to its owner's">
                          grants now {t.effective_permissions.filter((p) => !p.startsWith('tessera:')).map((p) => <code key={p}>{p} </code>)}
                          {t.effective_permissions.every((p) => p.startsWith('tessera:')) && <span class="muted">nothing beyond its access level</span>}</div>)}
                      {t.allowed_cidrs.length > 0 && <div class="sub" title="works only from these addresses">from {t.allowed_cidrs.join(', ')}</div>}</td>
                    {showOwner && <td data-label="Owner">{t.owner ? t.owner.username ?? `#${t.owner.id}` : <span class="muted">none</span>}</td>}
                    <td data-label="Last used"><Time iso={t.last_used_at} empty="never" /></td>
                    <td data-label="Expires">{t.status === 'revoked'
                      ? <span class="muted">revoked <Time iso={t.revoked_at} empty="" /></span> : <Time iso={t.expires_at} empty="never" />}</td>
                    <td data-label="Created"><Time iso={t.created_at} /></td>
                    <td class="cell-actions">
                      {live && (
                        <Menu
                          label={`Actions for ${label}`}
                          button={<><span aria-hidden="true">⋯</span></>}
                          items={[
                            { label: 'Details…', onSelect: () => setOpen({ kind: 'details', token: t }) },
                            { label: 'Edit', onSelect: () => setOpen({ kind: 'edit', token: t }) },
                            { label: t.active ? 'Deactivate' : 'Activate', onSelect: () => void toggle(t), hidden: t.status === 'expired' && !t.active },
                            { label: 'Rotate…', onSelect: () => setOpen({ kind: 'rotate', token: t }), hidden: t.status === 'expired' },
                            { label: 'Reveal value…', onSelect: () => setOpen({ kind: 'reveal', token: t }), hidden: !t.recoverable },
                            { label: 'Revoke…', onSelect: () => setOpen({ kind: 'revoke', token: t }), danger: true },
                          ]}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      {cursor && <p><button type="button" class="button" onClick={loadMore}>Load more</button></p>}

      {open?.kind === 'create' && (
        <CreateTokenDialog canService={session.isAdmin} service={scope === 'service'} onClose={() => setOpen(null)}
          onCreated={() => void list.reload()} />
      )}
      {open?.kind === 'edit' && (
        <EditTokenDialog token={open.token} onClose={() => setOpen(null)}
          onSaved={(t) => { replace(t); setOpen(null); setFlash(`Saved ${t.name ?? t.prefix}.`); }} />
      )}
      {/* The list keeps the token without its new value: the value lives only in the dialog that shows it once. */}
      {open?.kind === 'rotate' && <RotateTokenDialog token={open.token} onClose={() => setOpen(null)} onRotated={({ token: _value, ...t }) => replace(t)} />}
      {open?.kind === 'revoke' && (
        <RevokeTokenDialog token={open.token} onClose={() => setOpen(null)}
          onRevoked={(t) => { replace(t); setOpen(null); setFlash(`Revoked ${t.name ?? t.prefix}.`); }} />
      )}
      {open?.kind === 'reveal' && <RevealTokenDialog token={open.token} onClose={() => setOpen(null)} />}
      {open?.kind === 'details' && <TokenDetailsDialog token={open.token} onClose={() => setOpen(null)} />}
    </section>
  );
}

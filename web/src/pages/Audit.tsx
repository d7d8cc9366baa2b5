/** The audit log (admin), newest first, with the filters of GET /api/v1/audit. */
import { useState } from 'preact/hooks';
import type { AuditEvent } from '../../../sdk/index.js';
import { api, ApiError, asApiError, errorField, unwrap } from '../api.js';
import { useLoad } from '../load.js';
import { useRoute } from '../router.js';
import { ErrorText } from '../ui/ErrorText.js';
import { endOfDay } from '../ui/format.js';
import { PageHead } from '../ui/Page.js';
import { Time } from '../ui/Time.js';

const FILTERS = ['action', 'actor', 'target', 'since', 'until'] as const;
type Filter = (typeof FILTERS)[number];

const startOfDay = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toISOString();
};

export function AuditPage() {
  const { query, navigate, path } = useRoute();
  const applied = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Record<Filter, string>;
  const [draft, setDraft] = useState(applied);
  const [more, setMore] = useState<{ items: AuditEvent[]; cursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const q = () => ({
    limit: 50,
    ...(applied.action ? { action: applied.action } : {}),
    ...(applied.actor ? { actor: applied.actor } : {}),
    ...(applied.target ? { target: applied.target } : {}),
    ...(applied.since ? { since: startOfDay(applied.since) } : {}),
    ...(applied.until ? { until: endOfDay(applied.until) } : {}),
  });
  const list = useLoad(() => { setMore(null); return unwrap(api.GET('/api/v1/audit', { params: { query: q() } })); }, [query.toString()]);
  const items = [...(list.data?.items ?? []), ...(more?.items ?? [])];
  const cursor = more ? more.cursor : list.data?.next_cursor ?? null;
  const loadMore = async () => {
    if (!cursor) return;
    try {
      const r = await unwrap(api.GET('/api/v1/audit', { params: { query: { ...q(), cursor } } }));
      setMore({ items: [...(more?.items ?? []), ...r.items], cursor: r.next_cursor });
    } catch (e) { setMoreError(asApiError(e)); }
  };
  const apply = (e: Event) => {
    e.preventDefault();
    const s = new URLSearchParams(Object.entries(draft).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()])).toString();
    navigate(`${path}${s ? `?${s}` : ''}`, true);
  };
  const at = list.error ? errorField(list.error, [...FILTERS]) : null;
  const input = (f: Filter, label: string, placeholder: string, type: 'text' | 'date' = 'text') => (
    <div class="filter">
      <label for={`a-${f}`}>{label}</label>
      {type === 'date'
        ? <input id={`a-${f}`} type="date" value={draft[f]} aria-invalid={at === f} onInput={(e) => setDraft({ ...draft, [f]: e.currentTarget.value })} />
        : <input id={`a-${f}`} type="text" value={draft[f]} placeholder={placeholder} aria-invalid={at === f}
          onInput={(e) => setDraft({ ...draft, [f]: e.currentTarget.value })} />}
    </div>
  );
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Audit log" intro="Every change to a user or token, reveals, rotations and logins: who, when and from where." />
      <form class="filters" role="search" aria-label="Filter the audit log" onSubmit={apply}>
        {input('action', 'Action', 'token. or user.create')}
        {input('actor', 'Actor id', 'user id or token id')}
        {input('target', 'Target id', 'user id or token id')}
        {input('since', 'From', '', 'date')}
        {input('until', 'To', '', 'date')}
        <div class="filter filter-submit"><button type="submit" class="button">Apply filters</button></div>
      </form>
      <ErrorText error={list.error} />
      {list.loading && !list.data ? <p class="muted" role="status">Loading the audit log…</p>
        : items.length === 0 && !list.error ? <div class="empty"><p class="empty-title">No events match.</p></div> : (
          <table class="table" aria-label="Audit events">
            <thead><tr>
              <th scope="col">When</th><th scope="col">Action</th><th scope="col">Actor</th><th scope="col">Target</th>
              <th scope="col">From</th><th scope="col">Details</th>
            </tr></thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td data-label="When"><Time iso={e.at} /></td>
                  <td data-label="Action"><code>{e.action}</code></td>
                  <td data-label="Actor">{e.actor.name ?? e.actor.id ?? e.actor.type} <span class="muted">{e.actor.type}</span></td>
                  <td data-label="Target">{e.target ? <><span class="muted">{e.target.type}</span> <code>{e.target.id}</code></> : <span class="muted">—</span>}</td>
                  <td data-label="From">{e.ip ?? <span class="muted">—</span>}</td>
                  <td data-label="Details" class="cell-details">{e.details ? <code class="details">{JSON.stringify(e.details)}</code> : <span class="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      <ErrorText error={moreError} />
      {cursor && <p><button type="button" class="button" onClick={loadMore}>Load older events</button></p>}
    </section>
  );
}

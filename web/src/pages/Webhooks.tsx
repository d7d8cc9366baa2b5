/**
 * Webhooks (admin, docs/webhooks.md): register endpoints (the signing secret is shown once), remove them, read each
 * one's delivery log and redeliver an event.
 */
import { useState } from 'preact/hooks';
import { api, ApiError, asApiError, errorField, unwrap } from '../api.js';
import { useLoad } from '../load.js';
import { Link } from '../router.js';
import { Badge } from '../ui/Badge.js';
import { CopyField } from '../ui/CopyField.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorText } from '../ui/ErrorText.js';
import { Field } from '../ui/Field.js';
import { PageHead } from '../ui/Page.js';
import { Time } from '../ui/Time.js';

const EVENTS = [
  'token.created', 'token.updated', 'token.rotated', 'token.revoked', 'token.expiring', 'token.expired',
  'token.usage_exhausted', 'token.leaked', 'user.disabled', 'job.finished',
] as const;
type EventType = typeof EVENTS[number];

function WebhookDialog(props: { onClose: () => void; onSaved: () => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<EventType[]>(['token.revoked', 'token.leaked']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const at = error ? errorField(error, ['url', 'events', 'description']) : null;
  const toggle = (e: EventType) => setEvents(events.includes(e) ? events.filter((x) => x !== e) : [...events, e]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await unwrap(api.POST('/api/v1/webhooks', { body: { url: url.trim(), events, description } }));
      setSecret(r.secret ?? null);
      props.onSaved();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  if (secret) {
    return (
      <Dialog title="Webhook created" onClose={props.onClose}>
        <p>Verify each delivery with this signing secret (Standard Webhooks). It is shown only now.</p>
        <CopyField label="Signing secret" value={secret} />
        <div class="dialog-foot"><button type="button" class="button primary" onClick={props.onClose}>Done</button></div>
      </Dialog>
    );
  }
  return (
    <Dialog title="New webhook" onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="URL" hint="Events are POSTed here as signed JSON." error={at === 'url' ? error : null}>
          {({ id, describedBy, invalid }) => <input id={id} type="url" autofocus required value={url} maxLength={2048} placeholder="https://hooks.example.org/tessera" aria-describedby={describedBy} aria-invalid={invalid} onInput={(e) => setUrl(e.currentTarget.value)} />}
        </Field>
        <fieldset class="checks" aria-invalid={at === 'events'}>
          <legend>Events</legend>
          {EVENTS.map((ev) => (
            <label key={ev}><input type="checkbox" checked={events.includes(ev)} onChange={() => toggle(ev)} /> <code>{ev}</code></label>
          ))}
          {at === 'events' && <ErrorText error={error} />}
        </fieldset>
        <Field label="Description" optional error={at === 'description' ? error : null}>
          {({ id, describedBy, invalid }) => <input id={id} value={description} maxLength={500} aria-describedby={describedBy} aria-invalid={invalid} onInput={(e) => setDescription(e.currentTarget.value)} />}
        </Field>
        {!at && <ErrorText error={error} />}
        <div class="dialog-foot">
          <button type="button" class="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" class="button primary" disabled={busy || events.length === 0}>{busy ? 'Creating…' : 'Create webhook'}</button>
        </div>
      </form>
    </Dialog>
  );
}

export function WebhooksPage() {
  const hooks = useLoad(() => unwrap(api.GET('/api/v1/webhooks')), []);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try { await fn(); } catch (e) { setError(asApiError(e)); }
  };
  const items = hooks.data?.items ?? [];
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Webhooks" intro="Signed events sent to your URLs when tokens, users and jobs change.">
        <button type="button" class="button primary" onClick={() => setOpen(true)}>New webhook</button>
      </PageHead>
      <ErrorText error={hooks.error ?? error} />
      {hooks.data && items.length === 0 && <div class="empty"><p class="empty-title">No webhooks yet.</p></div>}
      {items.length > 0 && (
        <table class="table" aria-label="Webhooks">
          <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id} data-webhook={w.id}>
                <td data-label="URL"><Link href={`/admin/webhooks/${encodeURIComponent(w.id)}`}>{w.url}</Link><div class="sub">{w.description}</div></td>
                <td data-label="Events">{w.events.map((e) => <code key={e}>{e} </code>)}</td>
                <td data-label="State">{w.active ? <Badge tone="active">active</Badge> : <Badge tone="inactive">inactive</Badge>}</td>
                <td class="cell-actions">
                  <button type="button" class="button" aria-label={`${w.active ? 'Pause' : 'Resume'} webhook ${w.url}`}
                    onClick={() => void run(async () => { await unwrap(api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: w.id } }, body: { active: !w.active } })); await hooks.reload(); })}>{w.active ? 'Pause' : 'Resume'}</button>{' '}
                  <button type="button" class="button" aria-label={`Delete webhook ${w.url}`}
                    onClick={() => void run(async () => { await unwrap(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: w.id } } })); await hooks.reload(); })}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <WebhookDialog onClose={() => { setOpen(false); void hooks.reload(); }} onSaved={() => void hooks.reload()} />}
    </section>
  );
}

export function WebhookPage({ id }: { id: string }) {
  const hook = useLoad(() => unwrap(api.GET('/api/v1/webhooks/{id}', { params: { path: { id } } })), [id]);
  const log = useLoad(() => unwrap(api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 100 } } })), [id]);
  const [error, setError] = useState<ApiError | null>(null);
  const redeliver = async (delivery: number) => {
    setError(null);
    try {
      await unwrap(api.POST('/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver', { params: { path: { id, delivery } } }));
      await log.reload();
    } catch (e) { setError(asApiError(e)); }
  };
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Webhook deliveries" intro={hook.data ? <code>{hook.data.url}</code> : undefined}>
        <button type="button" class="button" onClick={() => void log.reload()}>Refresh</button>
      </PageHead>
      <p><Link href="/admin/webhooks">All webhooks</Link></p>
      <ErrorText error={hook.error ?? log.error ?? error} />
      {log.data && log.data.items.length === 0 && <div class="empty"><p class="empty-title">Nothing delivered yet.</p></div>}
      {log.data && log.data.items.length > 0 && (
        <table class="table" aria-label="Deliveries">
          <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {log.data.items.map((d) => (
              <tr key={d.id} data-delivery={d.id}>
                <td data-label="Event"><code>{d.event_type}</code><div class="sub">{d.event_id}</div></td>
                <td data-label="Status"><Badge tone={d.status === 'delivered' ? 'active' : d.status === 'failed' ? 'revoked' : 'neutral'}>{d.status}</Badge>
                  {d.status === 'pending' && d.next_attempt_at && <div class="sub">next <Time iso={d.next_attempt_at} /></div>}</td>
                <td data-label="Attempts">
                  {d.log.length === 0 ? <span class="muted">—</span> : (
                    <ol class="attempts">
                      {d.log.map((a) => <li key={a.attempt}><Time iso={a.at} />: {a.status_code ?? a.error} ({a.duration_ms} ms){a.status_code !== null && a.error ? ` — ${a.error}` : ''}</li>)}
                    </ol>
                  )}
                </td>
                <td data-label="Created"><Time iso={d.created_at} /></td>
                <td class="cell-actions"><button type="button" class="button" aria-label={`Redeliver ${d.event_type} ${d.id}`} onClick={() => void redeliver(d.id)}>Redeliver</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

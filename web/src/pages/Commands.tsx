/**
 * Commands (configured by the operator), their jobs with live output, and channels with messages arriving live.
 * Each page says "not available on this server" when the server answers ROUTE_NOT_FOUND for its API.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChannelMessage, Command, Job } from '../../../sdk/index.js';
import { channelStreamPath } from '../../../sdk/index.js';
import { api, ApiError, asApiError, errorField, unwrap } from '../api.js';
import { useLoad } from '../load.js';
import { Link, useRoute } from '../router.js';
import { Badge } from '../ui/Badge.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorText } from '../ui/ErrorText.js';
import { Field } from '../ui/Field.js';
import { PageHead, Unavailable } from '../ui/Page.js';
import { Time } from '../ui/Time.js';

const RUNNING = new Set(['queued', 'running']);
const JOB_TONE: Record<string, string> = { queued: 'inactive', running: 'running', succeeded: 'active', failed: 'revoked', rejected: 'revoked', timed_out: 'expired' };
const JobBadge = ({ status }: { status: string }) => <Badge tone={JOB_TONE[status] ?? 'neutral'}>{status.replace('_', ' ')}</Badge>;

const argsText = (a: Command['args']): string =>
  a === 'any' ? 'any arguments' : a && typeof a === 'object' ? `arguments matching ${a.pattern}` : 'no arguments';
const username = (u: Job['user']): string => (u == null ? '—' : typeof u === 'string' ? u : u.username ?? `#${u.id}`);
const ended = (j: Job) => j.ended_at ?? j.finished_at ?? null;

function RunDialog(props: { command: Command; onClose: () => void }) {
  const { navigate } = useRoute();
  const takesArgs = props.command.args != null && props.command.args !== 'none';
  const [args, setArgs] = useState('');
  const [channel, setChannel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const at = error ? errorField(error, ['args', 'channel']) : null;
  const run = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const list = args.split('\n').map((a) => a.trim()).filter(Boolean);
      const job = await unwrap(api.POST('/api/v1/commands/{name}/run', {
        params: { path: { name: props.command.name } },
        body: { ...(list.length ? { args: list } : {}), ...(channel.trim() ? { channel: channel.trim() } : {}) },
      }));
      navigate(`/jobs/${encodeURIComponent(job.id)}`);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Run ${props.command.name}`} onClose={props.onClose}>
      <form onSubmit={run} noValidate>
        {props.command.description && <p>{props.command.description}</p>}
        {takesArgs && (
          <Field label="Arguments" optional hint={`One per line; each reaches the command as one argument (${argsText(props.command.args)}).`}
            error={at === 'args' ? error : null}>
            {({ id, describedBy, invalid }) => (
              <textarea id={id} autofocus rows={3} class="mono" value={args} aria-describedby={describedBy} aria-invalid={invalid}
                onInput={(e) => setArgs(e.currentTarget.value)} />
            )}
          </Field>
        )}
        <Field label="Channel" optional hint="Where the output is posted." error={at === 'channel' ? error : null}>
          {({ id, describedBy, invalid }) => (
            <input id={id} autofocus={!takesArgs} value={channel} placeholder="#ops" aria-describedby={describedBy} aria-invalid={invalid}
              onInput={(e) => setChannel(e.currentTarget.value)} />
          )}
        </Field>
        {!at && <ErrorText error={error} />}
        <div class="dialog-foot">
          <button type="button" class="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" class="button primary" disabled={busy}>{busy ? 'Starting…' : 'Run'}</button>
        </div>
      </form>
    </Dialog>
  );
}

export function CommandsPage() {
  const list = useLoad(() => unwrap(api.GET('/api/v1/commands')), []);
  const [running, setRunning] = useState<Command | null>(null);
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Commands" intro="Commands the operator configured. Run one, then follow its output on the job page." />
      {list.error?.routeMissing ? <Unavailable what="Commands" /> : <ErrorText error={list.error} />}
      {list.loading && !list.data ? <p class="muted" role="status">Loading commands…</p> : list.data && (
        list.data.items.length === 0 ? <div class="empty"><p class="empty-title">No commands are configured.</p>
          <p>Commands are defined in the server's configuration file, never over the API.</p></div> : (
          <table class="table" aria-label="Commands">
            <thead><tr><th scope="col">Command</th><th scope="col">Arguments</th><th scope="col">Groups</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.name} data-command={c.name}>
                  <td data-label="Command" class="cell-name"><span class="token-name">{c.name}</span>{c.id != null && <span class="muted"> #{c.id}</span>}
                    {c.description && <div class="sub">{c.description}</div>}</td>
                  <td data-label="Arguments">{argsText(c.args)}</td>
                  <td data-label="Groups">{c.groups?.length ? c.groups.map((g) => <span class="chip">{g}</span>) : <span class="muted">anyone</span>}</td>
                  <td class="cell-actions"><button type="button" class="button" aria-label={`Run ${c.name}`} onClick={() => setRunning(c)}>Run</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
      {running && <RunDialog command={running} onClose={() => setRunning(null)} />}
    </section>
  );
}

/** Calls `fn` every `ms` while `active`. */
function usePoll(active: boolean, ms: number, fn: () => void) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => saved.current(), ms);
    return () => clearInterval(t);
  }, [active, ms]);
}

export function JobsPage() {
  const list = useLoad(() => unwrap(api.GET('/api/v1/jobs', { params: { query: { limit: 50 } } })), []);
  usePoll(!!list.data?.items.some((j) => RUNNING.has(j.status)), 2000, () => void list.reload());
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Jobs" intro="Runs of commands, newest first."><Link class="button" href="/commands">Run a command</Link></PageHead>
      {list.error?.routeMissing ? <Unavailable what="Jobs" /> : <ErrorText error={list.error} />}
      {list.loading && !list.data ? <p class="muted" role="status">Loading jobs…</p> : list.data && (
        list.data.items.length === 0 ? <div class="empty"><p class="empty-title">No jobs yet.</p></div> : (
          <table class="table" aria-label="Jobs">
            <thead><tr><th scope="col">Job</th><th scope="col">Status</th><th scope="col">By</th><th scope="col">Channel</th><th scope="col">Started</th><th scope="col">Ended</th></tr></thead>
            <tbody>
              {list.data.items.map((j) => (
                <tr key={j.id}>
                  <td data-label="Job" class="cell-name"><Link href={`/jobs/${encodeURIComponent(j.id)}`}>{j.command}</Link>
                    {j.args?.length ? <div class="sub"><code>{j.args.join(' ')}</code></div> : null}</td>
                  <td data-label="Status"><JobBadge status={j.status} /></td>
                  <td data-label="By">{username(j.user)}</td>
                  <td data-label="Channel">{j.channel ? <Link href={`/channels/${encodeURIComponent(j.channel)}`}>{j.channel}</Link> : <span class="muted">—</span>}</td>
                  <td data-label="Started"><Time iso={j.started_at ?? j.created_at} /></td>
                  <td data-label="Ended"><Time iso={ended(j)} empty={RUNNING.has(j.status) ? 'running' : '—'} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
    </section>
  );
}

export function JobPage({ id }: { id: string }) {
  const job = useLoad(() => unwrap(api.GET('/api/v1/jobs/{id}', { params: { path: { id } } })), [id]);
  const j = job.data;
  const live = !!j && RUNNING.has(j.status);
  usePoll(live, 1000, () => void job.reload());
  return (
    <section aria-labelledby="page-title">
      <PageHead title={j ? `Job: ${j.command}` : 'Job'}><Link class="button" href="/jobs">All jobs</Link></PageHead>
      {job.error?.routeMissing ? <Unavailable what="Jobs" /> : <ErrorText error={job.error} />}
      {j && (
        <>
          <dl class="facts">
            <div><dt>Status</dt><dd><JobBadge status={j.status} />{live && <span class="live-dot" aria-hidden="true" />}</dd></div>
            {j.exit_code != null && <div><dt>Exit code</dt><dd><code>{j.exit_code}</code></dd></div>}
            <div><dt>By</dt><dd>{username(j.user)}</dd></div>
            {j.channel && <div><dt>Channel</dt><dd><Link href={`/channels/${encodeURIComponent(j.channel)}`}>{j.channel}</Link></dd></div>}
            {j.args?.length ? <div><dt>Arguments</dt><dd><code>{j.args.join(' ')}</code></dd></div> : null}
            <div><dt>Started</dt><dd><Time iso={j.started_at ?? j.created_at} /></dd></div>
            <div><dt>Ended</dt><dd><Time iso={ended(j)} empty={live ? 'still running' : '—'} /></dd></div>
          </dl>
          {j.error && <p class="error-text" role="alert"><span class="error-words">The command failed:</span> {j.error}</p>}
          <h2 class="section-title" id="output-title">Output{live && <span class="muted"> — live</span>}</h2>
          <pre class="output" role="log" aria-labelledby="output-title" tabIndex={0} data-testid="job-output">{j.output || (live ? 'Waiting for output…' : '(no output)')}</pre>
          {j.truncated && <p class="hint">The output was cut at the command's output cap.</p>}
        </>
      )}
    </section>
  );
}

export function ChannelsPage() {
  const list = useLoad(() => unwrap(api.GET('/api/v1/channels')), []);
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Channels" intro="Where job output and errors are posted. Open one to follow it live." />
      {list.error?.routeMissing ? <Unavailable what="Channels" /> : <ErrorText error={list.error} />}
      {list.loading && !list.data ? <p class="muted" role="status">Loading channels…</p> : list.data && (
        list.data.items.length === 0 ? <div class="empty"><p class="empty-title">No channels yet.</p><p>A channel appears when a job posts to it.</p></div> : (
          <ul class="link-list">
            {list.data.items.map((c) => (
              <li key={c.name}><Link href={`/channels/${encodeURIComponent(c.name)}`}>{c.name}</Link>
                {c.last_message_at && <span class="muted"> · last message <Time iso={c.last_message_at} /></span>}</li>
            ))}
          </ul>
        )
      )}
    </section>
  );
}

type StreamState = 'connecting' | 'live' | 'reconnecting' | 'unavailable';

export function ChannelPage({ name }: { name: string }) {
  const [messages, setMessages] = useState<ChannelMessage[]>([]);
  const [state, setState] = useState<StreamState>('connecting');
  const first = useLoad(async () => {
    const r = await unwrap(api.GET('/api/v1/channels/{name}/messages', { params: { path: { name }, query: { limit: 100 } } }));
    // The API lists newest first or oldest first; show oldest first.
    const items = [...r.items].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    setMessages(items);
    return r;
  }, [name]);
  useEffect(() => {
    if (first.error?.routeMissing) { setState('unavailable'); return; }
    if (!first.data) return;
    const es = new EventSource(channelStreamPath(name));
    const add = (ev: MessageEvent<string>) => {
      let m: ChannelMessage;
      try { m = JSON.parse(ev.data) as ChannelMessage; } catch { m = { id: ev.lastEventId || `${Date.now()}`, at: new Date().toISOString(), text: ev.data }; }
      if (typeof m !== 'object' || m === null || typeof m.text !== 'string') return;
      setMessages((prev) => (prev.some((p) => p.id === m.id) ? prev : [...prev, m]));
    };
    es.onopen = () => setState('live');
    es.onerror = () => setState(es.readyState === EventSource.CLOSED ? 'unavailable' : 'reconnecting');
    es.addEventListener('message', add);
    return () => es.close();
  }, [name, first.data, first.error]);
  const stateText: Record<StreamState, string> = {
    connecting: 'Connecting…', live: 'Live: new messages appear here as they arrive.', reconnecting: 'Connection lost; reconnecting…',
    unavailable: 'Live updates are not available.',
  };
  return (
    <section aria-labelledby="page-title">
      <PageHead title={`Channel ${name}`}><Link class="button" href="/channels">All channels</Link></PageHead>
      {first.error?.routeMissing ? <Unavailable what="Channels" /> : <ErrorText error={first.error} />}
      {!first.error && (
        <>
          <p class={`stream-state stream-${state}`} role="status">{state === 'live' && <span class="live-dot" aria-hidden="true" />}{stateText[state]}</p>
          {messages.length === 0 ? <div class="empty"><p class="empty-title">No messages yet.</p></div> : (
            <div role="log" aria-label={`Messages in ${name}`}><ol class="messages">
              {messages.map((m) => (
                <li key={m.id} class={`message${m.level ? ` message-${m.level}` : ''}`}>
                  <Time iso={m.at} />{m.job_id && <> · <Link href={`/jobs/${encodeURIComponent(m.job_id)}`}>job</Link></>}
                  <pre class="message-text">{m.text}</pre>
                </li>
              ))}
            </ol></div>
          )}
        </>
      )}
    </section>
  );
}

/**
 * Commands (configured by the operator, never over the API): the ones the caller may run, each with a Run button
 * that asks for arguments and a channel, then opens the job's page.
 */
import { useState } from 'preact/hooks';
import type { Command } from '../../../sdk/index.js';
import { api, ApiError, asApiError, errorField, unwrap } from '../api.js';
import { useLoad } from '../load.js';
import { useRoute } from '../router.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorText } from '../ui/ErrorText.js';
import { Field } from '../ui/Field.js';
import { PageHead, Unavailable } from '../ui/Page.js';
import { duration } from '../ui/format.js';

export const argsText = (a: Command['args']): string =>
  a === 'any' ? 'any arguments' : typeof a === 'object' ? `arguments matching ${a.pattern}` : 'no arguments';

function RunDialog(props: { command: Command; onClose: () => void }) {
  const { navigate } = useRoute();
  const c = props.command;
  const takesArgs = c.args !== 'none';
  const channels = useLoad(() => unwrap(api.GET('/api/v1/channels')), []);
  const [args, setArgs] = useState('');
  const [channel, setChannel] = useState(c.channel);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const at = error ? errorField(error, ['args', 'channel']) ?? (error.code === 'ARGS_REFUSED' ? 'args' : error.code === 'CHANNEL_NOT_FOUND' ? 'channel' : null) : null;
  const run = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const list = args.split('\n').map((a) => a.trim()).filter(Boolean);
      const job = await unwrap(api.POST('/api/v1/commands/{name}/run', {
        params: { path: { name: c.name } },
        body: { ...(list.length ? { args: list } : {}), ...(channel !== c.channel ? { channel } : {}) },
      }));
      navigate(`/jobs/${job.id}`);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };
  const names = [...new Set([c.channel, ...(channels.data?.items.map((ch) => ch.name) ?? [])])];
  return (
    <Dialog title={`Run ${c.name}`} onClose={props.onClose}>
      <form onSubmit={run} noValidate>
        {c.description && <p>{c.description}</p>}
        <p class="hint">Runs <code>{c.argv.join(' ')}</code> as you, for at most {duration(c.timeout)}.</p>
        {takesArgs && (
          <Field label="Arguments" optional hint={`One per line; each reaches the command as one argument, never through a shell (${argsText(c.args)}).`}
            error={at === 'args' ? error : null}>
            {({ id, describedBy, invalid }) => (
              <textarea id={id} autofocus rows={3} class="mono" value={args} aria-describedby={describedBy} aria-invalid={invalid}
                onInput={(e) => setArgs(e.currentTarget.value)} />
            )}
          </Field>
        )}
        <Field label="Channel" hint="Where the outcome is posted." error={at === 'channel' ? error : null}>
          {({ id, describedBy, invalid }) => (
            <select id={id} autofocus={!takesArgs} value={channel} aria-describedby={describedBy} aria-invalid={invalid}
              onChange={(e) => setChannel(e.currentTarget.value)}>
              {names.map((n) => <option value={n}>{n}</option>)}
            </select>
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
      <PageHead title="Commands" intro="The commands you may run, as the operator configured them. Run one, then follow it on its job page." />
      {list.error?.routeMissing ? <Unavailable what="Commands" /> : <ErrorText error={list.error} />}
      {list.loading && !list.data ? <p class="muted" role="status">Loading commands…</p> : list.data && (
        list.data.items.length === 0 ? <div class="empty"><p class="empty-title">No commands for you.</p>
          <p>Commands are defined in the server's configuration file; a command lists the user groups that may run it.</p></div> : (
          <table class="table" aria-label="Commands">
            <thead><tr><th scope="col">Command</th><th scope="col">Arguments</th><th scope="col">Groups</th><th scope="col">Channel</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.name} data-command={c.name}>
                  <td data-label="Command" class="cell-name"><span class="token-name">{c.name}</span> <span class="muted">#{c.id}</span>
                    {c.description && <div class="sub">{c.description}</div>}
                    <div class="sub"><code>{c.argv.join(' ')}</code></div></td>
                  <td data-label="Arguments">{argsText(c.args)}</td>
                  <td data-label="Groups">{c.groups.length ? c.groups.map((g) => <span class="chip">{g}</span>) : <span class="muted">admins only</span>}</td>
                  <td data-label="Channel">{c.channel}</td>
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

/**
 * Jobs (runs of commands), newest first, and one job with its output. A running job's page follows the job's output
 * stream (GET /api/v1/jobs/{id}/stream): what was printed so far, then each line as it is printed, then the ended job
 * (a slow poll backs the stream up).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Job } from '../../../sdk/index.js';
import { api, unwrap } from '../api.js';
import { useLoad } from '../load.js';
import { Link } from '../router.js';
import { useJobOutputStream } from '../stream.js';
import { Badge } from '../ui/Badge.js';
import { ErrorText } from '../ui/ErrorText.js';
import { PageHead, Unavailable } from '../ui/Page.js';
import { Time } from '../ui/Time.js';

const JOB_TONE: Record<Job['status'], string> = { running: 'running', succeeded: 'active', failed: 'revoked', rejected: 'revoked', timed_out: 'expired' };
const JobBadge = ({ status }: { status: Job['status'] }) => <Badge tone={JOB_TONE[status]}>{status.replace('_', ' ')}</Badge>;
const by = (j: Job): string => (j.user ? j.user.username ?? `#${j.user.id}` : j.token_id ? 'a token' : '—');

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
  usePoll(!!list.data?.items.some((j) => j.status === 'running'), 2000, () => void list.reload());
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
                <tr key={j.id} data-job-id={j.id}>
                  <td data-label="Job" class="cell-name"><Link href={`/jobs/${j.id}`}>{j.command}</Link> <span class="muted">#{j.id}</span>
                    {j.args.length ? <div class="sub"><code>{j.args.join(' ')}</code></div> : null}</td>
                  <td data-label="Status"><JobBadge status={j.status} /></td>
                  <td data-label="By">{by(j)} <span class="muted">via {j.trigger}</span></td>
                  <td data-label="Channel"><Link href={`/channels/${encodeURIComponent(j.channel)}`}>{j.channel}</Link></td>
                  <td data-label="Started"><Time iso={j.started_at} /></td>
                  <td data-label="Ended"><Time iso={j.ended_at} empty={j.status === 'running' ? 'running' : '—'} /></td>
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
  const n = /^\d{1,15}$/.test(id) ? Number(id) : 0;
  const job = useLoad(() => unwrap(api.GET('/api/v1/jobs/{id}', { params: { path: { id: n } } })), [n]);
  const j = job.data;
  const live = j?.status === 'running';
  // While it runs: the output as it is printed, and at the end the ended job from the stream itself.
  const [printed, setPrinted] = useState('');
  useEffect(() => setPrinted(''), [n]);
  const stream = useJobOutputStream(live ? n : null, {
    onOutput: (t) => setPrinted((p) => p + t),
    onEnd: (ended) => { if (ended.id === n) job.setData(ended); },
  });
  usePoll(live, 5000, () => void job.reload());
  // Until the stream's first piece arrives, the output so far as GET read it.
  const output = live ? printed || j.output : j?.output ?? '';
  return (
    <section aria-labelledby="page-title">
      <PageHead title={j ? `Job #${j.id}: ${j.command}` : 'Job'}><Link class="button" href="/jobs">All jobs</Link></PageHead>
      {job.error?.routeMissing ? <Unavailable what="Jobs" /> : <ErrorText error={job.error} />}
      {j && (
        <>
          <dl class="facts">
            <div><dt>Status</dt><dd><JobBadge status={j.status} />{live && stream === 'live' && <span class="live-dot" aria-hidden="true" />}</dd></div>
            {j.exit_code != null && <div><dt>Exit code</dt><dd><code>{j.exit_code}</code></dd></div>}
            <div><dt>By</dt><dd>{by(j)} <span class="muted">via {j.trigger}</span></dd></div>
            <div><dt>Channel</dt><dd><Link href={`/channels/${encodeURIComponent(j.channel)}`}>{j.channel}</Link></dd></div>
            {j.args.length ? <div><dt>Arguments</dt><dd><code>{j.args.join(' ')}</code></dd></div> : null}
            <div><dt>Started</dt><dd><Time iso={j.started_at} /></dd></div>
            <div><dt>Ended</dt><dd><Time iso={j.ended_at} empty={live ? 'still running' : '—'} /></dd></div>
          </dl>
          {j.reason && <p class="error-text" role="alert"><span class="error-words">{j.status === 'rejected' ? 'Refused:' : 'The command did not succeed:'}</span> {j.reason}</p>}
          <h2 class="section-title" id="output-title">Output{live && <span class="muted"> — live, as the command prints it</span>}</h2>
          <pre class="output" role="log" aria-live="polite" aria-labelledby="output-title" tabIndex={0} data-testid="job-output">
            {output || (live ? 'Running…' : '(no output)')}
          </pre>
          {j.truncated && <p class="hint">The output was cut at the command's output cap.</p>}
        </>
      )}
    </section>
  );
}

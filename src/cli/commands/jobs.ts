/**
 * `tessera jobs list|show`: runs of commands over /api/v1/jobs, and following a job's output live over
 * GET /api/v1/jobs/{id}/stream (Server-Sent Events), shared with `tessera run --wait`.
 *
 * Exit code of a followed job (`run --wait`, `jobs show --follow`): the command's own exit code; 124 when it timed out
 * (as timeout(1)); 1 when it failed without an exit code (killed, missing program, server restarted) or was refused.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Command, Option } from 'commander';
import type { ApiJob, JobStatus } from '../api.js';
import { type Client, connect } from '../client.js';
import { CliError, fields, note, out, printJson, table, when } from '../output.js';
import { positiveInt } from '../parse.js';
import { type CommonOptions, fetchPages, withCommon } from './common.js';


const STATUSES = ['running', 'succeeded', 'failed', 'rejected', 'timed_out'];
/** Exit code when a followed job timed out (as timeout(1)). */
export const TIMED_OUT_EXIT = 124;

/** Command output may hold terminal escapes: control characters other than newline and tab are shown escaped. */
export const safeOutput = (s: string): string =>
  s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const by = (j: ApiJob): string => (j.user ? j.user.username ?? `#${j.user.id}` : '-');
const commandLine = (j: ApiJob): string => [j.command, ...j.args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a)))].join(' ');

export const jobFields = (j: ApiJob): [string, string][] => [
  ['id', String(j.id)],
  ['command', commandLine(j)],
  ['status', j.status],
  ...(j.exit_code !== null ? [['exit code', String(j.exit_code)] as [string, string]] : []),
  ...(j.reason ? [['reason', j.reason] as [string, string]] : []),
  ['user', by(j)],
  ['trigger', j.trigger],
  ['channel', j.channel],
  ['started', when(j.started_at)],
  ['ended', when(j.ended_at, j.status === 'running' ? 'still running' : '-')],
  ...(j.truncated ? [['output', 'cut at the command\'s output cap'] as [string, string]] : []),
];

/** The process exit code that stands for a job's outcome. */
export const exitCodeOf = (j: ApiJob): number => {
  if (j.status === 'succeeded') return 0;
  if (j.status === 'timed_out') return TIMED_OUT_EXIT;
  if (j.exit_code !== null && j.exit_code > 0 && j.exit_code < 256) return j.exit_code;
  return 1;
};

/** One line saying how a job ended, for stderr. */
export const outcomeLine = (j: ApiJob): string => {
  if (j.status === 'succeeded') return `job ${j.id} (${j.command}) succeeded`;
  if (j.status === 'timed_out') return `job ${j.id} (${j.command}) timed out${j.reason ? `: ${j.reason}` : ''}`;
  if (j.status === 'rejected') return `job ${j.id} (${j.command}) was refused: ${j.reason ?? ''}`;
  return `job ${j.id} (${j.command}) failed${j.exit_code !== null ? ` with exit code ${j.exit_code}` : ''}${j.reason ? `: ${j.reason}` : ''}`;
};

interface SseEvent { id?: string; event?: string; data: string }

/** Reads Server-Sent Events from a response body, one at a time. */
async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const dec = new TextDecoder();
  let buf = '';
  for await (const bytes of body) {
    buf += dec.decode(bytes, { stream: true }).replace(/\r\n?/g, '\n');
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const e: SseEvent = { data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const m = /^(id|event|data)(?:: ?(.*))?$/.exec(line);
        if (!m) continue; // comments (`: ping`) and unknown fields
        if (m[1] === 'data') data.push(m[2] ?? '');
        else e[m[1] as 'id' | 'event'] = m[2] ?? '';
      }
      e.data = data.join('\n');
      if (e.event !== undefined) yield e;
    }
  }
}

/** Reconnects allowed in a row when the stream breaks (a server restart, a proxy timeout), one second apart. */
const RECONNECTS = 30;

/**
 * Follows a job until it ends: `onOutput` gets its output (what was printed so far first), and the ended job is
 * returned. A broken stream is reopened where it stopped (Last-Event-ID); a refusal (404, 401) is a CliError.
 */
export const followJob = async (client: Client, id: number, onOutput: (text: string) => void): Promise<ApiJob> => {
  let pos = 0;
  let failures = 0;
  for (;;) {
    let res: Response;
    try {
      res = await client.stream((api, accept) => api.GET('/api/v1/jobs/{id}/stream', {
        params: { path: { id } }, parseAs: 'stream', headers: { ...accept, ...(pos > 0 ? { 'last-event-id': String(pos) } : {}) },
      }));
    } catch (e) {
      // The server is away (restarting): try again. The server's own refusal (an error code) is final.
      if (!(e instanceof CliError) || !e.message.startsWith('cannot reach') || ++failures > RECONNECTS) throw e;
      await sleep(1000);
      continue;
    }
    try {
      for await (const e of sseEvents(res.body!)) {
        failures = 0;
        if (e.event === 'output') {
          const o = JSON.parse(e.data) as { text: string };
          onOutput(o.text);
          if (e.id !== undefined && /^\d+$/.test(e.id)) pos = Number(e.id);
        } else if (e.event === 'end') {
          return JSON.parse(e.data) as ApiJob;
        }
      }
    } catch (e) {
      if (e instanceof SyntaxError) throw new CliError(`job ${id}: the server sent an event that is not JSON`);
      // The connection broke: reopen below.
    }
    if (++failures > RECONNECTS) throw new CliError(`job ${id}: the output stream keeps breaking; see 'tessera jobs show ${id}'`);
    await sleep(1000);
  }
};

/** Prints a job's output to stdout as it arrives and its outcome to stderr; throws a CliError with the job's exit code unless it succeeded. */
export const waitAndReport = async (client: Client, id: number, o: CommonOptions): Promise<void> => {
  const ended = await followJob(client, id, (t) => { if (!o.json) process.stdout.write(safeOutput(t)); });
  if (o.json) printJson(ended);
  const code = exitCodeOf(ended);
  if (code !== 0) throw new CliError(outcomeLine(ended), code);
  if (!o.json) note(outcomeLine(ended));
};

export const jobsCommand = (program: Command): void => {
  const jobs = program.command('jobs').description('runs of commands: list them, show one and its output');

  withCommon(jobs.command('list').description('list jobs, newest first (yours; admins everyone\'s, or one user\'s with --user)'))
    .addOption(new Option('--status <status>', 'only jobs with this status').choices(STATUSES))
    .option('--command <name>', 'only runs of this command')
    .option('--user <user>', 'admins: a user id or username')
    .option('--limit <n>', 'jobs per page (1-200)', positiveInt)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--all', 'follow every page')
    .action(async (o: CommonOptions & { status?: JobStatus; command?: string; user?: string; limit?: number; cursor?: string; all?: boolean }) => {
      const c = connect(o);
      const page = await fetchPages((cursor) => c.call(c.api.GET('/api/v1/jobs',
        { params: { query: { status: o.status, command: o.command, user: o.user, limit: o.limit, cursor } } })), o.cursor, o.all === true);
      if (o.json) return printJson(page);
      if (page.items.length === 0) out('No jobs.');
      else {
        table(['id', 'command', 'status', 'exit', 'user', 'channel', 'started', 'ended'], page.items.map((j) => [
          String(j.id), commandLine(j), j.status, j.exit_code === null ? '' : String(j.exit_code), by(j), j.channel,
          when(j.started_at), when(j.ended_at, j.status === 'running' ? 'running' : '-'),
        ]));
      }
      if (page.next_cursor) note(`More jobs: add --cursor ${page.next_cursor} (or use --all).`);
    });

  withCommon(jobs.command('show').description('show one job and its output').argument('<id>', 'job id', positiveInt))
    .option('--follow', 'if it is running, print its output as it arrives until it ends; exit with its exit code (also when it has ended already)')
    .action(async (id: number, o: CommonOptions & { follow?: boolean }) => {
      const client = connect(o);
      const j = await client.call(client.api.GET('/api/v1/jobs/{id}', { params: { path: { id } } }));
      if (o.follow && j.status === 'running') {
        if (!o.json) fields(jobFields(j));
        if (!o.json) out();
        return waitAndReport(client, id, o);
      }
      if (o.json) printJson(j);
      else {
        fields(jobFields(j));
        if (j.output !== '') {
          out();
          process.stdout.write(safeOutput(j.output.endsWith('\n') ? j.output : `${j.output}\n`));
        }
      }
      // --follow means "until it ends, with its exit code": a job that ended already answers the same (a script that
      // runs then follows must not get 0 for a failure because the job was quick).
      if (o.follow && j.status !== 'running') {
        const code = exitCodeOf(j);
        if (code !== 0) throw new CliError(outcomeLine(j), code);
      }
    });
};

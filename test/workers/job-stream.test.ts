/**
 * `tessera serve --workers 2`: a job's output stream (`GET /api/v1/jobs/{id}/stream`) asked of the worker that does
 * not run the job is live all the same: that worker follows the job through its sibling, by way of the primary
 * (src/infra/cluster.ts `IpcSiblingOutput`). A channel's stream (`GET /api/v1/channels/{name}/stream`) gets the
 * messages the other worker posts (announced through the change feed). With `jobs.output_save_ms: 0` (output
 * written only at the end) the stream can only be live through the relay. `GET /api/v1/jobs/{id}` asked of the other
 * worker shows the output so far, written to the store every second (the default). The command waits for a file the
 * test creates, so "still running" is certain, never timed.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Server, fresh, startServer } from './support.js';

interface Stream {
  /** The `output` events' text so far. */
  text(): string;
  /** The `message` events' data so far (a channel's stream). */
  messages(): { id: number; job_id: number | null; text: string }[];
  /** The `end` event's job, once it came. */
  ended(): { status: string; node: string } | null;
  /** Resolves once `pred` holds (checked on every piece received), or rejects after `ms`. */
  until(pred: () => boolean, ms: number, what: string): Promise<void>;
  close(): void;
}

/** The job's stream on a connection of its own (so the primary deals it to the next worker), read as it comes. */
const openStream = (base: string, path: string, cookie: string): Stream => {
  let buf = '';
  let text = '';
  let ended: { status: string; node: string } | null = null;
  const messages: { id: number; job_id: number | null; text: string }[] = [];
  const waiters = new Set<() => void>();
  const req = request(base + path, { agent: false, headers: { cookie, connection: 'close' } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      buf += c;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'output' && data) text += (JSON.parse(data) as { text: string }).text;
        if (event === 'end' && data) ended = JSON.parse(data) as { status: string; node: string };
        if (event === 'message' && data) messages.push(JSON.parse(data) as { id: number; job_id: number | null; text: string });
      }
      for (const w of waiters) w();
    });
  });
  req.on('error', () => undefined);
  req.end();
  return {
    text: () => text,
    messages: () => messages,
    ended: () => ended,
    until: (pred, ms, what) => new Promise((done, fail) => {
      const check = (): void => { if (pred()) { clearTimeout(timer); waiters.delete(check); done(); } };
      const timer = setTimeout(() => { waiters.delete(check); fail(new Error(`not within ${ms} ms: ${what} (output so far: ${JSON.stringify(text)})`)); }, ms);
      waiters.add(check);
      check();
    }),
    close: () => req.destroy(),
  };
};

/**
 * `serve --workers 2` with the command `hold` (prints `before`, waits for the gate file, prints `after`), started
 * before the suite's tests and stopped after them; `jobs` settings as given.
 */
const holdServer = (tag: string, jobs: Record<string, number> = {}): { server: () => Server; gate: string } => {
  let s: Server | undefined;
  const dir = mkdtempSync(join(tmpdir(), `tessera-workers-${tag}-`));
  const gate = join(dir, 'go');
  before(async () => {
    const config = join(dir, 'tessera.yaml');
    writeFileSync(config, JSON.stringify({
      commands: { hold: { id: 1, argv: ['/bin/sh', '-c', `echo before; while [ ! -e "${gate}" ]; do sleep 0.02; done; echo after`], timeout: 120 } },
      password_hash: { memory_kib: 1024, iterations: 1 },
      jobs,
    }));
    s = await startServer({ workers: 2, env: { TESSERA_CONFIG: config } });
  });
  after(async () => {
    writeFileSync(gate, '');
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { server: () => s!, gate };
};

/** Logs in and starts `hold`: the job, and the number of the worker that runs it. */
const startHold = async (s: Server): Promise<{ cookie: string; job: { id: number; node: string }; runner: number }> => {
  const cookie = await s.login();
  const started = await s.req('POST', '/api/v1/commands/hold/run', { headers: { cookie } });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const job = started.body as { id: number; node: string };
  const runner = Number(/#w(\d+)$/.exec(job.node)?.[1]);
  assert.ok(runner === 1 || runner === 2, job.node);
  return { cookie, job, runner };
};

describe('tessera serve --workers 2: a job\'s output stream from the worker that does not run it', () => {
  const { server, gate } = holdServer('stream', { output_save_ms: 0 });

  test('what was printed so far, then each piece as it is printed, then the end', async () => {
    const s = server();
    const { cookie, job, runner } = await startHold(s);

    // Streams on new connections until one is served by the other worker (each new connection goes to the next one).
    const path = `/api/v1/jobs/${job.id}/stream`;
    const opened: Stream[] = [];
    let sibling: Stream | undefined;
    for (let i = 0; i < 4 && sibling === undefined; i++) {
      const from = s.lines().length;
      const st = openStream(s.url, path, cookie);
      opened.push(st);
      const line = await s.waitForLine((l) => l.msg === 'incoming request' && (l.req as { url?: string } | undefined)?.url === path, from, 10_000);
      if (line.worker !== runner) sibling = st;
    }
    assert.ok(sibling, 'a stream was served by the worker that does not run the job');

    // Live: the output printed so far arrives while the job still waits for the gate.
    await sibling.until(() => sibling!.text() === 'before\n', 10_000, 'the output so far, before the job ends');
    assert.equal(sibling.ended(), null);
    const running = await s.req('GET', `/api/v1/jobs/${job.id}`, { headers: { cookie } });
    assert.equal(running.body.status, 'running');

    writeFileSync(gate, '');
    await sibling.until(() => sibling!.ended() !== null, 10_000, 'the end');
    assert.equal(sibling.text(), 'before\nafter\n', 'each piece once, in order');
    assert.deepEqual([sibling.ended()!.status, sibling.ended()!.node], ['succeeded', job.node]);
    for (const st of opened) st.close();
  });

  test('a channel\'s stream gets, live, the message of a job that ran in the other worker', async () => {
    const s = server();
    const cookie = await s.login();
    const path = '/api/v1/channels/default/stream';
    const from = s.lines().length;
    const stream = openStream(s.url, path, cookie);
    const line = await s.waitForLine((l) => l.msg === 'incoming request' && (l.req as { url?: string } | undefined)?.url === path, from, 10_000);
    const watcher = line.worker!;
    // Runs until one is accepted by the other worker (the gate is open: each job ends at once).
    let job: { id: number; node: string } | undefined;
    for (let i = 0; i < 4 && job === undefined; i++) {
      const r = await s.req('POST', '/api/v1/commands/hold/run', { headers: { cookie } });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      if (Number(/#w(\d+)$/.exec(r.body.node as string)?.[1]) !== watcher) job = r.body as { id: number; node: string };
    }
    assert.ok(job, 'a job ran in the worker that does not serve the stream');
    await stream.until(() => stream.messages().some((m) => m.job_id === job!.id), 10_000, `the message of job ${job.id}`);
    const got = stream.messages().filter((m) => m.job_id === job!.id);
    assert.equal(got.length, 1, 'once');
    assert.match(got[0]!.text, /hold/);
    stream.close();
  });
});

describe('tessera serve --workers 2: GET /api/v1/jobs/{id} from the worker that does not run the job', () => {
  const { server, gate } = holdServer('get');

  test('shows the output printed so far while the job runs in its sibling', async () => {
    const s = server();
    const { cookie, job, runner } = await startHold(s);
    const path = `/api/v1/jobs/${job.id}`;
    const get = fresh(s.url);
    const seen: string[] = [];
    // New connections go to each worker in turn; the runner's sibling reads the store, written every second.
    for (let i = 0; i < 100; i++) {
      const from = s.lines().length;
      const r = await get('GET', path, { headers: { cookie } });
      const line = await s.waitForLine((l) => l.msg === 'incoming request' && (l.req as { url?: string } | undefined)?.url === path, from, 10_000);
      assert.equal(r.body.status, 'running');
      if (line.worker === runner) continue;
      seen.push(r.body.output as string);
      if (r.body.output !== '') break;
      await new Promise((done) => setTimeout(done, 100));
    }
    assert.equal(seen.at(-1), 'before\n', `the sibling's answers: ${JSON.stringify(seen)}`);
    writeFileSync(gate, '');
  });
});

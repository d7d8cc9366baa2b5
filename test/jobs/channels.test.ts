/** Channels: stored messages, the SSE stream (a real listening server read with fetch), and webhooks (a real node:http receiver). */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness } from '../helpers.js';
import { script, scriptDir, settled, startJobsHarness } from './support.js';

/** A webhook receiver: records each JSON body; answers 500 to the first `failFirst` requests (or all, if negative). */
const receiver = async (failFirst: number) => {
  const bodies: unknown[] = [];
  let seen = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (c: Buffer) => { data += c.toString('utf8'); });
    req.on('end', () => {
      seen++;
      bodies.push({ contentType: req.headers['content-type'], body: JSON.parse(data) });
      res.statusCode = failFirst < 0 || seen <= failFirst ? 500 : 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
};

const dir = scriptDir();
let h: Harness;
let ok: Awaited<ReturnType<typeof receiver>>;
let flaky: Awaited<ReturnType<typeof receiver>>;
let down: Awaited<ReturnType<typeof receiver>>;

before(async () => {
  ok = await receiver(0);
  flaky = await receiver(2);
  down = await receiver(-1);
  h = await startJobsHarness({
    hello: { id: 1, argv: ['/bin/echo', 'hello from job'], groups: ['ops'] },
    toops: { id: 2, argv: ['/bin/echo', 'to ops'], channel: 'ops' },
    bad: { id: 3, argv: [script(dir, 'bad.sh', 'exit 7')], channel: 'ops' },
  }, {
    channels: {
      ops: { retry: { attempts: 3, backoff_ms: 1 } },
      hooked: { webhook: ok.url, retry: { attempts: 3, backoff_ms: 1 } },
      flaky: { webhook: flaky.url, retry: { attempts: 3, backoff_ms: 1 } },
      down: { webhook: down.url, retry: { attempts: 2, backoff_ms: 1 } },
    },
  });
});
after(async () => { await h.close(); await ok.close(); await flaky.close(); await down.close(); });

const run = async (name: string, body: object = {}) => {
  const r = await h.req({ method: 'POST', url: `/api/v1/commands/${name}/run`, headers: { cookie: h.adminCookie }, payload: body });
  assert.equal(r.statusCode, 202, r.body);
  return settled(h, r.json().id);
};

describe('channel messages', () => {
  test('each outcome is posted to the job\'s channel: the command\'s own, or the caller\'s choice', async () => {
    const a = await run('toops');
    const b = await run('bad');
    const c = await run('hello', { channel: 'ops' });
    const r = await h.req({ method: 'GET', url: '/api/v1/channels/ops/messages', headers: { cookie: h.adminCookie } });
    assert.equal(r.statusCode, 200);
    const items = r.json().items as { job_id: number; text: string; channel: string }[];
    assert.deepEqual(items.slice(0, 3).map((m) => m.job_id), [c.id, b.id, a.id]); // newest first
    assert.equal(items[2]!.text, `@admin *toops* done (job ${a.id})\n\`\`\`\nto ops\n\`\`\``);
    assert.equal(items[1]!.text, `@admin *bad* failed :disappointed: exit code 7 (job ${b.id})`);
    const d = await h.req({ method: 'GET', url: '/api/v1/channels/default/messages', headers: { cookie: h.adminCookie } });
    assert.ok(!d.json().items.some((m: { job_id: number }) => m.job_id === a.id));
  });

  test('pages with a cursor; any logged-in user may read; unknown channel 404; no credential 401', async () => {
    const u = await h.createUser('paula', { groups: [] });
    const p1 = await h.req({ method: 'GET', url: '/api/v1/channels/ops/messages?limit=2', headers: bearer(u.token) });
    assert.equal(p1.statusCode, 200);
    assert.equal(p1.json().items.length, 2);
    assert.ok(p1.json().next_cursor);
    const p2 = await h.req({ method: 'GET', url: `/api/v1/channels/ops/messages?limit=2&cursor=${p1.json().next_cursor}`, headers: bearer(u.token) });
    assert.ok(p2.json().items[0].id < p1.json().items[1].id);
    const list = await h.req({ method: 'GET', url: '/api/v1/channels', headers: bearer(u.token) });
    assert.deepEqual(list.json().items, [
      { name: 'default', webhook: false }, { name: 'down', webhook: true }, { name: 'flaky', webhook: true },
      { name: 'hooked', webhook: true }, { name: 'ops', webhook: false },
    ]);
    const nf = await h.req({ method: 'GET', url: '/api/v1/channels/nope/messages', headers: bearer(u.token) });
    assert.equal(nf.statusCode, 404);
    assert.equal(nf.json().error.code, 'CHANNEL_NOT_FOUND');
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/channels/ops/messages' })).statusCode, 401);
    const bad = await h.req({ method: 'GET', url: '/api/v1/channels/ops/messages?cursor=zzz', headers: bearer(u.token) });
    assert.equal(bad.statusCode, 400);
  });
});

describe('webhooks', () => {
  test('the webhook receives a Slack-compatible {"text"} JSON POST', async () => {
    const j = await run('hello', { channel: 'hooked' });
    await h.t.services.channels.idle();
    assert.deepEqual(ok.bodies.at(-1), { contentType: 'application/json', body: { text: `@admin *hello* done (job ${j.id})\n\`\`\`\nhello from job\n\`\`\`` } });
  });

  test('a webhook answering 500 is retried until it accepts, and the job still succeeds', async () => {
    const j = await run('hello', { channel: 'flaky' });
    assert.equal(j.status, 'succeeded');
    await h.t.services.channels.idle();
    assert.equal(flaky.bodies.length, 3);
    for (const b of flaky.bodies) assert.match(JSON.stringify(b), new RegExp(`job ${j.id}`));
  });

  test('a webhook that never accepts gets its attempts, is logged, and never fails the job', async () => {
    const j = await run('hello', { channel: 'down' });
    assert.equal(j.status, 'succeeded');
    await h.t.services.channels.idle();
    assert.equal(down.bodies.length, 2);
    assert.match(h.logs(), /channel webhook delivery failed/);
    const g = await h.req({ method: 'GET', url: `/api/v1/jobs/${j.id}`, headers: { cookie: h.adminCookie } });
    assert.equal(g.json().status, 'succeeded');
  });
});

/** Reads server-sent events from a fetch body until `until` says stop. */
const readEvents = async (body: ReadableStream<Uint8Array>, until: (events: { id?: string; event?: string; data?: string }[], raw: string) => boolean) => {
  const reader = body.getReader();
  const dec = new TextDecoder();
  let raw = '';
  const events: { id?: string; event?: string; data?: string }[] = [];
  while (!until(events, raw)) {
    const { value, done } = await reader.read();
    if (done) break;
    raw += dec.decode(value, { stream: true });
    events.length = 0;
    for (const block of raw.split('\n\n').slice(0, -1)) {
      const e: Record<string, string> = {};
      for (const line of block.split('\n')) {
        const m = /^(id|event|data): (.*)$/.exec(line);
        if (m) e[m[1]!] = m[2]!;
      }
      if (e.event) events.push(e);
    }
  }
  await reader.cancel();
  return { events, raw };
};

describe('SSE stream', () => {
  let base: string;
  before(async () => {
    await h.t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
  });

  test('a connected client receives the job\'s outcome as `event: message` with JSON data', async () => {
    const res = await fetch(`${base}/api/v1/channels/ops/stream`, { headers: { cookie: h.adminCookie } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reading = readEvents(res.body!, (ev) => ev.length > 0);
    const j = await run('toops');
    const { events } = await reading;
    assert.equal(events[0]!.event, 'message');
    const data = JSON.parse(events[0]!.data!);
    assert.equal(data.job_id, j.id);
    assert.equal(data.channel, 'ops');
    assert.equal(data.text, `@admin *toops* done (job ${j.id})\n\`\`\`\nto ops\n\`\`\``);
    assert.equal(events[0]!.id, String(data.id));
  });

  test('Last-Event-ID resumes: stored messages after that id come first, in order', async () => {
    const all = (await h.req({ method: 'GET', url: '/api/v1/channels/ops/messages?limit=3', headers: { cookie: h.adminCookie } })).json().items;
    const from = all[2].id as number;
    const res = await fetch(`${base}/api/v1/channels/ops/stream`, { headers: { cookie: h.adminCookie, 'last-event-id': String(from) } });
    const { events } = await readEvents(res.body!, (ev) => ev.length >= 2);
    assert.deepEqual(events.map((e) => Number(e.id)), [all[1].id, all[0].id]);
  });

  test('Last-Event-ID wins over ?last_event_id= (an EventSource reconnecting keeps its first URL)', async () => {
    const all = (await h.req({ method: 'GET', url: '/api/v1/channels/ops/messages?limit=3', headers: { cookie: h.adminCookie } })).json().items;
    const res = await fetch(`${base}/api/v1/channels/ops/stream?last_event_id=${all[2].id}`, { headers: { cookie: h.adminCookie, 'last-event-id': String(all[1].id) } });
    const reading = readEvents(res.body!, (ev) => ev.length >= 2);
    const j = await run('toops'); // a live message after the backlog, so the reader has a second event to stop at
    const { events } = await reading;
    assert.equal(Number(events[0]!.id), all[0].id, 'resumed after the header\'s id, not the query\'s');
    assert.equal(JSON.parse(events[1]!.data!).job_id, j.id);
    // The query alone still resumes (a page opening the stream after the messages it loaded).
    const q = await fetch(`${base}/api/v1/channels/ops/stream?last_event_id=${all[1].id}`, { headers: { cookie: h.adminCookie } });
    const { events: qe } = await readEvents(q.body!, (ev) => ev.length >= 1);
    assert.equal(Number(qe[0]!.id), all[0].id);
  });

  test('the stream needs a credential and a known channel', async () => {
    assert.equal((await fetch(`${base}/api/v1/channels/ops/stream`)).status, 401);
    const nf = await fetch(`${base}/api/v1/channels/nope/stream`, { headers: { cookie: h.adminCookie } });
    assert.equal(nf.status, 404);
    assert.equal((await nf.json()).error.code, 'CHANNEL_NOT_FOUND');
  });
});

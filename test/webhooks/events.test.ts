/**
 * Issue 16: every event type reaches a real HTTP receiver on loopback exactly once, signed per Standard Webhooks
 * (checked with the `standardwebhooks` package), with `{type, timestamp, data}` naming ids, names and the owner —
 * never a token value. Every face's change goes through the audit hook, so the API stands in for all of them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { systemContext } from '../../src/core/principal.js';
import type { Config } from '../../src/config/schema.js';
import { FAST, Receiver, verifySignature } from './support.js';

let h: Harness;
let rx: Receiver;
let secret: string;
let admin: Record<string, string>;
before(async () => {
  rx = await Receiver.start();
  h = await startHarness({ webhooks: FAST, commands: { hello: { id: 1, argv: ['/bin/true'] } } } as unknown as Partial<Config>);
  admin = { cookie: h.adminCookie };
  const r = await h.req({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload: { url: rx.url, events: ['token.created', 'token.updated', 'token.rotated', 'token.revoked', 'token.expiring', 'token.expired', 'token.usage_exhausted', 'token.leaked', 'user.disabled', 'job.finished'], description: 'all' } });
  assert.equal(r.statusCode, 201, r.body);
  secret = r.json().secret;
  assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
});
after(async () => { await h.close(); await rx.close(); });

const token = async (body: Record<string, unknown>): Promise<{ id: string; token: string }> => {
  const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: body });
  assert.equal(r.statusCode, 201, r.body);
  return r.json();
};

test('each event type is delivered once, signed, without any token value', async () => {
  const values: string[] = [];
  const a = await token({ name: 'evt-a' }); values.push(a.token);
  assert.equal((await h.req({ method: 'PATCH', url: `/api/v1/tokens/${a.id}`, headers: admin, payload: { comment: 'changed' } })).statusCode, 200);
  const rot = await h.req({ method: 'POST', url: `/api/v1/tokens/${a.id}/rotate`, headers: admin, payload: { grace_seconds: 0 } });
  assert.equal(rot.statusCode, 200, rot.body); values.push(rot.json().token);
  assert.equal((await h.req({ method: 'DELETE', url: `/api/v1/tokens/${a.id}`, headers: admin })).statusCode, 200);
  const soon = await token({ name: 'evt-expiring', expires_in: 12 * 3600 }); values.push(soon.token);
  const gone = await token({ name: 'evt-expired', expires_in: 1 }); values.push(gone.token);
  h.clock.advance(2000);
  const once = await token({ name: 'evt-usage', remaining: 1 }); values.push(once.token);
  assert.equal((await h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(once.token), payload: { token: once.token } })).statusCode, 200);
  const leaked = await token({ name: 'evt-leaked' }); values.push(leaked.token);
  await h.t.services.leaks.report(systemContext(), [{ token: leaked.token, type: 'tessera', url: 'https://github.com/o/r/blob/x', source: 'content' }], 'github');
  const bob = await h.createUser('evt-bob');
  assert.equal((await h.req({ method: 'PATCH', url: `/api/v1/users/${bob.id}`, headers: admin, payload: { disabled: true } })).statusCode, 200);
  const run = await h.req({ method: 'POST', url: '/api/v1/commands/hello/run', headers: admin, payload: { args: [] } });
  assert.equal(run.statusCode, 202, run.body);
  await h.t.services.commands.wait(run.json().id);

  // token.created: evt-a, evt-expiring, evt-expired, evt-usage, evt-leaked, and bob's own token (createUser makes one)
  const want: Record<string, number> = {
    'token.created': 6, 'token.updated': 1, 'token.rotated': 1, 'token.revoked': 1, 'token.expiring': 1, 'token.expired': 1,
    'token.usage_exhausted': 1, 'token.leaked': 1, 'user.disabled': 1, 'job.finished': 1,
  };
  const total = Object.values(want).reduce((x, y) => x + y, 0);
  await rx.until((g) => g.length >= total && rx.events().some((e) => e.type === 'token.expired'), 15_000);
  await new Promise((r) => setTimeout(r, 400)); // nothing more arrives (no duplicates, no stray events)
  const all = rx.events();
  // evt-expired (1 s to live) may also get its 1-day warning if a scan runs before it expires: at most one
  const early = (e: { type: string; data: Record<string, unknown> }) => e.type === 'token.expiring' && (e.data.token as { id: string }).id === gone.id;
  assert.ok(all.filter(early).length <= 1);
  const evs = all.filter((e) => !early(e));
  const counts: Record<string, number> = {};
  for (const e of evs) counts[e.type] = (counts[e.type] ?? 0) + 1;
  assert.deepEqual(counts, want);
  assert.equal(new Set(all.map((e) => e.id)).size, all.length, 'each event once (distinct webhook-id)');
  for (const r of rx.got) {
    verifySignature(secret, r);
    assert.equal(r.headers['content-type'], 'application/json');
    for (const v of values) assert.ok(!r.body.includes(v) && !r.body.includes(v.slice(-20)), 'no token value in a payload');
  }
  assert.throws(() => verifySignature(`whsec_${Buffer.alloc(24, 7).toString('base64')}`, rx.got[0]!), 'another secret does not verify');

  const by = (type: string) => evs.filter((e) => e.type === type);
  const created = by('token.created').find((e) => (e.data.token as { name: string }).name === 'evt-a')!;
  assert.deepEqual(Object.keys(created).sort(), ['data', 'id', 'timestamp', 'type']);
  assert.deepEqual(created.data.token, { id: a.id, name: 'evt-a', kind: 'personal', owner: { id: 1, username: 'admin' }, expires_at: null });
  assert.equal((created.data.actor as { name: string }).name, 'admin');
  assert.deepEqual(by('token.updated')[0]!.data.fields, ['comment']);
  assert.equal((by('token.expiring')[0]!.data.token as { id: string }).id, soon.id);
  assert.equal(by('token.expiring')[0]!.data.days, 1);
  assert.equal((by('token.expired')[0]!.data.token as { id: string }).id, gone.id);
  assert.equal((by('token.usage_exhausted')[0]!.data.token as { id: string }).id, once.id);
  assert.equal(by('token.leaked')[0]!.data.url, 'https://github.com/o/r/blob/x');
  assert.deepEqual(by('user.disabled')[0]!.data.user, { id: bob.id, username: 'evt-bob' });
  const job = by('job.finished')[0]!.data.job as { command: string; status: string; exit_code: number };
  assert.deepEqual([job.command, job.status, job.exit_code], ['hello', 'succeeded', 0]);

  // the delivery log shows each as delivered with its attempt
  const log = await h.req({ method: 'GET', url: `/api/v1/webhooks/${(await h.req({ method: 'GET', url: '/api/v1/webhooks', headers: admin })).json().items[0].id}/deliveries?limit=200`, headers: admin });
  assert.equal(log.statusCode, 200);
  const items = log.json().items as { status: string; attempts: number; log: { status_code: number }[] }[];
  assert.equal(items.length, all.length);
  assert.ok(items.every((d) => d.status === 'delivered' && d.attempts === 1 && d.log[0]!.status_code === 200));
  assert.ok(!log.body.includes(secret) && !log.body.includes(secret.slice(6)), 'the log never shows the secret');
});

test('a batch sends token.created for each of its tokens; an import (a migration) sends none', async () => {
  const before = rx.events().length;
  const r = await h.req({ method: 'POST', url: '/api/v1/tokens/batch', headers: admin, payload: { tokens: [{ name: 'evt-batch-1' }, { name: 'evt-batch-2', expires_in: 30 * 86_400 }, {}] } });
  assert.equal(r.statusCode, 201, r.body);
  const made = r.json().tokens as { id: string; token: string; expires_at: string }[];
  const imp = await h.req({ method: 'POST', url: '/api/v1/tokens/import', headers: admin, payload: { format: 'json', rows: [{ value: 'evt-imported-value-0001', owner: 'admin' }] } });
  assert.equal(imp.statusCode, 200, imp.body);
  assert.equal(imp.json().imported, 1);
  await rx.until(() => rx.events().length >= before + 3, 10_000);
  await new Promise((res) => setTimeout(res, 400)); // and nothing more (no event for the import)
  const got = rx.events().slice(before);
  assert.deepEqual(got.map((e) => e.type), ['token.created', 'token.created', 'token.created']);
  assert.deepEqual(got.map((e) => (e.data.token as { id: string }).id).sort(), made.map((t) => t.id).sort());
  const second = got.find((e) => (e.data.token as { name: string | null }).name === 'evt-batch-2')!;
  assert.deepEqual(second.data.token, { id: made[1]!.id, name: 'evt-batch-2', kind: 'personal', owner: { id: 1, username: 'admin' }, expires_at: made[1]!.expires_at });
  assert.equal((second.data.actor as { name: string }).name, 'admin');
  for (const e of got) for (const t of made) assert.ok(!JSON.stringify(e).includes(t.token), 'no token value in a payload');
});

test('the secret is shown once: listings and reads never show it', async () => {
  const list = await h.req({ method: 'GET', url: '/api/v1/webhooks', headers: admin });
  assert.ok(!list.body.includes(secret.slice(6)));
  const one = await h.req({ method: 'GET', url: `/api/v1/webhooks/${list.json().items[0].id}`, headers: admin });
  assert.equal(one.json().secret, undefined);
  assert.ok(!one.body.includes(secret.slice(6)));
  const audit = await h.req({ method: 'GET', url: '/api/v1/audit?action=webhook.', headers: admin });
  assert.equal(audit.json().items[0].action, 'webhook.create');
  assert.ok(!audit.body.includes(secret.slice(6)), 'nor the audit log');
});

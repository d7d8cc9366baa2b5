/**
 * Issue 16: retries with exponential backoff after a receiver's 500, then `failed` after `max_attempts`; the delivery
 * log (attempt, status code, duration, error); redelivery; and the API's refusals (bad URL, unknown event, bad secret,
 * unknown ids).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Config } from '../../src/config/schema.js';
import { type Harness, startHarness } from '../helpers.js';
import { expectError } from '../api/support.js';
import { FAST, Receiver, sleep, verifySignature } from './support.js';
import { freePort } from '../ports.js';

let h: Harness;
let rx: Receiver;
let admin: Record<string, string>;
before(async () => {
  rx = await Receiver.start();
  h = await startHarness({ webhooks: FAST } as unknown as Partial<Config>);
  admin = { cookie: h.adminCookie };
});
after(async () => { await h.close(); await rx.close(); });

const hook = async (events: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> => {
  const r = await h.req({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload: { url: rx.url, events, ...extra } });
  assert.equal(r.statusCode, 201, r.body);
  return { id: r.json().webhook.id, secret: r.json().secret };
};
const deliveries = async (id: string) => {
  const r = await h.req({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries`, headers: admin });
  assert.equal(r.statusCode, 200, r.body);
  return r.json().items as { id: number; event_id: string; event_type: string; status: string; attempts: number; next_attempt_at: string | null; last_status_code: number | null; last_error: string | null; log: { attempt: number; status_code: number | null; duration_ms: number; error: string | null }[] }[];
};
const disable = (id: string) => h.req({ method: 'PATCH', url: `/api/v1/webhooks/${id}`, headers: admin, payload: { active: false } });

test('a 500 is retried after the backoff, with the same webhook-id and a new signature; the log shows both attempts', async () => {
  const w = await hook(['token.created']);
  rx.got.length = 0;
  rx.queue = [500];
  await h.adminToken({ name: 'retry-me' });
  await rx.until((g) => g.length === 1);
  let [d] = await deliveries(w.id);
  for (let i = 0; i < 50 && d!.attempts < 1; i++) { await sleep(20); [d] = await deliveries(w.id); }
  assert.equal(d!.status, 'pending');
  assert.equal(d!.last_status_code, 500);
  assert.equal(d!.last_error, 'receiver answered 500');
  await sleep(300);
  assert.equal(rx.got.length, 1, 'not retried before the backoff has passed (on the server clock)');
  h.clock.advance(250); // retry_base_ms 200
  await rx.until((g) => g.length === 2);
  assert.equal(rx.got[0]!.headers['webhook-id'], rx.got[1]!.headers['webhook-id']);
  for (const r of rx.got) verifySignature(w.secret, r);
  for (let i = 0; i < 50 && d!.status !== 'delivered'; i++) { await sleep(20); [d] = await deliveries(w.id); }
  assert.equal(d!.status, 'delivered');
  assert.equal(d!.next_attempt_at, null);
  assert.deepEqual(d!.log.map((a) => [a.attempt, a.status_code, a.error]), [[1, 500, 'receiver answered 500'], [2, 200, null]]);
  assert.ok(d!.log.every((a) => Number.isInteger(a.duration_ms) && a.duration_ms >= 0));
  await disable(w.id);
});

test('after max_attempts failures the delivery is failed and left alone; redeliver sends the event again', async () => {
  const w = await hook(['token.created']);
  rx.got.length = 0;
  rx.status = 503;
  await h.adminToken({ name: 'give-up' });
  // attempts 1..3 (max_attempts 3): waits of 200 and 400 ms on the server clock between them
  await rx.until((g) => g.length === 1);
  for (const wait of [200, 400]) {
    await sleep(100);
    h.clock.advance(wait + 10);
    const n = rx.got.length;
    await rx.until((g) => g.length === n + 1);
  }
  let [d] = await deliveries(w.id);
  for (let i = 0; i < 50 && d!.status !== 'failed'; i++) { await sleep(20); [d] = await deliveries(w.id); }
  assert.equal(d!.status, 'failed');
  assert.equal(d!.attempts, 3);
  assert.deepEqual(d!.log.map((a) => a.status_code), [503, 503, 503]);
  h.clock.advance(60_000); // far past any backoff (and within the receivers' 5-minute timestamp tolerance)
  await sleep(300);
  assert.equal(rx.got.length, 3, 'a failed delivery is not tried again');

  rx.status = 200;
  const r = await h.req({ method: 'POST', url: `/api/v1/webhooks/${w.id}/deliveries/${d!.id}/redeliver`, headers: admin });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().event_id, d!.event_id);
  assert.equal(r.json().status, 'pending');
  await rx.until((g) => g.length === 4);
  verifySignature(w.secret, rx.got[3]!);
  assert.equal(rx.got[3]!.headers['webhook-id'], d!.event_id);
  const all = await deliveries(w.id);
  assert.equal(all.length, 2);
  const audit = await h.req({ method: 'GET', url: '/api/v1/audit?action=webhook.redeliver', headers: admin });
  assert.equal(audit.json().items[0].details.delivery, d!.id);
  await disable(w.id);
});

test('an inactive webhook gets no deliveries; events it does not subscribe to are not sent', async () => {
  const w = await hook(['token.revoked']);
  const off = await hook(['token.created'], { active: false });
  rx.got.length = 0;
  await h.adminToken({ name: 'nobody-listens' });
  await sleep(300);
  assert.equal(rx.got.length, 0);
  assert.deepEqual(await deliveries(w.id), []);
  assert.deepEqual(await deliveries(off.id), []);
  await disable(w.id);
});

test('a receiver that cannot be reached is an attempt with an error and no status code', async () => {
  const dead = await Receiver.start();
  const url = dead.url;
  await dead.close();
  const r = await h.req({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload: { url, events: ['token.created'] } });
  const id = r.json().webhook.id as string;
  await h.adminToken({ name: 'to-nowhere' });
  let [d] = await deliveries(id);
  for (let i = 0; i < 100 && (d?.attempts ?? 0) < 1; i++) { await sleep(20); [d] = await deliveries(id); }
  assert.equal(d!.log[0]!.status_code, null);
  assert.equal(d!.log[0]!.error, 'ECONNREFUSED');
  assert.equal(d!.status, 'pending');
  assert.equal((await h.req({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: admin })).statusCode, 204);
  expectError(await h.req({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries`, headers: admin }), 404, 'NOT_FOUND');
});

test('a given secret is used; a new one can be made and is shown once', async () => {
  const mine = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
  const w = await hook(['token.created'], { secret: mine });
  assert.equal(w.secret, mine);
  const r = await h.req({ method: 'PATCH', url: `/api/v1/webhooks/${w.id}`, headers: admin, payload: { rotate_secret: true } });
  assert.equal(r.statusCode, 200, r.body);
  const next = r.json().secret as string;
  assert.match(next, /^whsec_/);
  assert.notEqual(next, mine);
  rx.got.length = 0;
  await h.adminToken({ name: 'new-secret' });
  await rx.until((g) => g.length === 1);
  verifySignature(next, rx.got[0]!);
  assert.throws(() => verifySignature(mine, rx.got[0]!));
  const plain = await h.req({ method: 'PATCH', url: `/api/v1/webhooks/${w.id}`, headers: admin, payload: { active: false } });
  assert.equal(plain.json().secret, undefined);
  // Both at once is a contradiction, refused with nothing changed.
  const both = await h.req({ method: 'PATCH', url: `/api/v1/webhooks/${w.id}`, headers: admin, payload: { rotate_secret: true, secret: mine, active: true } });
  assert.equal(expectError(both, 400, 'VALIDATION_ERROR').field, 'secret');
  const now = (await h.req({ method: 'GET', url: `/api/v1/webhooks/${w.id}`, headers: admin })).json();
  assert.equal(now.active, false, 'the refused change changed nothing');
});

test('bad input is a 400 with a field; unknown ids are 404', async () => {
  const post = (payload: Record<string, unknown>) => h.req({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload });
  const e1 = expectError(await post({ url: 'ftp://example.org/', events: ['token.created'] }), 400, 'VALIDATION_ERROR');
  assert.equal(e1.field, 'url');
  expectError(await post({ url: 'not a url', events: ['token.created'] }), 400, 'VALIDATION_ERROR');
  expectError(await post({ url: 'http://u:p@example.org/', events: ['token.created'] }), 400, 'VALIDATION_ERROR');
  expectError(await post({ url: 'http://example.org/', events: ['token.nope'] }), 400, 'VALIDATION_ERROR');
  expectError(await post({ url: 'http://example.org/', events: [] }), 400, 'VALIDATION_ERROR');
  const e2 = expectError(await post({ url: 'http://example.org/', events: ['token.created'], secret: 'whsec_short' }), 400, 'VALIDATION_ERROR');
  assert.equal(e2.field, 'secret');
  expectError(await h.req({ method: 'GET', url: '/api/v1/webhooks/wh_nope', headers: admin }), 404, 'NOT_FOUND');
  expectError(await h.req({ method: 'PATCH', url: '/api/v1/webhooks/wh_nope', headers: admin, payload: { active: true } }), 404, 'NOT_FOUND');
  expectError(await h.req({ method: 'DELETE', url: '/api/v1/webhooks/wh_nope', headers: admin }), 404, 'NOT_FOUND');
  const w = await hook(['token.created'], { active: false });
  expectError(await h.req({ method: 'POST', url: `/api/v1/webhooks/${w.id}/deliveries/999999/redeliver`, headers: admin }), 404, 'NOT_FOUND');
  expectError(await h.req({ method: 'POST', url: `/api/v1/webhooks/${w.id}/deliveries/0/redeliver`, headers: admin }), 400, 'VALIDATION_ERROR');
  expectError(await h.req({ method: 'GET', url: `/api/v1/webhooks/${w.id}/deliveries?cursor=bogus`, headers: admin }), 400, 'INVALID_CURSOR');
});

test('finished deliveries older than webhooks.retention_days are deleted with their log; pending ones stay', async () => {
  const ok = await hook(['token.rotated']);
  const deadUrl = `http://127.0.0.1:${await freePort()}/hook`; // nothing listens there
  const r = await h.req({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload: { url: deadUrl, events: ['token.rotated'] } });
  const dead = r.json().webhook.id as string;
  rx.status = 200;
  const t = await h.adminToken({ name: 'prune-me' });
  await h.req({ method: 'POST', url: `/api/v1/tokens/${t.id}/rotate`, headers: admin, payload: { grace_seconds: 0 } });
  for (let i = 0; i < 100 && ((await deliveries(ok.id))[0]?.status !== 'delivered' || (await deliveries(dead))[0]?.attempts !== 1); i++) await sleep(20);
  assert.equal((await deliveries(ok.id))[0]!.status, 'delivered');
  await disable(dead); // keeps its one pending delivery from being retried
  assert.equal(await h.t.services.webhooks.prune(1), 0, 'nothing is old enough yet');
  h.clock.advance(2 * 86_400_000);
  assert.ok(await h.t.services.webhooks.prune(1) >= 1);
  assert.deepEqual(await deliveries(ok.id), []);
  const left = await deliveries(dead);
  assert.equal(left.length, 1);
  assert.equal(left[0]!.status, 'pending');
  assert.equal(left[0]!.log.length, 1);
});

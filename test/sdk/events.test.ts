/**
 * GET /api/v1/verify/events against a real server: who may subscribe (service tokens and admins; 401 without a
 * credential, 403 for others), what the events say (token, user, hash; never a value), and the end of the stream
 * when the server closes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer } from '../helpers.js';
import { startSdkServer, type SdkServer } from './server.js';

let s: SdkServer;
before(async () => { s = await startSdkServer(); });
after(async () => { await s.close(); });

/** Opens the stream and collects its events until `close()`. */
const subscribe = async (headers: Record<string, string>) => {
  const ac = new AbortController();
  const res = await fetch(`${s.baseUrl}/api/v1/verify/events`, { headers, signal: ac.signal });
  const events: { event: string; data: any }[] = [];
  let raw = '';
  let ended = false;
  const done = (async () => {
    if (!res.ok || !res.body) return;
    const dec = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        raw += dec.decode(chunk, { stream: true });
        for (let cut; (cut = raw.indexOf('\n\n')) !== -1;) {
          const block = raw.slice(0, cut); raw = raw.slice(cut + 2);
          const ev = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
        }
      }
      ended = true;
    } catch { /* aborted */ }
  })();
  const waitFor = async (pred: (e: { event: string; data: any }) => boolean, ms = 1000) => {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      const e = events.find(pred);
      if (e) return e;
      await new Promise((r) => setTimeout(r, 5));
    }
    return assert.fail(`no such event within ${ms} ms; got ${JSON.stringify(events)}`);
  };
  return { res, events, waitFor, done, get ended() { return ended; }, close: () => ac.abort() };
};

describe('who may subscribe', () => {
  test('no credential: 401 UNAUTHENTICATED with the envelope', async () => {
    const r = await fetch(`${s.baseUrl}/api/v1/verify/events`);
    assert.equal(r.status, 401);
    const b = await r.json() as { error: { code: string; request_id: string } };
    assert.equal(b.error.code, 'UNAUTHENTICATED');
    assert.ok(b.error.request_id);
  });

  test('a personal token of a non-admin: 403 FORBIDDEN; a revoked service token: 401', async () => {
    const alice = await s.h.createUser('events-alice');
    const r = await fetch(`${s.baseUrl}/api/v1/verify/events`, { headers: bearer(alice.token) });
    assert.equal(r.status, 403);
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'FORBIDDEN');
    const svc = await s.token({ kind: 'service', access: 'read', name: 'events-revoked' });
    await s.revoke(svc.id);
    const r2 = await fetch(`${s.baseUrl}/api/v1/verify/events`, { headers: bearer(svc.token) });
    assert.equal(r2.status, 401);
    assert.equal(((await r2.json()) as { error: { code: string } }).error.code, 'TOKEN_REVOKED');
  });

  test('a service token and an admin\'s token (and session) may: state first', async () => {
    const admin = await s.h.adminToken({ access: 'read', name: 'events-admin' });
    for (const headers of [bearer(s.service), bearer(admin.token), { cookie: s.h.adminCookie }]) {
      const sub = await subscribe(headers);
      assert.equal(sub.res.status, 200);
      assert.match(sub.res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const st = await sub.waitFor((e) => e.event === 'state');
      assert.deepEqual(st.data, { caching: true });
      sub.close();
    }
  });
});

describe('what the events say', () => {
  test('revoking a token: invalidate {kind: token, id}; a new token: {kind: hash} of SHA-256(value); no value ever', async () => {
    const sub = await subscribe(bearer(s.service));
    await sub.waitFor((e) => e.event === 'state');
    const t = await s.token({ name: 'events-target' });
    const { createHash } = await import('node:crypto');
    await sub.waitFor((e) => e.event === 'invalidate' && e.data.kind === 'hash' && e.data.id === createHash('sha256').update(t.token).digest('hex'));
    await s.revoke(t.id);
    await sub.waitFor((e) => e.event === 'invalidate' && e.data.kind === 'token' && e.data.id === t.id);
    assert.ok(!JSON.stringify(sub.events).includes(t.token), 'a token value was sent');
    sub.close();
  });

  test('disabling a user: invalidate {kind: user, id}', async () => {
    const bob = await s.h.createUser('events-bob');
    const sub = await subscribe(bearer(s.service));
    await sub.waitFor((e) => e.event === 'state');
    const r = await s.h.req({ method: 'PATCH', url: `/api/v1/users/${bob.id}`, headers: { cookie: s.h.adminCookie }, payload: { disabled: true } });
    assert.equal(r.statusCode, 200, r.body);
    await sub.waitFor((e) => e.event === 'invalidate' && e.data.kind === 'user' && e.data.id === bob.id);
    sub.close();
  });

  test('revoking the subscriber\'s own service token ends its stream with event: error', async () => {
    const svc = await s.token({ kind: 'service', access: 'read', name: 'events-self' });
    const sub = await subscribe(bearer(svc.token));
    await sub.waitFor((e) => e.event === 'state');
    await s.revoke(svc.id);
    const err = await sub.waitFor((e) => e.event === 'error', 3000);
    assert.equal(err.data.error.code, 'TOKEN_REVOKED');
    await sub.done;
    assert.equal(sub.ended, true);
  });
});

describe('shutdown', () => {
  test('closing the server ends open streams', async () => {
    const { startSdkServer: start } = await import('./server.js');
    const other = await start();
    const res = await fetch(`${other.baseUrl}/api/v1/verify/events`, { headers: bearer(other.service) });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    await reader.read();
    const ended = (async () => { for (;;) { if ((await reader.read()).done) return true; } })().catch(() => true);
    const t0 = Date.now();
    await other.close();
    assert.equal(await ended, true);
    assert.ok(Date.now() - t0 < 5000);
  });
});

/**
 * Bound tokens are tokens like any other (listed for admins with their binding, expiry, active flag, audit, last
 * used), and work on nothing but POST /message: every general credential path refuses them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer } from '../helpers.js';
import { type ChatServer, chat, finished, sh, startChatServer, tokenNew } from './support.js';

let s: ChatServer;
let erin: { id: number; cookie: string; token: string };
let value: string;
let id: string;
before(async () => {
  s = await startChatServer();
  erin = await s.h.createUser('erin', { groups: ['ops'] });
  value = await tokenNew(s.h, 'token-new @erin #ops echo "two words" x');
  id = /\*(tok_\w+)\*/.exec((await chat(s.h, 'tokens -user erin')).reply)![1]!;
});
after(async () => { await s.close(); });

test('a bound token is refused on /api/v1/tokens, /api/v1/auth/me, forward-auth and as the caller of /api/v1/verify (403 TOKEN_BOUND)', async () => {
  for (const [method, url] of [['GET', '/api/v1/tokens'], ['GET', '/api/v1/auth/me'], ['POST', '/api/v1/verify'], ['GET', '/api/v1/auth/forward']] as const) {
    const r = await s.h.req({ method, url, headers: bearer(value), ...(method === 'POST' ? { payload: { token: s.admin } } : {}) });
    assert.equal(r.statusCode, 403, `${url}: ${r.body}`);
    assert.equal(r.json().error.code, 'TOKEN_BOUND', url);
  }
  const viaCurl = await sh(`curl -s -H "TOKEN: ${value}" ${s.url}/api/v1/tokens`);
  assert.equal(viaCurl.status, 403);
  const create = await s.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { 'x-api-key': value }, payload: { name: 'escape' } });
  assert.equal(create.statusCode, 403);
});

test('/api/v1/verify reports a bound token as not valid, code BOUND', async () => {
  const r = await s.h.req({ method: 'POST', url: '/api/v1/verify', headers: bearer(s.admin), payload: { token: value } });
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual([r.json().valid, r.json().code, r.json().token.kind], [false, 'BOUND', 'bound']);
});

test('admins see bound tokens with their binding; their owner does not, and cannot list kind=bound', async () => {
  const all = await s.h.req({ method: 'GET', url: '/api/v1/tokens?kind=bound', headers: { cookie: s.h.adminCookie } });
  const t = all.json().items.find((x: { id: string }) => x.id === id);
  assert.deepEqual({ kind: t.kind, owner: t.owner.username, binding: t.binding, status: t.status },
    { kind: 'bound', owner: 'erin', binding: { command: 'echo', args: ['two words', 'x'], channel: 'ops' }, status: 'active' });
  assert.ok(!JSON.stringify(all.json()).includes(value), 'no value in a listing');
  const own = await s.h.req({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: erin.cookie } });
  assert.deepEqual(own.json().items.map((x: { kind: string }) => x.kind), ['personal']);
  const forbidden = await s.h.req({ method: 'GET', url: '/api/v1/tokens?kind=bound', headers: { cookie: erin.cookie } });
  assert.equal(forbidden.statusCode, 403);
  const notHers = await s.h.req({ method: 'GET', url: `/api/v1/tokens/${id}`, headers: { cookie: erin.cookie } });
  assert.equal(notHers.statusCode, 404);
});

test('POST /api/v1/tokens cannot make a bound token (only token-new can)', async () => {
  const r = await s.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: s.h.adminCookie }, payload: { kind: 'bound' } });
  assert.equal(r.statusCode, 400);
  assert.match(r.json().error.message, /token-new/);
});

test('expiry and the active flag apply: set through PATCH, refused on /message with 401', async () => {
  const v = await tokenNew(s.h, 'token-new @erin #ops echo life');
  const tid = /\*(tok_\w+)\* @erin at #ops _echo life_/.exec((await chat(s.h, 'tokens -command "echo life"')).reply)![1]!;
  const off = await s.h.req({ method: 'PATCH', url: `/api/v1/tokens/${tid}`, headers: { cookie: s.h.adminCookie }, payload: { active: false } });
  assert.equal(off.statusCode, 200, off.body);
  const r1 = await sh(`curl -s -X POST -H "TOKEN: ${v}" ${s.url}/message`);
  assert.equal(r1.status, 401);
  assert.equal(JSON.parse(r1.body).error.code, 'TOKEN_DISABLED');
  assert.match((await chat(s.h, 'tokens -command "echo life"')).reply, /_echo life_ \(inactive\)$/);
  const expires = new Date(s.h.clock.now() + 60_000).toISOString();
  await s.h.req({ method: 'PATCH', url: `/api/v1/tokens/${tid}`, headers: { cookie: s.h.adminCookie }, payload: { active: true, expires_at: expires } });
  const ok = await sh(`curl -s -X POST -H "TOKEN: ${v}" ${s.url}/message`);
  assert.equal(ok.status, 202, ok.body);
  await finished(s.h, JSON.parse(ok.body).job_id);
  s.h.clock.advance(61_000);
  const r2 = await sh(`curl -s -X POST -H "TOKEN: ${v}" ${s.url}/message`);
  assert.equal(r2.status, 401);
  assert.equal(JSON.parse(r2.body).error.code, 'TOKEN_EXPIRED');
});

test('use is recorded (last used, use count) and creation and revocation are audited without the value', async () => {
  const r = await sh(`curl -s -X POST -H "TOKEN: ${value}" ${s.url}/message`);
  assert.equal(r.status, 202);
  await finished(s.h, JSON.parse(r.body).job_id);
  await s.h.t.services.usage.flush();
  const t = (await s.h.req({ method: 'GET', url: `/api/v1/tokens/${id}`, headers: { cookie: s.h.adminCookie } })).json();
  assert.ok(t.use_count >= 1 && t.last_used_at !== null, JSON.stringify(t));
  assert.deepEqual(await chat(s.h, `token-revoke ${id}`), { ok: true, reply: `Token *${id}* has been revoked` });
  assert.deepEqual(await chat(s.h, `token-revoke ${id}`), { ok: false, reply: `token *${id}* was already revoked` });
  assert.deepEqual(await chat(s.h, 'token-revoke tok_0000000000000000'), { ok: false, reply: "no command-bound token 'tok_0000000000000000'" });
  assert.deepEqual(await chat(s.h, 'token-revoke 9b2f4a8e-0000-4000-8000-000000000000'), { ok: false, reply: 'no command-bound token with that value' });
  const audit = await s.h.req({ method: 'GET', url: `/api/v1/audit?target=${id}`, headers: { cookie: s.h.adminCookie } });
  assert.equal(audit.statusCode, 200, audit.body);
  const actions = audit.json().items.map((e: { action: string }) => e.action);
  assert.ok(actions.includes('token.create') && actions.includes('token.revoke'), actions.join());
  assert.ok(!audit.body.includes(value));
});

test('token management needs a full-access admin credential', async () => {
  const read = await s.h.adminToken({ access: 'read', name: 'ro' });
  const r = await s.h.req({ method: 'POST', url: '/api/v1/chat', headers: bearer(read.token), payload: { text: 'token-new @erin #ops echo x' } });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().ok, false);
  assert.match(r.json().reply, /access level 'full'/);
});

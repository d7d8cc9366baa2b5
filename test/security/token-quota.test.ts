/**
 * Issue 12 item 6: one user cannot stall the server. `max_tokens_per_user` caps a user's live (not revoked, not expired) personal
 * and bound tokens on every face that creates them (409 TOKEN_QUOTA_EXCEEDED, each face in its own error shape), and
 * the compat listings (Semaphore, FileBin) show at most that many tokens, the newest, decrypting no more than they show.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Config } from '../../src/config/schema.js';
import { bearer } from '../helpers.js';
import { type ChatServer, chat, startChatServer } from '../chat/support.js';

const QUOTA = 3;

describe('per-user token quota', () => {
  let s: ChatServer;
  let u: { id: number; cookie: string; token: string; tokenId: string };
  before(async () => {
    s = await startChatServer({ max_tokens_per_user: QUOTA } as Partial<Config>);
    u = await s.h.createUser('quota1', { groups: ['ops'] }); // one token already: quota1-main
  });
  after(async () => { await s.close(); });

  const native = (name: string) => s.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: u.cookie }, payload: { name, access: 'full' } });
  const semaphore = () => s.h.req({ method: 'POST', url: '/api/user/tokens', headers: bearer(u.token), payload: {} });
  const filebin = () => s.h.req({ method: 'POST', url: '/api/v2.0.0/user/create_apikey', headers: { ...bearer(u.token), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'access_level=full' });

  test('natively: the token beyond the quota is refused with 409 TOKEN_QUOTA_EXCEEDED', async () => {
    assert.equal((await native('two')).statusCode, 201);
    assert.equal((await semaphore()).statusCode, 201);
    const r = await native('four');
    assert.equal(r.statusCode, 409, r.body);
    assert.equal(r.json().error.code, 'TOKEN_QUOTA_EXCEEDED');
    assert.match(r.json().error.message, /3/);
  });

  test('Semaphore and FileBin refuse it in their own shapes', async () => {
    const sem = await semaphore();
    assert.equal(sem.statusCode, 409, sem.body);
    assert.match(sem.json().error, /quota|at most/i);
    const fb = await filebin();
    assert.equal(fb.statusCode, 400, fb.body);
    assert.equal(fb.json().status, 'error');
    assert.match(fb.json().message, /at most 3/);
  });

  test('chat token-new counts against the owner\'s quota', async () => {
    const r = await chat(s.h, 'token-new @quota1 #ops echo x');
    assert.equal(r.ok, false, r.reply);
    assert.match(r.reply, /at most 3/);
  });

  test('revoked tokens do not count: revoking one makes room for one', async () => {
    const list = await s.h.req({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: u.cookie } });
    const two = list.json().items.find((t: { name: string }) => t.name === 'two');
    assert.equal((await s.h.req({ method: 'DELETE', url: `/api/v1/tokens/${two.id}`, headers: { cookie: u.cookie } })).statusCode, 200);
    assert.equal((await filebin()).statusCode, 200);
    assert.equal((await native('five')).statusCode, 409);
  });

  test('expired tokens do not count either; given a later expiry, one counts again and is refused while the quota is full', async () => {
    const mine = async () => (await s.h.req({ method: 'GET', url: '/api/v1/tokens?status=active', headers: { cookie: u.cookie } })).json().items as { id: string; name: string | null }[];
    // Full now (3 live): make one of them short-lived, and let it expire.
    const victim = (await mine()).find((t) => t.name !== 'quota1-main')!;
    const patch = (payload: object) => s.h.req({ method: 'PATCH', url: `/api/v1/tokens/${victim.id}`, headers: { cookie: u.cookie }, payload });
    assert.equal((await patch({ expires_at: new Date(s.h.clock.now() + 60_000).toISOString() })).statusCode, 200);
    assert.equal((await native('six')).statusCode, 409);
    s.h.clock.advance(61_000);
    const six = await native('six');
    assert.equal(six.statusCode, 201, 'the expired token no longer counts');
    const back = await patch({ expires_at: new Date(s.h.clock.now() + 3_600_000).toISOString() });
    assert.equal(back.statusCode, 409, back.body);
    assert.equal(back.json().error.code, 'TOKEN_QUOTA_EXCEEDED');
    assert.equal((await s.h.req({ method: 'DELETE', url: `/api/v1/tokens/${six.json().id}`, headers: { cookie: u.cookie } })).statusCode, 200);
    assert.equal((await patch({ expires_at: null })).statusCode, 200, 'with room again, it may live again');
  });

  test('compat listings are bounded: the newest max_tokens_per_user, and no more values decrypted than listed', async () => {
    // Make many revoked tokens (revoked ones are listed by Semaphore), then fill the quota again.
    for (let i = 0; i < 4; i++) {
      const list = await s.h.req({ method: 'GET', url: '/api/v1/tokens?status=active', headers: { cookie: u.cookie } });
      const victim = list.json().items.find((t: { id: string }) => t.id !== u.tokenId);
      assert.equal((await s.h.req({ method: 'DELETE', url: `/api/v1/tokens/${victim.id}`, headers: { cookie: u.cookie } })).statusCode, 200);
      assert.equal((await semaphore()).statusCode, 201);
    }
    const all = await s.h.req({ method: 'GET', url: '/api/v1/tokens?limit=200', headers: { cookie: u.cookie } });
    assert.ok(all.json().items.length > QUOTA + 3, 'setup: more tokens than the cap');
    const sem = await s.h.req({ method: 'GET', url: '/api/user/tokens', headers: bearer(u.token) });
    assert.equal(sem.statusCode, 200, sem.body);
    assert.equal(sem.json().length, QUOTA);
    const newest = all.json().items.slice(0, QUOTA).map((t: { created_at: string }) => t.created_at);
    assert.deepEqual(sem.json().map((t: { created: string }) => t.created.slice(0, 19)), newest.map((c: string) => c.slice(0, 19)));
    const fb = await s.h.req({ method: 'GET', url: '/api/v2.0.0/user/apikeys', headers: bearer(u.token) });
    assert.equal(fb.statusCode, 200, fb.body);
    assert.ok(fb.json().data.apikeys, fb.body);
    assert.ok(Object.keys(fb.json().data.apikeys).length <= QUOTA);
    const audit = await s.h.req({ method: 'GET', url: '/api/v1/audit?action=token.reveal&limit=2', headers: { cookie: s.h.adminCookie } });
    assert.ok(audit.json().items.length > 0, audit.body);
    for (const e of audit.json().items) assert.ok(e.details.count <= QUOTA, `revealed ${e.details.count} values`);
  });
});

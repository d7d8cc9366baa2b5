import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

test('admin creates a token with a session and uses it as a Bearer credential', async () => {
  const created = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: h.adminCookie }, payload: { name: 'ci', access: 'full' } });
  assert.equal(created.statusCode, 201);
  const body = created.json();
  assert.match(body.token, /^tsr_[0-9A-Za-z]{33}$/);
  assert.equal(body.status, 'active');
  const me = await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(body.token) });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().user.username, 'admin');
  assert.equal(me.json().credential.token_id, body.id);
  const list = await h.req({ method: 'GET', url: '/api/v1/tokens', headers: bearer(body.token) });
  assert.equal(list.statusCode, 200);
  assert.equal(list.json().items.length, 1);
  assert.equal(list.json().items[0].token, undefined);
});

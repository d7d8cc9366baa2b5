/**
 * Issue 14 for Meeseeks's command-bound tokens: besides its groups, a user may run a command when they hold the
 * permission `command:<name>:run` (granted to them, their group, or a role), and taking it away stops their bound
 * token at the next use — "the user lost access to the command" is a permission change. The token is not touched.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ChatServer, finished, startChatServer, tokenNew } from './support.js';

let s: ChatServer;
let uid: number;
before(async () => {
  s = await startChatServer();
  uid = (await s.h.createUser('fay', { groups: [] })).id;
});
after(async () => { await s.close(); });

const patchUser = (body: Record<string, unknown>) => s.h.req({ method: 'PATCH', url: `/api/v1/users/${uid}`, headers: { cookie: s.h.adminCookie }, payload: body });
const trigger = async (value: string) => {
  const r = await s.h.req({ method: 'POST', url: '/message', headers: { token: value } });
  assert.equal(r.statusCode, 202, r.body);
  return finished(s.h, r.json().job_id ?? r.json().id);
};

test('command:<name>:run lets a user outside the command\'s groups run it; removing it refuses the bound token at once', async () => {
  const value = await tokenNew(s.h, 'token-new @fay #ops fixed');
  const refused = await trigger(value);
  assert.equal(refused.status, 'rejected', 'fay is in no group of the command');
  assert.match(refused.reason, /command:fixed:run/);

  assert.equal((await patchUser({ permissions: ['command:fixed:run'] })).statusCode, 200);
  const ran = await trigger(value);
  assert.equal(ran.status, 'succeeded', JSON.stringify(ran));

  assert.equal((await patchUser({ permissions: [] })).statusCode, 200);
  assert.equal((await trigger(value)).status, 'rejected');

  // through a role granted to the user: the same
  assert.equal((await s.h.req({ method: 'POST', url: '/api/v1/roles', headers: { cookie: s.h.adminCookie }, payload: { name: 'runner', permissions: ['command:*'] } })).statusCode, 201);
  assert.equal((await patchUser({ roles: ['runner'] })).statusCode, 200);
  assert.equal((await trigger(value)).status, 'succeeded');
});

/**
 * Issue 12 item 12 (part): a command-bound token (chat `token-new`, works only on POST /message) used on the Semaphore
 * and Query routes gets what docs/compat.md promises: Semaphore 403 with an empty body (a credential that may not do
 * this, like a `read` token), Query 401 with an empty body (anything but an admin's `full` credential).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer } from '../helpers.js';
import { type ChatServer, startChatServer, tokenNew } from '../chat/support.js';

describe('bound tokens on the Semaphore and Query routes', () => {
  let s: ChatServer;
  let bound: string;
  before(async () => {
    s = await startChatServer();
    bound = await tokenNew(s.h, 'token-new @admin #ops echo x'); // an admin's bound token: rights would be full
  });
  after(async () => { await s.close(); });

  test('Semaphore: 403, empty body', async () => {
    for (const [method, url, payload] of [['GET', '/api/user/tokens'], ['POST', '/api/user/tokens', {}], ['DELETE', '/api/user/tokens/tok_0000000000000000'],
      ['POST', '/api/project/1/tasks', { template_id: 1 }], ['GET', '/api/project/1/tasks/1']] as const) {
      const r = await s.h.req({ method, url, headers: bearer(bound), ...(payload ? { payload } : {}) });
      assert.equal(r.statusCode, 403, `${method} ${url}: ${r.body}`);
      assert.equal(r.body, '', `${method} ${url}`);
    }
  });

  test('Query: 401, empty body', async () => {
    for (const [method, url, payload] of [['GET', '/_/token'], ['POST', '/_/token', { name: 'x' }], ['GET', '/_/token/value?name=x']] as const) {
      const r = await s.h.req({ method, url, headers: bearer(bound), ...(payload ? { payload } : {}) });
      assert.equal(r.statusCode, 401, `${method} ${url}: ${r.body}`);
      assert.equal(r.body, '', `${method} ${url}`);
    }
  });
});

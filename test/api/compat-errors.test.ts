/**
 * Answers given before a route is chosen come in the shape of the face the path belongs to (found from outside: a
 * malformed %-escape under FileBin's, Semaphore's or Query's paths got the native envelope). The path is never
 * repeated in the message (it may hold a token value), and a token value as a path parameter reaches its route.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';

let h: Harness;
let admin: string;
before(async () => {
  h = await startHarness();
  admin = (await h.adminToken({ name: 'compat-errors' })).token;
});
after(async () => { await h.close(); });

const get = (method: string, url: string) => h.req({ method: method as 'GET', url, headers: bearer(admin) });

describe('errors before routing, in each face\'s shape', () => {
  test('a malformed %-escape: FileBin\'s, Semaphore\'s, Query\'s and the native shape, the path not repeated', async () => {
    const fb = await get('GET', '/api/v2.0.0/user/api%ZZkeys');
    assert.equal(fb.statusCode, 400);
    assert.equal(fb.json().status, 'error');
    assert.equal(fb.json().error_id, 'api/invalid-request');
    const sem = await get('GET', '/api/user/tok%ZZens');
    assert.deepEqual(Object.keys(sem.json()), ['error']);
    assert.equal(typeof sem.json().error, 'string');
    const q = await get('GET', '/_/tok%ZZen');
    assert.equal(q.statusCode, 400);
    assert.match(String(q.headers['content-type']), /^text\/plain/);
    const native = await get('GET', '/api/v1/tok%ZZens');
    assert.equal(native.json().error.code, 'VALIDATION_ERROR');
    for (const r of [fb, sem, q, native]) assert.ok(!r.body.includes('%ZZ'), r.body);
  });

  test('FileBin\'s routes answer any method, as its router does', async () => {
    for (const method of ['PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const r = await get(method, '/api/v2.0.0/user/apikeys');
      assert.equal(r.statusCode, 200, `${method}: ${r.body}`);
      assert.equal(r.json().status, 'success');
    }
  });

  test('an unknown route under Semaphore\'s paths: its empty 404', async () => {
    const r = await get('PUT', '/api/user/tokens');
    assert.deepEqual([r.statusCode, r.body], [404, '']);
  });

  test('a long value as a path parameter reaches its route (no router limit at 100 characters)', async () => {
    const long = await get('DELETE', `/api/user/tokens/${'a'.repeat(200)}`);
    assert.deepEqual([long.statusCode, long.body], [404, ''], 'Semaphore\'s unknown token');
    const tooLong = await get('DELETE', `/api/user/tokens/${'a'.repeat(1100)}`);
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.json().error, /1024/);
    assert.equal((await get('GET', `/api/v1/tokens/tok_${'a'.repeat(150)}`)).json().error.code, 'VALIDATION_ERROR');
  });
});

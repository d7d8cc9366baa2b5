/** Listing tokens: whose tokens a caller sees, the owner/kind/status filters, and cursor pagination. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Harness, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

let h: Harness;
let admin: Record<string, string>;
let alice: Awaited<ReturnType<Harness['createUser']>>;
let bob: Awaited<ReturnType<Harness['createUser']>>;
const ids: Record<string, string> = {};

before(async () => {
  h = await startHarness();
  admin = { cookie: h.adminCookie };
  alice = await h.createUser('alice'); // and her token alice-main
  bob = await h.createUser('bob'); // and bob-main
  const tick = () => h.clock.advance(1); // distinct creation times make "newest first" exact
  tick();
  tick(); ids.aliceRead = (await createToken(h, { cookie: alice.cookie }, { name: 'a-read', access: 'read' })).id;
  tick(); ids.aliceOff = (await createToken(h, { cookie: alice.cookie }, { name: 'a-off', active: false })).id;
  tick(); ids.aliceRevoked = (await createToken(h, { cookie: alice.cookie }, { name: 'a-revoked' })).id;
  await h.req({ method: 'DELETE', url: `/api/v1/tokens/${ids.aliceRevoked}`, headers: { cookie: alice.cookie } });
  tick(); ids.aliceExpired = (await createToken(h, { cookie: alice.cookie }, { name: 'a-expired', expires_in: 10 })).id;
  tick(); ids.service = (await createToken(h, admin, { name: 'svc', kind: 'service' })).id;
  tick(); ids.adminOwn = (await createToken(h, admin, { name: 'admin-own' })).id;
  h.clock.advance(11_000);
});
after(async () => { await h.close(); });

const list = async (query: string, headers = admin): Promise<{ id: string; status: string; owner: { username: string } | null; kind: string }[]> => {
  const r = await h.req({ method: 'GET', url: `/api/v1/tokens${query}`, headers });
  assert.equal(r.statusCode, 200, r.body);
  return r.json().items;
};
const idsOf = (items: { id: string }[]) => new Set(items.map((t) => t.id));

test('a user sees only their own tokens, newest first, with every status', async () => {
  const items = await list('', { cookie: alice.cookie });
  assert.deepEqual(items.map((t) => t.id), [ids.aliceExpired, ids.aliceRevoked, ids.aliceOff, ids.aliceRead, alice.tokenId]);
  assert.deepEqual(items.map((t) => t.status), ['expired', 'revoked', 'inactive', 'active', 'active']);
  assert.ok(items.every((t) => t.owner?.username === 'alice'));
});

test('status filter', async () => {
  const h2 = { cookie: alice.cookie };
  assert.deepEqual([...idsOf(await list('?status=active', h2))].sort(), [ids.aliceRead!, alice.tokenId].sort());
  assert.deepEqual([...idsOf(await list('?status=inactive', h2))], [ids.aliceOff]);
  assert.deepEqual([...idsOf(await list('?status=revoked', h2))], [ids.aliceRevoked]);
  assert.deepEqual([...idsOf(await list('?status=expired', h2))], [ids.aliceExpired]);
});

test('admins: own tokens by default; owner=<id|username|*> and kind=service widen the view', async () => {
  const own = idsOf(await list(''));
  assert.ok(own.has(ids.adminOwn!) && !own.has(alice.tokenId) && !own.has(ids.service!));
  assert.deepEqual(idsOf(await list(`?owner=${alice.id}&limit=200`)), idsOf(await list('?owner=alice&limit=200')));
  const aliceOnly = await list('?owner=alice&limit=200');
  assert.equal(aliceOnly.length, 5);
  assert.ok(aliceOnly.every((t) => t.owner?.username === 'alice'));
  const all = idsOf(await list('?owner=*&limit=200'));
  for (const id of [ids.adminOwn, ids.service, alice.tokenId, bob.tokenId, ids.aliceRevoked]) assert.ok(all.has(id!), id);
  const services = await list('?kind=service');
  assert.deepEqual(services.map((t) => t.id), [ids.service]);
  assert.equal(services[0]!.owner, null);
  assert.deepEqual([...idsOf(await list('?owner=alice&status=revoked'))], [ids.aliceRevoked]);
  expectError(await h.req({ method: 'GET', url: '/api/v1/tokens?owner=nobody', headers: admin }), 400, 'VALIDATION_ERROR', /owner/);
});

test('non-admins may not list others\' tokens or service tokens', async () => {
  const a = { cookie: alice.cookie };
  expectError(await h.req({ method: 'GET', url: '/api/v1/tokens?owner=bob', headers: a }), 403, 'FORBIDDEN');
  expectError(await h.req({ method: 'GET', url: '/api/v1/tokens?owner=*', headers: a }), 403, 'FORBIDDEN');
  expectError(await h.req({ method: 'GET', url: '/api/v1/tokens?kind=service', headers: a }), 403, 'FORBIDDEN');
  assert.equal((await list('?owner=alice', a)).length, 5);
});

test('cursor pagination visits every token exactly once, also when they share a creation time', async () => {
  const c = await h.createUser('pager');
  const made = new Set<string>([c.tokenId]);
  for (let i = 0; i < 11; i++) {
    made.add((await createToken(h, { cookie: c.cookie }, { name: `p${i}` })).id);
    if (i % 4 === 0) h.clock.advance(1); // some share a millisecond, some do not
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r = await h.req({ method: 'GET', url: `/api/v1/tokens?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: { cookie: c.cookie } });
    assert.equal(r.statusCode, 200);
    const b = r.json() as { items: { id: string }[]; next_cursor: string | null };
    assert.ok(b.items.length <= 5);
    seen.push(...b.items.map((t) => t.id));
    cursor = b.next_cursor;
    pages++;
  } while (cursor !== null);
  assert.equal(pages, 3);
  assert.equal(seen.length, made.size, 'no duplicates');
  assert.deepEqual(new Set(seen), made, 'nothing missing');
});

test('bad list parameters → 400 naming the parameter', async () => {
  const bad = async (q: string, re: RegExp) => expectError(await h.req({ method: 'GET', url: `/api/v1/tokens${q}`, headers: admin }), 400, 'VALIDATION_ERROR', re);
  await bad('?limit=0', /limit/);
  await bad('?limit=201', /limit/);
  await bad('?limit=ten', /limit/);
  await bad('?status=dead', /status/);
  await bad('?kind=robot', /kind/);
  await bad('?colour=red', /colour/);
  expectError(await h.req({ method: 'GET', url: '/api/v1/tokens?cursor=not-a-cursor', headers: admin }), 400, 'INVALID_CURSOR', /cursor/);
});

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileJwtKeys, fileKeysAtomically, jwtSigner } from '../../src/infra/jwt.js';

const fileJwtSigner = (dir: string, clock: TestClock, opts: { issuer: string; maxTtlSeconds: number }) => jwtSigner(fileJwtKeys(dir), clock, opts);
import { TestClock } from '../helpers.js';

const claims = { sub: '1', jti: 'jwt_x', access: 'read', src_type: 'session' as const, src_id: 's' };

test('keys persist in the data directory (0600) and survive a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-jwt-'));
  const clock = new TestClock();
  const a = await fileJwtSigner(dir, clock, { issuer: 'tessera', maxTtlSeconds: 3600 });
  const { jwt } = await a.sign(claims, 60);
  const files = readdirSync(join(dir, 'jwt'));
  assert.equal(files.length, 1);
  assert.equal(statSync(join(dir, 'jwt', files[0]!)).mode & 0o777, 0o600);
  const b = await fileJwtSigner(dir, clock, { issuer: 'tessera', maxTtlSeconds: 3600 });
  assert.equal((await b.verify(jwt))?.sub, '1');
  assert.deepEqual(b.jwks(), a.jwks());
});

test('rotation signs with a new key and keeps the old one published until its tokens have expired', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-jwt-'));
  const clock = new TestClock();
  const s = await fileJwtSigner(dir, clock, { issuer: 'tessera', maxTtlSeconds: 3600 });
  const old = await s.sign(claims, 3600);
  const oldKid = JSON.parse(Buffer.from(old.jwt.split('.')[0]!, 'base64url').toString()).kid;
  const newKid = await s.rotate();
  assert.notEqual(newKid, oldKid);
  const fresh = await s.sign(claims, 60);
  assert.equal(JSON.parse(Buffer.from(fresh.jwt.split('.')[0]!, 'base64url').toString()).kid, newKid);
  assert.deepEqual(s.jwks().keys.map((k) => (k as { kid: string }).kid).sort(), [newKid, oldKid].sort());
  assert.ok(await s.verify(old.jwt), 'a token of the previous key still verifies');
  clock.advance(3601_000);
  await s.rotate();
  assert.ok(!s.jwks().keys.some((k) => (k as { kid: string }).kid === oldKid), 'the old key is gone once its tokens expired');
});

test('wrong issuer, expiry and a foreign key are refused', async () => {
  const clock = new TestClock();
  const a = await fileJwtSigner(mkdtempSync(join(tmpdir(), 'tessera-jwt-')), clock, { issuer: 'tessera', maxTtlSeconds: 3600 });
  const b = await fileJwtSigner(mkdtempSync(join(tmpdir(), 'tessera-jwt-')), clock, { issuer: 'other', maxTtlSeconds: 3600 });
  const { jwt } = await a.sign(claims, 10);
  assert.equal(await b.verify(jwt), null);
  assert.equal(await b.verify((await b.sign(claims, 10)).jwt) !== null, true);
  clock.advance(11_000);
  assert.equal(await a.verify(jwt), null);
});

test('a key rotated by another process just after this one re-read the keys is accepted at once (look-up not held back by the re-read)', async () => {
  // Two workers of one server on the same key files (test/workers/shared-state.ts shows it end to end).
  const dir = mkdtempSync(join(tmpdir(), 'tessera-jwt-'));
  const clock = new TestClock();
  const a = await fileJwtSigner(dir, clock, { issuer: 'tessera', maxTtlSeconds: 3600 });
  const b = await fileJwtSigner(dir, clock, { issuer: 'tessera', maxTtlSeconds: 3600 });
  clock.advance(5_000);
  await b.refresh(); // b's periodic re-read
  clock.advance(300);
  const kid = await a.rotate();
  const { jwt } = await a.sign(claims, 60);
  const [one, two] = await Promise.all([b.verify(jwt), b.verify(jwt)]);
  assert.equal(one?.sub, '1', 'b re-reads the keys for the unknown key id');
  assert.equal(two?.sub, '1', 'a second request meanwhile waits for that look-up');
  assert.ok(b.jwks().keys.some((k) => (k as { kid: string }).kid === kid));
  // Look-ups for unknown key ids stay limited to one a second.
  const c = await fileJwtSigner(mkdtempSync(join(tmpdir(), 'tessera-jwt-')), clock, { issuer: 'tessera', maxTtlSeconds: 3600 });
  const foreign = (await c.sign(claims, 60)).jwt;
  clock.advance(1_000);
  assert.equal(await b.verify(foreign), null);
  const kid2 = await a.rotate();
  const second = (await a.sign(claims, 60)).jwt;
  assert.equal(await b.verify(second), null, 'within a second of the last look-up: not looked up again');
  clock.advance(1_000);
  assert.equal((await b.verify(second))?.sub, '1');
  assert.ok(b.jwks().keys.some((k) => (k as { kid: string }).kid === kid2));
});

/**
 * Two workers sharing the key files, each rotating inside a transaction of the one database (here a lock that lets one
 * transaction run at a time, as SQLite's write lock does): a rotation whose audit row fails undoes only its own write,
 * while it still holds the lock — never a rotation another worker committed (a stale copy of the files once put back
 * a key rotated away, and left it signing).
 */
test('a failed rotation puts back only what it wrote, never another worker\'s committed rotation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-jwt-'));
  const clock = new TestClock();
  const kidOf = (jwt: string): string => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid;
  let held: Promise<void> = Promise.resolve();
  const transaction = <T>(fn: (s: null) => Promise<T>): Promise<T> => {
    const run = held.then(() => fn(null));
    held = run.then(() => undefined, () => undefined);
    return run;
  };
  const atomically = fileKeysAtomically(fileJwtKeys(dir), transaction);
  const a = await jwtSigner(fileJwtKeys(dir), clock, { issuer: 'tessera', maxTtlSeconds: 3600 });
  const b = await jwtSigner(fileJwtKeys(dir), clock, { issuer: 'tessera', maxTtlSeconds: 3600 });
  const k1 = kidOf((await a.sign(claims, 60)).jwt);
  for (const [when, bFirst] of [['after its write', false], ['after its write', true], ['before its write', false]] as const) {
    let bKid = '';
    let committedFirst: () => void = () => undefined;
    const bDone = new Promise<void>((r) => { committedFirst = r; });
    // A's transaction waits for B's commit (bFirst) — A's files then hold B's key, which A retires and must give back.
    const refused = a.rotate(async (write) => {
      if (bFirst) await bDone;
      return atomically(async (keys) => {
        if (when === 'after its write') await write(keys);
        throw new Error('audit refused');
      });
    });
    const committed = b.rotate((write) => atomically(async (keys) => { await write(keys); })).then((k) => { bKid = k; committedFirst(); });
    await assert.rejects(refused, /audit refused/);
    await committed;
    const fresh = await jwtSigner(fileJwtKeys(dir), clock, { issuer: 'tessera', maxTtlSeconds: 3600 });
    assert.equal(kidOf((await fresh.sign(claims, 60)).jwt), bKid, `${when}${bFirst ? ', B first' : ''}: the committed rotation's key signs`);
    const stored = await fileJwtKeys(dir).list();
    assert.equal(stored.filter((k) => k.retiredAt === null).length, 1, `${when}: one active key`);
    assert.ok(stored.find((k) => k.kid === k1)?.retiredAt !== null, `${when}: the first key stays retired`);
    fresh.close();
  }
  a.close(); b.close();
});

test('a rotation whose COMMIT fails after its work leaves the key files as they were', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-jwt-'));
  const clock = new TestClock();
  const kidOf = (jwt: string): string => JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid;
  // The work runs, then the COMMIT statement fails (as SQLite's does on a full disk): the database rolled it back.
  const commitFails = async <T>(fn: (s: null) => Promise<T>): Promise<T> => { await fn(null); throw new Error('SQLITE_FULL: database or disk is full'); };
  const atomically = fileKeysAtomically(fileJwtKeys(dir), commitFails);
  const signer = await jwtSigner(fileJwtKeys(dir), clock, { issuer: 'tessera', maxTtlSeconds: 3600 });
  const before = await fileJwtKeys(dir).list();
  const k1 = kidOf((await signer.sign(claims, 60)).jwt);
  await assert.rejects(signer.rotate((write) => atomically(async (keys) => { await write(keys); })), /SQLITE_FULL/);
  assert.deepEqual(await fileJwtKeys(dir).list(), before, 'the same key files, the first key active');
  assert.equal(kidOf((await signer.sign(claims, 60)).jwt), k1, 'the first key signs');
  signer.close();
});

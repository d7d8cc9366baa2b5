/**
 * The store conformance suite: every Store implementation runs exactly these tests (Lucia's testAdapter idea).
 * A store-specific test file only says how to open an empty store.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { NewToken, Store } from '../../src/core/ports.js';
import { OwnerGone, UniqueViolation } from '../../src/core/ports.js';

export interface StoreFactory {
  /** Opens a fresh, empty, migrated store. */
  open(): Promise<Store>;
  /** Removes what open() made (after close). */
  cleanup?(): Promise<void>;
}

let seq = 0;
const hashOf = (n: number | string): string => createHash('sha256').update(`conformance-${n}`).digest('hex');
const T0 = 1_700_000_000_000;
const newToken = (over: Partial<NewToken> = {}): NewToken => {
  seq++;
  return {
    id: `tok_conf${String(seq).padStart(8, '0')}`, hash: hashOf(seq), kind: 'personal', ownerId: null, name: null,
    comment: '', access: 'write', prefix: 'tsr_abcdef', metadata: null, active: true, recoverable: false, secretEnc: null,
    expiresAt: null, createdAt: T0 + seq, ...over,
  };
};

export const storeConformance = (name: string, factory: StoreFactory): void => {
  describe(`store conformance: ${name}`, () => {
    let s: Store;
    before(async () => { s = await factory.open(); });
    after(async () => { await s.close(); await factory.cleanup?.(); });

    const user = async (username: string, role: 'admin' | 'user' = 'user') =>
      s.createUser({ username, email: `${username}@example.test`, passwordHash: 'x', role, groups: ['ops'], disabled: false, createdAt: T0 });

    test('ping answers', async () => { await s.ping(); });

    test('users: create, case-insensitive unique name and login by username or email', async () => {
      const u = await user('Alice');
      assert.equal(u.username, 'Alice');
      assert.deepEqual(u.groups, ['ops']);
      await assert.rejects(user('alice'), (e) => e instanceof UniqueViolation && e.field === 'username');
      assert.equal((await s.getUserByLogin('ALICE'))?.id, u.id);
      assert.equal((await s.getUserByLogin('alice@EXAMPLE.test'))?.id, u.id);
      assert.equal((await s.getUser(u.id))?.passwordHash, 'x');
      assert.equal(await s.getUserByLogin('nobody'), null);
    });

    test('users: update, list pages and count', async () => {
      const u = await user('bob');
      const upd = await s.updateUser(u.id, { disabled: true, role: 'admin', groups: ['a', 'b'], updatedAt: T0 + 5 });
      assert.equal(upd?.disabled, true);
      assert.equal(upd?.role, 'admin');
      assert.deepEqual(upd?.groups, ['a', 'b']);
      assert.equal(await s.updateUser(999_999, { updatedAt: T0 }), null);
      const n = await s.countUsers();
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const p = await s.listUsers(1, cursor);
        seen.push(...p.items.map((x) => x.id));
        cursor = p.nextCursor ?? undefined;
      } while (cursor);
      assert.equal(seen.length, n);
      assert.equal(new Set(seen).size, n);
    });

    test('tokens: create stores the token and its secret; lookup by hash returns token and owner', async () => {
      const u = await user('carol');
      const t = await s.createToken(newToken({ ownerId: u.id, name: 'ci', metadata: { env: 'prod' } }));
      assert.equal(t.name, 'ci');
      assert.deepEqual(t.metadata, { env: 'prod' });
      assert.equal(t.useCount, 0);
      const found = await s.findBySecretHash(hashOf(seq));
      assert.equal(found?.token.id, t.id);
      assert.equal(found?.owner?.username, 'carol');
      assert.equal(found?.secretExpiresAt, null);
      assert.equal(await s.findBySecretHash('0'.repeat(64)), null);
      // What finds a token by its value never carries the encrypted copy of a recoverable one, nor stale uses.
      const rec = await s.createToken(newToken({ ownerId: u.id, name: 'kept', recoverable: true, secretEnc: 'v1.iv.ciphertext.tag' }));
      assert.equal((await s.getToken(rec.id))?.secretEnc, 'v1.iv.ciphertext.tag');
      await s.recordUsage([{ tokenId: rec.id, uses: 3, lastUsedAt: T0 + 9 }]);
      const byValue = await s.findBySecretHash(hashOf(seq));
      assert.equal(byValue?.token.id, rec.id);
      assert.equal('secretEnc' in byValue!.token, false);
      assert.deepEqual([byValue?.token.useCount, byValue?.token.lastUsedAt, byValue?.token.recoverable], [0, null, true]);
      // The optional in-memory answer may say "maybe" for anything, but never "no" for a stored secret.
      assert.notEqual(s.mayHaveSecret?.(hashOf(seq)), false);
    });

    test('tokens: a name is unique among the live tokens of one owner, and freed by revocation', async () => {
      const u = await user('dave');
      const first = await s.createToken(newToken({ ownerId: u.id, name: 'deploy' }));
      await assert.rejects(s.createToken(newToken({ ownerId: u.id, name: 'deploy' })), (e) => e instanceof UniqueViolation);
      const other = await user('erin');
      await s.createToken(newToken({ ownerId: other.id, name: 'deploy' }));
      await s.createToken(newToken({ kind: 'service', name: 'deploy' }));
      await assert.rejects(s.createToken(newToken({ kind: 'service', name: 'deploy' })), (e) => e instanceof UniqueViolation);
      assert.equal(await s.revokeToken(first.id, T0 + 100), true);
      await s.createToken(newToken({ ownerId: u.id, name: 'deploy' }));
      // A failed create writes nothing: its secret is not findable.
      const dup = newToken({ ownerId: u.id, name: 'deploy' });
      await assert.rejects(s.createToken(dup));
      assert.equal(await s.findBySecretHash(dup.hash), null);
    });

    test('tokens: insertTokens writes every row and secret in one transaction; a unique violation writes none', async () => {
      const u = await user('bulk');
      const many = Array.from({ length: 2500 }, (_, i) => newToken({ ownerId: u.id, name: i % 2 === 0 ? `bulk-${i}` : null,
        binding: i === 3 ? { command: 'echo', args: ['a b'], channel: 'ops' } : undefined, kind: i === 3 ? 'bound' : 'personal', remaining: i === 4 ? 7 : undefined }));
      await s.insertTokens(many);
      for (const t of [many[0]!, many[3]!, many[4]!, many[2499]!]) {
        const found = await s.findBySecretHash(t.hash);
        assert.equal(found?.token.id, t.id);
        assert.equal(found?.owner?.id, u.id);
      }
      assert.deepEqual((await s.getToken(many[3]!.id))?.binding, { command: 'echo', args: ['a b'], channel: 'ops' });
      assert.equal((await s.getToken(many[4]!.id))?.remaining, 7);
      assert.equal(await s.countLiveTokens(u.id, T0), 2500);
      const known = await s.existingSecrets([many[10]!.hash, hashOf('never-stored'), many[2000]!.hash]);
      assert.deepEqual([...known].sort(), [many[10]!.hash, many[2000]!.hash].sort());
      // A name taken by a stored live token (or a stored hash): the whole batch is refused, nothing of it written.
      const fresh = newToken({ ownerId: u.id, name: 'bulk-fresh' });
      await assert.rejects(s.insertTokens([fresh, newToken({ ownerId: u.id, name: 'bulk-0' })]), (e) => e instanceof UniqueViolation);
      await assert.rejects(s.insertTokens([newToken({ ownerId: u.id }), { ...newToken({ ownerId: u.id }), hash: many[1]!.hash }]), (e) => e instanceof UniqueViolation);
      assert.equal(await s.findBySecretHash(fresh.hash), null);
      assert.equal(await s.countLiveTokens(u.id, T0), 2500);
      await s.insertTokens([]);
      // Expired tokens are not live: an expiry at `now` or before is not counted, one after it is.
      await s.insertTokens([newToken({ ownerId: u.id, expiresAt: T0 - 1 }), newToken({ ownerId: u.id, expiresAt: T0 }), newToken({ ownerId: u.id, expiresAt: T0 + 1 })]);
      assert.equal(await s.countLiveTokens(u.id, T0), 2501);
      assert.equal(await s.countLiveTokens(u.id, T0 - 2), 2503);
    });

    test('tokens: under concurrent revocations exactly one caller revokes', async () => {
      const t = await s.createToken(newToken());
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.revokeToken(t.id, T0 + 200 + i)));
      assert.equal(results.filter(Boolean).length, 1);
      assert.notEqual((await s.getToken(t.id))?.revokedAt, null);
    });

    test('tokens: list filters by owner, kind and status, newest first, with a cursor', async () => {
      const u = await user('frank');
      const now = T0 + 10_000;
      const active = await s.createToken(newToken({ ownerId: u.id, createdAt: T0 + 1000 }));
      const inactive = await s.createToken(newToken({ ownerId: u.id, active: false, createdAt: T0 + 1001 }));
      const expired = await s.createToken(newToken({ ownerId: u.id, expiresAt: now - 1, createdAt: T0 + 1002 }));
      const revoked = await s.createToken(newToken({ ownerId: u.id, createdAt: T0 + 1003 }));
      await s.revokeToken(revoked.id, now);
      const ids = async (status?: 'active' | 'inactive' | 'expired' | 'revoked') =>
        (await s.listTokens({ ownerId: u.id, status, now, limit: 50 })).items.map((t) => t.id);
      assert.deepEqual(await ids(), [revoked.id, expired.id, inactive.id, active.id]);
      assert.deepEqual(await ids('active'), [active.id]);
      assert.deepEqual(await ids('inactive'), [inactive.id]);
      assert.deepEqual(await ids('expired'), [expired.id]);
      assert.deepEqual(await ids('revoked'), [revoked.id]);
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const p = await s.listTokens({ ownerId: u.id, now, limit: 3, cursor });
        paged.push(...p.items.map((t) => t.id));
        cursor = p.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(paged, await ids());
      const service = await s.listTokens({ kind: 'service', now, limit: 50 });
      assert.ok(service.items.every((t) => t.kind === 'service' && t.ownerId === null));
    });

    test('tokens: update changes only the given fields', async () => {
      const t = await s.createToken(newToken({ comment: 'keep', name: 'upd' }));
      const u = await s.updateToken(t.id, { active: false, expiresAt: T0 + 5000, metadata: null, updatedAt: T0 + 9 });
      assert.equal(u?.active, false);
      assert.equal(u?.comment, 'keep');
      assert.equal(u?.name, 'upd');
      assert.equal(u?.expiresAt, T0 + 5000);
      assert.equal(await s.updateToken('tok_missing', { updatedAt: T0 }), null);
    });

    test('tokens: rotation adds a current secret and ends the old ones at the grace time', async () => {
      const t = await s.createToken(newToken());
      const oldHash = hashOf(seq);
      const r = await s.rotateSecret(t.id, hashOf('n1'), 'enc', 'tsr_newpre', T0 + 50, T0 + 5050);
      assert.equal(r?.prefix, 'tsr_newpre');
      assert.equal(r?.secretEnc, 'enc');
      assert.equal((await s.findBySecretHash(oldHash))?.secretExpiresAt, T0 + 5050);
      assert.equal((await s.findBySecretHash(hashOf('n1')))?.secretExpiresAt, null);
      assert.notEqual(s.mayHaveSecret?.(hashOf('n1')), false, 'a rotated-in secret is never ruled out');
      await s.rotateSecret(t.id, hashOf('n2'), null, 'tsr_third1', T0 + 60, T0 + 60);
      assert.equal((await s.findBySecretHash(oldHash))?.secretExpiresAt, T0 + 60, 'an older secret never outlives a newer grace');
      assert.equal((await s.findBySecretHash(hashOf('n1')))?.secretExpiresAt, T0 + 60);
      assert.equal(await s.rotateSecret('tok_missing', hashOf('n3'), null, 'p', T0, T0), null);
    });

    test('tokens: purge removes the token and its secrets', async () => {
      const t = await s.createToken(newToken());
      const h = hashOf(seq);
      assert.equal(await s.purgeToken(t.id), true);
      assert.equal(await s.getToken(t.id), null);
      assert.equal(await s.findBySecretHash(h), null);
      assert.equal(await s.purgeToken(t.id), false);
    });

    test('usage: counts add up and last_used_at only moves forward', async () => {
      const t = await s.createToken(newToken());
      await s.recordUsage([{ tokenId: t.id, uses: 3, lastUsedAt: T0 + 500 }]);
      await s.recordUsage([{ tokenId: t.id, uses: 2, lastUsedAt: T0 + 400 }, { tokenId: 'tok_missing', uses: 1, lastUsedAt: T0 }]);
      const r = await s.getToken(t.id);
      assert.equal(r?.useCount, 5);
      assert.equal(r?.lastUsedAt, T0 + 500);
    });

    test('usage: every read of a token shows its uses — by id, listed, after an update and a rotation; not the verification lookup', async () => {
      const t = await s.createToken(newToken({ name: 'used' }));
      const h = hashOf(seq);
      await s.recordUsage([{ tokenId: t.id, uses: 4, lastUsedAt: T0 + 700 }]);
      const got = await s.getToken(t.id);
      assert.deepEqual([got?.useCount, got?.lastUsedAt], [4, T0 + 700]);
      const listed = (await s.listTokens({ name: 'used', now: T0, limit: 10 })).items.find((x) => x.id === t.id);
      assert.deepEqual([listed?.useCount, listed?.lastUsedAt], [4, T0 + 700]);
      const updated = await s.updateToken(t.id, { updatedAt: T0 + 800, comment: 'changed' });
      assert.deepEqual([updated?.useCount, updated?.lastUsedAt, updated?.comment], [4, T0 + 700, 'changed']);
      const rotated = await s.rotateSecret(t.id, hashOf(`${seq}-rotated`), null, 'tsr_rotate', T0 + 900, T0 + 900);
      assert.deepEqual([rotated?.useCount, rotated?.lastUsedAt], [4, T0 + 700]);
      // The verification lookup reads the token without its uses (SecretLookup in ports.ts).
      const found = await s.findBySecretHash(h);
      assert.equal(found?.token.id, t.id);
      assert.deepEqual([found?.token.useCount, found?.token.lastUsedAt], [0, null]);
    });

    test('usage: a purged token leaves no uses behind, and its late uses are not written', async () => {
      const t = await s.createToken(newToken());
      await s.recordUsage([{ tokenId: t.id, uses: 2, lastUsedAt: T0 + 100 }]);
      assert.equal(await s.purgeToken(t.id), true);
      // A flush that was under way when the token was purged.
      await s.recordUsage([{ tokenId: t.id, uses: 1, lastUsedAt: T0 + 200, addresses: [{ ip: '192.0.2.7', at: T0 + 200 }] }]);
      // A new token with the same id (ids are random; the test forces it) starts from nothing.
      const again = await s.createToken({ ...newToken(), id: t.id });
      assert.deepEqual([again.useCount, again.lastUsedAt], [0, null]);
      assert.deepEqual([(await s.getToken(t.id))?.useCount, (await s.getToken(t.id))?.lastUsedAt], [0, null]);
      assert.deepEqual(await s.listTokenAddresses(t.id), []);
    });

    test('usage: a flush of 1,200 tokens counts every one', async () => {
      const ts = [];
      for (let i = 0; i < 1200; i++) ts.push(await s.createToken(newToken()));
      await s.recordUsage(ts.map((t, i) => ({ tokenId: t.id, uses: 1 + (i % 3), lastUsedAt: T0 + i })));
      for (const i of [0, 499, 500, 999, 1000, 1199]) {
        const r = await s.getToken(ts[i]!.id);
        assert.equal(r?.useCount, 1 + (i % 3), `token ${i}`);
        assert.equal(r?.lastUsedAt, T0 + i, `token ${i}`);
      }
    });

    test('users: deleting a user removes their sessions and tokens', async () => {
      const u = await user('gina');
      const t = await s.createToken(newToken({ ownerId: u.id }));
      await s.createSession({ id: 's-gina', userId: u.id, createdAt: T0, expiresAt: T0 + 1000, ip: null, userAgent: null });
      assert.equal(await s.deleteUser(u.id), true);
      assert.equal(await s.getToken(t.id), null);
      assert.equal(await s.getSession('s-gina'), null);
      assert.equal(await s.deleteUser(u.id), false);
    });

    test('users: deleteUserIfUnused keeps a user with a token or a session, deletes one with neither', async () => {
      const withToken = await user('ivy');
      await s.createToken(newToken({ ownerId: withToken.id }));
      const withSession = await user('jack');
      await s.createSession({ id: 's-jack', userId: withSession.id, createdAt: T0, expiresAt: T0 + 1000, ip: null, userAgent: null });
      const unused = await user('kate');
      assert.equal(await s.deleteUserIfUnused(withToken.id), false);
      assert.equal(await s.deleteUserIfUnused(withSession.id), false);
      assert.equal(await s.deleteUserIfUnused(unused.id), true);
      assert.equal(await s.getUser(unused.id), null);
      assert.ok(await s.getUser(withToken.id));
      assert.equal(await s.deleteUserIfUnused(unused.id), false, 'gone already');
      assert.equal(await s.deleteUserIfUnused(2 ** 40), false, 'beyond any id');
    });

    test('tokens: one written for a user deleted meanwhile is OwnerGone, and nothing is written', async () => {
      const u = await user('leo');
      assert.equal(await s.deleteUser(u.id), true);
      const one = newToken({ ownerId: u.id });
      await assert.rejects(s.createToken(one), OwnerGone);
      await assert.rejects(s.insertTokens([newToken(), newToken({ ownerId: u.id })]), OwnerGone);
      await assert.rejects(s.atomically(async (b) => { await b.lockUser(u.id); await b.insertTokens([newToken({ ownerId: u.id })]); }), OwnerGone);
      assert.equal(await s.findBySecretHash(one.hash), null);
    });

    test('sessions: create, read, delete, delete per user, sweep expired', async () => {
      const u = await user('hank');
      await s.createSession({ id: 's1', userId: u.id, createdAt: T0, expiresAt: T0 + 10, ip: '10.0.0.1', userAgent: 'ua' });
      await s.createSession({ id: 's2', userId: u.id, createdAt: T0, expiresAt: T0 + 1_000_000, ip: null, userAgent: null });
      await s.createSession({ id: 's3', userId: u.id, createdAt: T0, expiresAt: T0 + 1_000_000, ip: null, userAgent: null });
      assert.equal((await s.getSession('s1'))?.ip, '10.0.0.1');
      assert.ok((await s.deleteExpiredSessions(T0 + 100)) >= 1);
      assert.equal(await s.getSession('s1'), null);
      await s.deleteSession('s2');
      assert.equal(await s.getSession('s2'), null);
      await s.deleteUserSessions(u.id);
      assert.equal(await s.getSession('s3'), null);
    });

    test('audit: append, filter by action prefix, actor and target, newest first with a cursor', async () => {
      for (let i = 0; i < 5; i++) {
        await s.appendAudit({ at: T0 + i, actorType: 'user', actorId: '1', actorName: 'admin', action: i % 2 ? 'token.revoke' : 'user.update',
          targetType: 'token', targetId: `t${i}`, ip: '127.0.0.1', requestId: `r${i}`, details: { i } });
      }
      const all = await s.listAudit({ limit: 100 });
      assert.ok(all.items.length >= 5);
      assert.ok(all.items[0]!.id > all.items[1]!.id);
      assert.deepEqual((await s.listAudit({ action: 'token.', limit: 100 })).items.map((e) => e.targetId).sort(), ['t1', 't3']);
      assert.equal((await s.listAudit({ targetId: 't4', limit: 10 })).items[0]?.details?.i, 4);
      const p1 = await s.listAudit({ limit: 2 });
      const p2 = await s.listAudit({ limit: 2, cursor: p1.nextCursor! });
      assert.ok(p2.items[0]!.id < p1.items[1]!.id);
    });

    test('audit: pruneAudit deletes the oldest rows before the cutoff, in bounded batches, and nothing newer', async () => {
      const at = T0 - 10_000_000;
      for (let i = 0; i < 5; i++) {
        await s.appendAudit({ at: at + i, actorType: 'system', actorId: null, actorName: null, action: 'prune.old', targetType: null, targetId: `p${i}`, ip: null, requestId: null, details: null });
      }
      await s.appendAudit({ at: at + 1000, actorType: 'system', actorId: null, actorName: null, action: 'prune.new', targetType: null, targetId: 'keep', ip: null, requestId: null, details: null });
      assert.equal(await s.pruneAudit(at + 5, 3), 3);
      assert.deepEqual((await s.listAudit({ action: 'prune.', limit: 10 })).items.map((e) => e.targetId), ['keep', 'p4', 'p3']);
      assert.equal(await s.pruneAudit(at + 5, 100), 2);
      assert.equal(await s.pruneAudit(at + 5, 100), 0);
      assert.deepEqual((await s.listAudit({ action: 'prune.', limit: 10 })).items.map((e) => e.targetId), ['keep']);
    });

    const auditRow = (targetId: string) => ({ at: T0, actorType: 'system' as const, actorId: null, actorName: null, action: 'atomic.test', targetType: 'token', targetId, ip: null, requestId: null, details: null });

    test('atomically: every write through the bound store is committed together, with a chained audit row', async () => {
      const t = newToken();
      const id = await s.atomically(async (tx) => {
        await tx.createToken(t);
        assert.equal((await tx.getToken(t.id))?.id, t.id, 'the transaction sees its own writes');
        await tx.revokeToken(t.id, T0 + 1);
        return tx.appendAudit(auditRow(t.id), () => 'h-committed');
      });
      assert.equal((await s.getToken(t.id))?.revokedAt, T0 + 1);
      assert.equal((await s.listAudit({ targetId: t.id, limit: 10 })).items[0]?.id, id);
      assert.equal(await s.auditHead(), 'h-committed');
    });

    test('atomically: a failure rolls back every write, the audit row and its chain head included', async () => {
      const kept = newToken();
      await s.createToken(kept);
      const head = await s.auditHead();
      const t = newToken();
      const bulk = [newToken(), newToken()];
      await assert.rejects(s.atomically(async (tx) => {
        await tx.createToken(t);
        await tx.revokeToken(kept.id, T0 + 2);
        await tx.insertTokens(bulk);
        assert.equal((await tx.getToken(bulk[1]!.id))?.id, bulk[1]!.id, 'the bulk insert is in the transaction');
        await tx.appendAudit(auditRow(t.id), () => 'h-rolled-back');
        throw new Error('the audit sink refused');
      }), /refused/);
      assert.equal(await s.getToken(t.id), null, 'the new token is not there');
      for (const b of bulk) assert.equal(await s.getToken(b.id), null, 'the bulk-inserted tokens are not there');
      assert.equal((await s.getToken(kept.id))?.revokedAt, null, 'the revocation was undone');
      assert.equal(await s.findBySecretHash(t.hash), null);
      assert.equal((await s.listAudit({ targetId: t.id, limit: 10 })).items.length, 0, 'no audit row');
      assert.equal(await s.auditHead(), head, 'the chain head is as it was');
    });

    test('atomically: a unique violation inside fails the whole transaction and leaves the store usable', async () => {
      const a = newToken({ name: 'atomic-dup' });
      await s.createToken(a);
      const b = newToken();
      await assert.rejects(s.atomically(async (tx) => {
        await tx.createToken(b);
        await tx.createToken(newToken({ name: 'atomic-dup' }));
      }), (e) => e instanceof UniqueViolation);
      assert.equal(await s.getToken(b.id), null);
      const c = newToken();
      await s.createToken(c);
      assert.equal((await s.getToken(c.id))?.id, c.id);
    });
  });
};

/**
 * The usage flush (src/core/tokens/usage.ts) against a real SQLite store: a large flush is written in chunks with a
 * turn of the event loop between them (requests are served while it runs), every use lands exactly once, and a chunk
 * that fails goes back to the pending uses with the chunks after it — none lost, none counted twice.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { UsageRecorder } from '../../src/core/tokens/usage.js';
import type { UsageDelta } from '../../src/core/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { SqlStore } from '../../src/store/sql-store.js';

const T0 = 1_700_000_000_000;
const dir = mkdtempSync(join(tmpdir(), 'tessera-usage-flush-'));
let s: SqlStore;
const ids: string[] = [];
before(async () => {
  s = await openSqliteStore(join(dir, 'tessera.db'));
  for (let i = 0; i < 1234; i++) {
    const id = `tok_flush${String(i).padStart(6, '0')}`;
    ids.push(id);
    await s.createToken({
      id, hash: createHash('sha256').update(id).digest('hex'), kind: 'service', ownerId: null, name: id, comment: '',
      access: 'read', prefix: 'tsr_abcdef', metadata: null, active: true, recoverable: false, secretEnc: null, expiresAt: null, createdAt: T0,
    });
  }
});
after(async () => { await s.close(); rmSync(dir, { recursive: true, force: true }); });

const clock = { now: () => T0 + 1000 };

/** The real store, with its recordUsage calls seen (and, when `fail` says so, one of them refused). */
const watched = (fail: (call: number) => boolean = () => false): { store: SqlStore; calls: UsageDelta[][] } => {
  const calls: UsageDelta[][] = [];
  const store = Object.create(s) as SqlStore;
  store.recordUsage = async (deltas: UsageDelta[]): Promise<void> => {
    calls.push(deltas);
    if (fail(calls.length)) throw new Error('store unavailable');
    return s.recordUsage(deltas);
  };
  return { store, calls };
};

/** Each token's use count as the store reads it back. */
const counts = async (): Promise<Map<string, number>> => {
  const page = await s.listTokens({ limit: 5000, now: T0 });
  return new Map(page.items.filter((t) => t.id.startsWith('tok_flush')).map((t) => [t.id, t.useCount]));
};

/** No uses recorded (they live in `token_usage` since migration 015). */
const reset = async (): Promise<void> => {
  await s.db.deleteFrom('token_usage').execute();
};

test('a flush of 1,234 tokens is written 500 a transaction, each token once, with the event loop turning between chunks', async () => {
  await reset();
  const { store, calls } = watched();
  const u = new UsageRecorder(store, clock, 500);
  for (const id of [...ids].reverse()) u.hit(id, T0 + 5);
  // Scheduled before the flush starts: runs at the first turn, after the first chunk and before the second.
  let seenAtTurn = -1;
  setImmediate(() => { seenAtTurn = calls.length; });
  await u.flush();
  assert.deepEqual(calls.map((c) => c.length), [500, 500, 234]);
  assert.equal(seenAtTurn, 1, 'a request would have been served between the first chunk and the second');
  assert.deepEqual(calls.flat().map((d) => d.tokenId).sort(), [...ids].sort());
  const c = await counts();
  assert.equal(c.size, 1234);
  for (const [id, n] of c) assert.equal(n, 1, id);
});

test('a chunk that fails is put back with the chunks after it; the next flush writes them, nothing counted twice', async () => {
  await reset();
  const { store, calls } = watched((call) => call === 2);
  const u = new UsageRecorder(store, clock, 500);
  for (const id of ids) u.hit(id, T0 + 5);
  await assert.rejects(u.flush(), /store unavailable/);
  assert.equal(calls.length, 2, 'the chunks after a failed one wait for the next flush');
  let c = await counts();
  assert.equal([...c.values()].filter((n) => n === 1).length, 500, 'the first chunk committed');
  // Uses counted meanwhile merge with the returned ones.
  u.hit(ids[600]!, T0 + 9);
  u.hit(ids[0]!, T0 + 9);
  assert.equal(u.peek(ids[600]!)?.uses, 2);
  await u.flush();
  c = await counts();
  for (const [i, id] of ids.entries()) assert.equal(c.get(id), i === 600 || i === 0 ? 2 : 1, id);
  const last = await s.getToken(ids[600]!);
  assert.equal(last?.lastUsedAt, T0 + 9);
});

test('flushes called together write one after the other, and every use once', async () => {
  await reset();
  const { store, calls } = watched();
  const u = new UsageRecorder(store, clock, 100);
  for (const id of ids.slice(0, 300)) u.hit(id, T0 + 5);
  const first = u.flush();
  // A use arriving while the first flush is writing, then a second flush (the shutdown's, say).
  u.hit(ids[0]!, T0 + 7);
  const second = u.flush();
  await Promise.all([first, second]);
  assert.deepEqual(calls.map((c) => c.length), [100, 100, 100, 1]);
  const c = await counts();
  assert.equal(c.get(ids[0]!), 2);
  assert.equal(c.get(ids[299]!), 1);
  assert.equal(c.get(ids[300]!), 0);
});

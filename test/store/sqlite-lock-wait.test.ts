/**
 * SQLite's write lock held by another connection (another worker, a `sqlite3` shell): a write waits for it on timers
 * (src/store/sqlite/lock-wait.ts), so the server answers other requests meanwhile and the write goes through once the
 * lock is let go. The other connection lives in this process: had the wait been synchronous (SQLite's `busy_timeout`),
 * the timer that lets the lock go could not fire before the write gave up.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import type { SqlStore } from '../../src/store/sql-store.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { type Harness, startHarness } from '../helpers.js';

let h: Harness;
let admin: Record<string, string>;
before(async () => { h = await startHarness({ database_url: undefined }); admin = { cookie: h.adminCookie }; });
after(async () => { await h.close(); });

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));
const create = (name: string) => h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name } });
const verifyCode = async (token: string): Promise<string> =>
  (await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: { token } })).json().code;

/** Holds the write lock from a second connection until `ms` have passed; resolves once it is let go. */
const holdLock = (ms: number): { released: Promise<number>; db: Database.Database } => {
  const db = new Database(join(h.dir, 'tessera.db'));
  db.prepare('begin immediate').run();
  const released = new Promise<number>((done) => setTimeout(() => { db.prepare('rollback').run(); db.close(); done(performance.now()); }, ms));
  return { released, db };
};

test('a creation waits for another connection\'s write lock and succeeds once it is let go; verifications answer meanwhile', { timeout: 20_000 }, async () => {
  const cached = (await create('cached')).json().token as string;
  const cold = (await create('cold')).json().token as string;
  assert.equal(await verifyCode(cached), 'VALID');
  const lock = holdLock(600);
  const t0 = performance.now();
  let createdAt = 0;
  const pending = create('while-locked').then((r) => { createdAt = performance.now(); return r; });
  await pause(100); // the creation is waiting for the lock by now
  assert.equal(await verifyCode(cached), 'VALID', 'a cached token verifies while the write waits');
  assert.equal(await verifyCode(cold), 'VALID', 'a token never verified before is read from the store while the write waits');
  const answeredAt = performance.now();
  assert.equal(createdAt, 0, 'the creation is still waiting');
  assert.ok(answeredAt - t0 < 500, `the verifications answered while the lock was held (${Math.round(answeredAt - t0)} ms)`);
  const r = await pending;
  const releasedAt = await lock.released;
  assert.equal(r.statusCode, 201, r.body);
  assert.ok(createdAt >= releasedAt, 'created after the lock was let go');
  assert.equal(await verifyCode(r.json().token), 'VALID');
});

test('a usage flush (a transaction of the store) waits for the lock too, and writes its counts', { timeout: 20_000 }, async () => {
  const made = (await create('counted')).json();
  const store = h.t.services.store as SqlStore;
  const lock = holdLock(300);
  await store.recordUsage([{ tokenId: made.id, uses: 3, lastUsedAt: Date.now() }]);
  const releasedAt = await lock.released;
  assert.ok(performance.now() >= releasedAt);
  const t = await store.getToken(made.id);
  assert.equal(t?.useCount, 3);
});

test('a lock held past the wait: 503 STORE_UNAVAILABLE after LOCK_WAIT_MS, and the server answered other requests meanwhile', { timeout: 30_000 }, async () => {
  const cached = (await create('cached-2')).json().token as string;
  await verifyCode(cached);
  const lock = holdLock(6_500);
  let answered = 0;
  const pending = create('never');
  const until = performance.now() + 3_000;
  while (performance.now() < until) {
    assert.equal(await verifyCode(cached), 'VALID');
    answered++;
    await pause(50);
  }
  const r = await pending;
  assert.equal(r.statusCode, 503, r.body);
  assert.equal(r.json().error.code, 'STORE_UNAVAILABLE');
  assert.ok(answered >= 20, `verifications answered while the write waited: ${answered}`);
  await lock.released;
  assert.equal((await create('after')).statusCode, 201);
});

test('writes queued behind each other and behind another process taking the lock in turns wait their turn; a lock held elsewhere past the wait is refused', { timeout: 30_000 }, async () => {
  const file = join(h.dir, 'turns.db');
  const store = await openSqliteStore(file, { lockWaitMs: 300 });
  const other = new Database(file);
  other.pragma('busy_timeout = 0'); // it must not stop this process's event loop either
  try {
    await sql`create table scratch (x integer)`.execute(store.db);
    // Another process (another worker) writing in turns with this one: the lock 40 ms taken, then let go until this
    // process has written (a rival that took it back at once could keep it from this one's timers by luck alone).
    let turning = true;
    const written = (): number => (other.prepare('select count(*) as n from scratch').get() as { n: number }).n;
    const turns = (async () => {
      while (turning) {
        try { other.prepare('begin immediate').run(); } catch { await pause(1); continue; }
        await pause(40);
        other.prepare('commit').run();
        const before = written();
        while (turning && written() === before) await pause(1);
      }
    })();
    // 40 transactions of this process at once, each holding the lock 30 ms: the last waits far longer than 300 ms,
    // in a queue that moves.
    const writes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => store.transaction(async (s) => {
      await sql`insert into scratch values (${i})`.execute(s.db);
      await pause(30);
    })));
    turning = false;
    await turns;
    assert.deepEqual(writes.filter((w) => w.status === 'rejected').map((w) => String((w as PromiseRejectedResult).reason)), []);
    const n = await sql<{ n: number }>`select count(*) as n from scratch`.execute(store.db);
    assert.equal(Number(n.rows[0]!.n), 40);
    // Held elsewhere, with nothing of this process moving: refused once 300 ms have passed, not before.
    other.prepare('begin immediate').run();
    const t0 = performance.now();
    await assert.rejects(store.transaction(async (s) => { await sql`insert into scratch values (99)`.execute(s.db); }), (e: unknown) => (e as { code?: string }).code === 'STORE_UNAVAILABLE');
    const waited = performance.now() - t0;
    other.prepare('rollback').run();
    assert.ok(waited >= 280 && waited < 2_000, `refused after ${Math.round(waited)} ms`);
  } finally {
    other.close();
    await store.close();
  }
});

test('a write waiting behind another process counts its wait from the last time this process took the lock, not from its own first try', { timeout: 30_000 }, async () => {
  const file = join(h.dir, 'restart.db');
  const store = await openSqliteStore(file, { lockWaitMs: 600 });
  const other = new Database(file);
  other.pragma('busy_timeout = 0');
  try {
    await sql`create table scratch (x integer)`.execute(store.db);
    other.prepare('begin immediate').run();
    const t0 = performance.now();
    let doneAt = 0;
    const waiting = sql`insert into scratch values (1)`.execute(store.db).then(() => { doneAt = performance.now(); });
    waiting.catch(() => {});
    await pause(300);
    // The other process lets go for a moment and this process takes the lock (a transaction of its own), then the
    // other takes it back. All of it runs in one turn of the event loop: the waiting write's timer cannot run between.
    other.prepare('commit').run();
    await store.transaction(async (s) => { await sql`insert into scratch values (2)`.execute(s.db); });
    const tookAt = performance.now();
    other.prepare('begin immediate').run();
    await pause(400); // 700 ms since the waiting write's first try, 400 since this process last took the lock
    other.prepare('commit').run();
    await waiting;
    assert.ok(doneAt - t0 > 600, `the write waited past its own ${Math.round(doneAt - t0)} ms`);
    assert.ok(doneAt - tookAt < 600, 'and succeeded within the wait counted from this process\'s last turn');
    const n = await sql<{ n: number }>`select count(*) as n from scratch`.execute(store.db);
    assert.equal(Number(n.rows[0]!.n), 2);
  } finally {
    other.close();
    await store.close();
  }
});

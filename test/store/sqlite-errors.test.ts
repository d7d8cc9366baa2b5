/**
 * SQLite failures an operator meets are 503 STORE_UNAVAILABLE in the error envelope, never a 500: the write lock held
 * by another process past the 5 s a write waits for it (a `sqlite3` shell, another program), and a full database (a full disk; here
 * `max_page_count`, which SQLite reports exactly as a full disk: SQLITE_FULL). Nothing is half written, cached tokens
 * keep verifying, and the server recovers by itself once the cause is gone.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import type { SqlStore } from '../../src/store/sql-store.js';
import { type Harness, startHarness } from '../helpers.js';

let h: Harness;
let admin: Record<string, string>;
before(async () => { h = await startHarness({ database_url: undefined }); admin = { cookie: h.adminCookie }; });
after(async () => { await h.close(); });

const create = (name: string) => h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin,
  payload: { name, recoverable: true, metadata: { pad: 'x'.repeat(1500) } } });
const verifyCode = async (token: string): Promise<string> =>
  (await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: { token } })).json().code;
const audited = async (): Promise<number> =>
  (await h.req({ method: 'GET', url: '/api/v1/audit?action=token.create&limit=200', headers: admin })).json().items.length;
const live = async (): Promise<number> =>
  (await h.req({ method: 'GET', url: '/api/v1/tokens?limit=200', headers: admin })).json().items.length;

test('the write lock held by another process past busy_timeout: 503 STORE_UNAVAILABLE, then writes work again', { timeout: 30_000 }, async () => {
  const known = await create('before-the-lock');
  assert.equal(known.statusCode, 201);
  await verifyCode(known.json().token); // seen twice: in the cache
  await verifyCode(known.json().token);
  const other = new Database(join(h.dir, 'tessera.db'));
  try {
    other.prepare('begin immediate').run();
    const r = await create('while-locked');
    assert.equal(r.statusCode, 503, r.body);
    assert.equal(r.json().error.code, 'STORE_UNAVAILABLE');
    assert.ok(r.json().error.request_id);
    assert.equal(await verifyCode(known.json().token), 'VALID', 'a cached token verifies meanwhile');
  } finally {
    other.prepare('rollback').run();
    other.close();
  }
  assert.equal((await create('after-the-lock')).statusCode, 201);
  assert.doesNotMatch(h.logs(), /"unhandled error"[^\n]*SQLITE_BUSY/);
});

test('a full database: 503 STORE_UNAVAILABLE for single and batch creations, nothing half written, then it recovers', { timeout: 60_000 }, async () => {
  const db = (h.t.services.store as SqlStore).db;
  const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0]!.page_count);
  await sql.raw(`pragma max_page_count = ${pages}`).execute(db);
  const [tokensBefore, auditBefore] = [await live(), await audited()];
  let full: { statusCode: number; body: string; json(): any } | null = null;
  let made = 0;
  try {
    for (let i = 0; i < 200 && full === null; i++) {
      const r = await create(`fill-${i}`);
      if (r.statusCode === 201) made++;
      else full = r;
    }
    assert.ok(full, 'the database filled up');
    assert.equal(full.statusCode, 503, full.body);
    assert.equal(full.json().error.code, 'STORE_UNAVAILABLE');
    const batch = await h.req({ method: 'POST', url: '/api/v1/tokens/batch', headers: admin,
      payload: { tokens: Array.from({ length: 50 }, (_, i) => ({ name: `batch-${i}`, metadata: { pad: 'y'.repeat(1500) } })) } });
    assert.equal(batch.statusCode, 503, batch.body);
    assert.equal(batch.json().error.code, 'STORE_UNAVAILABLE');
  } finally {
    await sql.raw('pragma max_page_count = 4294967294').execute(db);
  }
  assert.equal(await live(), tokensBefore + made, 'only the created tokens exist');
  assert.equal(await audited(), auditBefore + made, 'each with its audit row');
  assert.equal((await create('after-the-space')).statusCode, 201);
  const chain = (await h.req({ method: 'GET', url: '/api/v1/audit/verify', headers: admin })).json();
  assert.equal(chain.ok, true, JSON.stringify(chain));
  assert.doesNotMatch(h.logs(), /"unhandled error"[^\n]*SQLITE_FULL/);
  assert.doesNotMatch(h.logs(), /cannot rollback - no transaction is active/);
});

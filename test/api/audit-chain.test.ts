/**
 * The audit log's hash chain and its export (issue 16), on both stores: concurrent appends form one chain, an edited
 * or removed row is found by `GET /api/v1/audit/verify`, and `GET /api/v1/audit/export` streams NDJSON.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, test } from 'node:test';
import type { SqlStore } from '../../src/store/sql-store.js';
import { type Harness, startHarness } from '../helpers.js';
import { expectError } from './support.js';

let h: Harness;
let admin: Record<string, string>;
before(async () => { h = await startHarness(); admin = { cookie: h.adminCookie }; });
after(async () => { await h.close(); });

const verify = async () => (await h.req({ method: 'GET', url: '/api/v1/audit/verify', headers: admin })).json();
const db = () => (h.t.services.store as SqlStore).db;

describe('audit hash chain', () => {
  test('concurrent appends form one intact chain', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => h.adminToken({ name: `chain-${i}` })));
    const r = await verify();
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.ok(r.checked >= 30, `${r.checked} rows checked`);
    assert.equal(r.first_broken, null);
  });

  test('the export streams every event as NDJSON, filtered like the listing', async () => {
    const res = await h.req({ method: 'GET', url: '/api/v1/audit/export?action=token.create', headers: admin });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/x-ndjson/);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as { action: string; id: number });
    assert.ok(lines.length >= 30);
    assert.ok(lines.every((e) => e.action === 'token.create'));
    const listed = (await h.req({ method: 'GET', url: '/api/v1/audit?action=token.create&limit=200', headers: admin })).json().items.map((e: { id: number }) => e.id);
    assert.deepEqual(lines.map((e) => e.id), listed);
    expectError(await h.req({ method: 'GET', url: '/api/v1/audit/export', headers: { authorization: `Bearer ${(await h.createUser('nia')).token}` } }), 403, 'FORBIDDEN');
  });

  test('an edited row, then a removed one, is the first broken link', async () => {
    const rows = await db().selectFrom('audit').select(['id']).where('hash', 'is not', null).orderBy('id').execute();
    const victim = rows[Math.floor(rows.length / 2)]!.id;
    const original = (await db().selectFrom('audit').select('actor_name').where('id', '=', victim).executeTakeFirstOrThrow()).actor_name;
    await db().updateTable('audit').set({ actor_name: 'mallory' }).where('id', '=', victim).execute();
    const edited = await verify();
    assert.deepEqual([edited.ok, edited.first_broken.id], [false, victim]);
    assert.match(edited.first_broken.reason, /edited/);
    // put it back, then delete the row after it: the break moves to the row after the hole
    await sql`update audit set actor_name = ${original} where id = ${victim}`.execute(db());
    assert.equal((await verify()).ok, true);
    const next = rows[rows.findIndex((r) => r.id === victim) + 1]!.id;
    const after = rows[rows.findIndex((r) => r.id === victim) + 2]!.id;
    await db().deleteFrom('audit').where('id', '=', next).execute();
    const removed = await verify();
    assert.deepEqual([removed.ok, removed.first_broken.id], [false, after]);
    assert.match(removed.first_broken.reason, /removed or inserted/);
  });

  /** A log of its own (a harness of its own, `n` token creations in it): `fn` gets its check and its database. */
  const ownLog = async (n: number, fn: (verify: () => Promise<any>, db: SqlStore['db']) => Promise<void>): Promise<void> => {
    const own = await startHarness();
    try {
      const headers = { cookie: own.adminCookie };
      for (let i = 0; i < n; i++) await own.adminToken({ name: `own-${i}` });
      await fn(async () => (await own.req({ method: 'GET', url: '/api/v1/audit/verify', headers })).json(), (own.t.services.store as SqlStore).db);
    } finally { await own.close(); }
  };

  test('the newest rows removed: found by the chain\'s head', async () => {
    await ownLog(3, async (verify2, db2) => {
      assert.equal((await verify2()).ok, true);
      const newest = await db2.selectFrom('audit').select('id').orderBy('id', 'desc').limit(2).execute();
      await db2.deleteFrom('audit').where('id', 'in', newest.map((r) => r.id)).execute();
      const r = await verify2();
      assert.equal(r.ok, false, JSON.stringify(r));
      assert.equal(r.first_broken.id, Math.min(...newest.map((x) => x.id)));
      assert.match(r.first_broken.reason, /newest rows were removed/);
    });
  });

  test('hashes stripped from the oldest rows are found: the first chained row links to a row without one', async () => {
    await ownLog(4, async (verify3, db3) => {
      assert.deepEqual([(await verify3()).ok, (await verify3()).unchained], [true, 0]);
      // The oldest three rows edited, their hashes removed so that they pass for rows from before the chain.
      const oldest = (await db3.selectFrom('audit').select('id').orderBy('id').limit(4).execute()).map((r) => r.id);
      await db3.updateTable('audit').set({ hash: null, prev_hash: null, actor_name: 'mallory' }).where('id', 'in', oldest.slice(0, 3)).execute();
      const r = await verify3();
      assert.equal(r.ok, false, JSON.stringify(r));
      assert.equal(r.first_broken.id, oldest[3]);
      assert.match(r.first_broken.reason, /lost their hashes/);
    });
  });
});

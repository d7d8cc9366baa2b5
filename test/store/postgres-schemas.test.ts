/**
 * Several Tessera schemas in one PostgreSQL database (tenants, or one schema per test): a node starting in its schema
 * must not be disturbed by other schemas being created and dropped at the same moment. Kysely's own introspector read
 * every schema and failed with `schema "…" does not exist` when one vanished under it; ours reads the current one only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { freshSchema, pgAdmin, postgresReachable, postgresUrl, requireServices } from '../services.js';

if (!(await postgresReachable())) {
  if (requireServices()) test('PostgreSQL is reachable (TESSERA_REQUIRE_SERVICES=1)', () => { throw new Error(`cannot connect to ${postgresUrl()}`); });
  else test(`postgres schemas — SKIPPED: PostgreSQL not reachable at ${postgresUrl()} (set TESSERA_REQUIRE_SERVICES=1 to fail instead)`, { skip: true }, () => {});
} else {
  test('migrations succeed while other schemas with tables are created and dropped', async () => {
    let churning = true;
    const churn = (async () => {
      let n = 0;
      while (churning) {
        const s = await freshSchema();
        await pgAdmin(`create table ${s.name}.t (id serial primary key, v text)`);
        await s.drop();
        n++;
      }
      return n;
    })();
    try {
      for (let i = 0; i < 8; i++) {
        const s = await freshSchema();
        try {
          const store = await openPostgresStore(s.url());
          const tables = await pgAdmin<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = $1`, [s.name]);
          assert.ok(tables.some((r) => r.t === 'tokens'), `tokens table in ${s.name}`);
          assert.ok(tables.some((r) => r.t === 'kysely_migration'), `migration table in ${s.name}`);
          await store.close();
          // A second start finds every migration done and changes nothing.
          const again = await openPostgresStore(s.url());
          await again.close();
        } finally {
          await s.drop();
        }
      }
    } finally {
      churning = false;
    }
    assert.ok(await churn > 0, 'other schemas came and went meanwhile');
  });
}

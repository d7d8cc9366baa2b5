/**
 * A database that refuses connections (`ALTER DATABASE … ALLOW_CONNECTIONS false`, found from outside: 500s under
 * load) or no longer exists is "the database cannot be reached": STORE_UNAVAILABLE (503), never a 500; the store works
 * again by itself once connections are allowed. Runs on a database of its own, never the shared `test` database.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SqlStore } from '../../src/store/sql-store.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { pgAdmin, postgresReachable, postgresUrl, requireServices } from '../services.js';

if (!(await postgresReachable())) {
  if (requireServices()) test('PostgreSQL is reachable (TESSERA_REQUIRE_SERVICES=1)', () => { throw new Error(`cannot connect to ${postgresUrl()}`); });
  else test(`refused connections — SKIPPED: PostgreSQL not reachable at ${postgresUrl()} (set TESSERA_REQUIRE_SERVICES=1 to fail instead)`, { skip: true }, () => {});
} else {
  const name = `tessera_refused_${process.pid}`;
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  let store: SqlStore;
  const terminate = () => pgAdmin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [name]);
  const codeOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: { code?: string }) => String(e?.code));

  before(async () => {
    await pgAdmin(`drop database if exists ${name}`);
    await pgAdmin(`create database ${name}`);
    store = await openPostgresStore(url.toString(), { connectTimeoutMs: 2000 });
  });
  after(async () => {
    await store?.close().catch(() => undefined);
    await pgAdmin(`alter database ${name} with allow_connections true`).catch(() => undefined);
    await terminate().catch(() => undefined);
    await pgAdmin(`drop database if exists ${name}`);
  });

  test('a database that takes no connections: STORE_UNAVAILABLE; allowed again: the store works by itself', async () => {
    assert.equal(await store.countUsers(), 0);
    await pgAdmin(`alter database ${name} with allow_connections false`);
    await terminate();
    for (let i = 0; i < 3; i++) assert.equal(await codeOf(store.countUsers()), 'STORE_UNAVAILABLE', `query ${i}`);
    await pgAdmin(`alter database ${name} with allow_connections true`);
    let back = 'no';
    for (let i = 0; i < 50 && back !== 'ok'; i++) {
      back = await codeOf(store.countUsers());
      if (back !== 'ok') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(back, 'ok');
  });
}

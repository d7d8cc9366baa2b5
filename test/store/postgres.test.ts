import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { storeConformance } from './conformance.js';
import { postgresUrl, requireServices } from '../services.js';

const url = postgresUrl();
const reachable = await (async () => {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try { await c.connect(); await c.end(); return true; } catch { return false; }
})();

if (!reachable) {
  if (requireServices()) {
    test('PostgreSQL is reachable (TESSERA_REQUIRE_SERVICES=1)', () => { throw new Error(`cannot connect to ${url}`); });
  } else {
    test(`store conformance: postgres — SKIPPED: PostgreSQL not reachable at ${url} (set TESSERA_REQUIRE_SERVICES=1 to fail instead)`, { skip: true }, () => {});
  }
} else {
  const schema = `tessera_test_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  storeConformance('postgres', {
    open: async () => {
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      return openPostgresStore(url, { searchPath: schema });
    },
    cleanup: async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  });
}

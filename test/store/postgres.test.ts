import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { storeConformance } from './conformance.js';
import { jobStoreConformance } from './jobs-conformance.js';
import { SqlJobStore } from '../../src/store/sql-jobs.js';
import { limitsConformance } from './limits-conformance.js';
import { authzConformance } from './authz-conformance.js';
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
  const limitsSchema = `tessera_limits_${randomBytes(4).toString('hex')}`;
  const limitsAdmin = new pg.Client({ connectionString: url });
  limitsConformance('postgres', {
    open: async () => {
      await limitsAdmin.connect();
      await limitsAdmin.query(`create schema ${limitsSchema}`);
      return openPostgresStore(url, { searchPath: limitsSchema });
    },
    cleanup: async () => {
      await limitsAdmin.query(`drop schema ${limitsSchema} cascade`);
      await limitsAdmin.end();
    },
  });

  const authzSchema = `tessera_authz_${randomBytes(4).toString('hex')}`;
  const authzAdmin = new pg.Client({ connectionString: url });
  authzConformance('postgres', {
    open: async () => {
      await authzAdmin.connect();
      await authzAdmin.query(`create schema ${authzSchema}`);
      return openPostgresStore(url, { searchPath: authzSchema });
    },
    cleanup: async () => {
      await authzAdmin.query(`drop schema ${authzSchema} cascade`);
      await authzAdmin.end();
    },
  });

  const jobsSchema = `tessera_jobs_${randomBytes(4).toString('hex')}`;
  const jobsAdmin = new pg.Client({ connectionString: url });
  jobStoreConformance('postgres', {
    open: async () => {
      await jobsAdmin.connect();
      await jobsAdmin.query(`create schema ${jobsSchema}`);
      const store = await openPostgresStore(url, { searchPath: jobsSchema });
      return { jobs: new SqlJobStore(store.db), close: () => store.close() };
    },
    cleanup: async () => {
      await jobsAdmin.query(`drop schema ${jobsSchema} cascade`);
      await jobsAdmin.end();
    },
  });
}

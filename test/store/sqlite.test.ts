import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { SqlJobStore } from '../../src/store/sql-jobs.js';
import { storeConformance } from './conformance.js';
import { jobStoreConformance } from './jobs-conformance.js';
import { limitsConformance } from './limits-conformance.js';
import { authzConformance } from './authz-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-store-'));
storeConformance('sqlite', {
  open: () => openSqliteStore(join(dir, 'tessera.db')),
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});

const limitsDir = mkdtempSync(join(tmpdir(), 'tessera-limits-'));
limitsConformance('sqlite', {
  open: () => openSqliteStore(join(limitsDir, 'tessera.db')),
  cleanup: async () => rmSync(limitsDir, { recursive: true, force: true }),
});

const jobsDir = mkdtempSync(join(tmpdir(), 'tessera-jobstore-'));
jobStoreConformance('sqlite', {
  open: async () => {
    const store = await openSqliteStore(join(jobsDir, 'tessera.db'));
    return { jobs: new SqlJobStore(store.db), close: () => store.close() };
  },
  cleanup: async () => rmSync(jobsDir, { recursive: true, force: true }),
});

const authzDir = mkdtempSync(join(tmpdir(), 'tessera-authz-'));
authzConformance('sqlite', {
  open: () => openSqliteStore(join(authzDir, 'tessera.db')),
  cleanup: async () => rmSync(authzDir, { recursive: true, force: true }),
});

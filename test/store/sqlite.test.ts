import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { storeConformance } from './conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-store-'));
storeConformance('sqlite', {
  open: () => openSqliteStore(join(dir, 'tessera.db')),
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});

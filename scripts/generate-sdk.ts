/**
 * Regenerates sdk/schema.d.ts from the OpenAPI document of a freshly built app (no listener, throwaway data
 * directory, default configuration). Usage: npm run sdk:generate [-- --check]
 * With --check it writes nothing and exits 1 when the committed file differs from what the routes produce.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadConfig } from '../src/config/load.js';
import { createTessera } from '../src/main.js';

const OUT = new URL('../sdk/schema.d.ts', import.meta.url);
const HEADER = '/**\n * Generated from GET /api/openapi.json by `npm run sdk:generate` (scripts/generate-sdk.ts). Do not edit.\n */\n\n';

export const generateSchema = async (): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-sdk-'));
  try {
    const t = await createTessera(loadConfig({}, { data_dir: dir, log_level: 'silent', admin_password: 'unused-password' }));
    try {
      await t.app.ready();
      const doc = t.app.swagger() as Parameters<typeof openapiTS>[0];
      return HEADER + astToString(await openapiTS(doc, { alphabetize: true }));
    } finally {
      await t.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await generateSchema();
  if (process.argv.includes('--check')) {
    const current = readFileSync(OUT, 'utf8');
    if (current !== text) {
      console.error('sdk/schema.d.ts is out of date with the routes: run `npm run sdk:generate` and commit it');
      process.exit(1);
    }
    console.log('sdk/schema.d.ts is up to date');
  } else {
    writeFileSync(OUT, text);
    console.log(`wrote ${OUT.pathname} (${text.length} bytes)`);
  }
}

/**
 * `tessera serve` that cannot start prints one line naming the cause and exits 78 (configuration) or 1 — never
 * "unexpected error" with a stack (found from outside: a host that does not resolve, a database URL that is no URL,
 * a database written by a newer Tessera).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { aesGcmCipher } from '../../src/infra/cipher.js';
import { childEnv } from '../tessera-process.js';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
const fresh = (): string => { const d = mkdtempSync(join(tmpdir(), 'tessera-serve-fail-')); dirs.push(d); return d; };

const serve = (env: Record<string, string>): Promise<{ code: number | null; stderr: string }> => new Promise((resolve) => {
  execFile(process.execPath, ['bin/tessera.js', 'serve'], {
    env: { ...childEnv(), HOME: tmpdir(), TESSERA_DATA_DIR: fresh(), TESSERA_PORT: '0', TESSERA_ADMIN_PASSWORD: 'admin-password-1', TESSERA_LOG_LEVEL: 'warn', ...env },
    timeout: 30_000,
  }, (err, _stdout, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? null : 0, stderr }));
});

const oneLine = (stderr: string): string => {
  const lines = stderr.split('\n').filter((l) => l.startsWith('tessera:'));
  assert.equal(lines.length, 1, stderr);
  assert.doesNotMatch(stderr, /unexpected error|\n\s+at /, 'no stack');
  return lines[0]!;
};

test('a host name that does not resolve: one line, exit 1', async () => {
  const r = await serve({ TESSERA_HOST: 'not-a-host.invalid' });
  assert.equal(r.code, 1);
  assert.match(oneLine(r.stderr), /cannot listen on not-a-host\.invalid:0: the name 'not-a-host\.invalid' does not resolve/);
});

test('a database URL that is no URL: a configuration error, exit 78', async () => {
  const r = await serve({ TESSERA_DATABASE_URL: 'postgres://postgres@127.0.0.1:99999/x' });
  assert.equal(r.code, 78);
  assert.match(oneLine(r.stderr), /'database_url' is not a valid URL/);
});

test('a database written by a newer Tessera (a migration this one lacks): one line naming it, exit 78 (a restart cannot mend it)', async () => {
  const dir = fresh();
  const store = await openSqliteStore(join(dir, 'tessera.db'));
  await store.close();
  const db = new Database(join(dir, 'tessera.db'));
  db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('999_from_the_future', new Date().toISOString());
  db.close();
  const r = await serve({ TESSERA_DATA_DIR: dir });
  assert.equal(r.code, 78);
  assert.match(oneLine(r.stderr), /migrations do not match this version: .*999_from_the_future.*newer Tessera/);
});

test('a database restored without its secret key (another secret.key): one line naming what does not decrypt, exit 78', async () => {
  const dir = fresh();
  const store = await openSqliteStore(join(dir, 'tessera.db'));
  await store.close();
  // A webhook whose signing secret was encrypted with the key the database was written with, which is not this one.
  const written = aesGcmCipher(randomBytes(32)).encrypt('whsec_from_the_original_key');
  const db = new Database(join(dir, 'tessera.db'));
  db.prepare('insert into webhooks (id, url, events, secret_enc, active, description, created_at, updated_at) values (?, ?, ?, ?, 1, ?, 1, 1)')
    .run('wh_restored', 'https://example.invalid/hook', '["token.created"]', written, '');
  db.close();
  writeFileSync(join(dir, 'secret.key'), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  const r = await serve({ TESSERA_DATA_DIR: dir });
  assert.equal(r.code, 78);
  assert.match(oneLine(r.stderr), /secret key \(.*secret\.key\) does not decrypt the signing secret of webhook wh_restored in the database/);
});

test('users create --local with a data directory that is a file: one line, exit 1 (as serve)', async () => {
  const { writeFileSync } = await import('node:fs');
  const file = join(fresh(), 'not-a-dir');
  writeFileSync(file, 'x');
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, ['bin/tessera.js', 'users', 'create', '--username', 'x', '--password-stdin', '--local'], {
      env: { ...childEnv(), HOME: tmpdir(), TESSERA_DATA_DIR: file }, timeout: 30_000,
    }, (err, _stdout, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? null : 0, stderr }));
    child.stdin!.end('pw-12345678\n');
  });
  assert.equal(r.code, 1);
  assert.match(oneLine(r.stderr), /cannot use the data directory/);
});

test('a JWT signing key file that is not a key (cut short by a crash): one line naming the file, exit 1', async () => {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  for (const [name, text] of [['empty', ''], ['garbage', '{garbage'], ['not-a-key', '{"kid":1}']] as [string, string][]) {
    const dir = fresh();
    mkdirSync(join(dir, 'jwt'), { recursive: true });
    writeFileSync(join(dir, 'jwt', `${name}.json`), text);
    const r = await serve({ TESSERA_DATA_DIR: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(oneLine(r.stderr), new RegExp(`the JWT signing key file .*jwt/${name}\\.json .*restore it from a backup, or remove it`));
  }
});

test('a SQLite database that cannot be written at start (read-only, a full disk) is named as SQLite\'s, not as a database to reach', async () => {
  const { startupFailure } = await import('../../src/cli/commands/serve.js');
  const { StoreUnavailable } = await import('../../src/store/driver-errors.js');
  const { loadConfig } = await import('../../src/config/load.js');
  const e = startupFailure(new StoreUnavailable('SQLITE_READONLY: attempt to write a readonly database'), loadConfig({}, { data_dir: '/srv/tessera' })) as Error;
  assert.equal(e.message, 'cannot use the SQLite database in /srv/tessera: SQLITE_READONLY: attempt to write a readonly database');
});

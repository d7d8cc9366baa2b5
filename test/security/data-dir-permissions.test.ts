/**
 * Issue 12, item 12 (part): the data directory holds the database, the secret key and the JWT signing keys, so it is
 * private to the server's user: created 0700, every file in it 0600, whatever the umask. A data directory that already
 * exists with group/other bits is made private at start (it is ours: we are about to write secrets into it), with a
 * warning in the log.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bearer, startHarness } from '../helpers.js';
import { privateDataDir } from '../../src/main.js';
import { testStore } from '../services.js';

let root: string;
let umask: number;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'tessera-perm-'));
  umask = process.umask(0o022); // the usual umask: new files 0644, directories 0755 unless asked otherwise
});
after(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

/** Every file and directory under `dir` (itself included) whose mode has a group or other bit. */
const tooOpen = (dir: string): string[] => {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = statSync(p);
    if ((st.mode & 0o077) !== 0) out.push(`${p} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
  };
  walk(dir);
  return out;
};

const exercise = async (dataDir: string, name = 'recoverable'): Promise<{ open: string[]; logs: string }> => {
  const h = await startHarness({ data_dir: dataDir });
  try {
    // A recoverable token (encrypted with the secret key) and a JWT (signed with a key from the data directory).
    const t = await h.adminToken({ name, recoverable: true });
    const jwt = await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer(t.token) });
    assert.equal(jwt.statusCode, 200, jwt.body);
    const rotated = await h.req({ method: 'POST', url: '/api/v1/auth/jwt/keys/rotate', headers: bearer(t.token) });
    assert.equal(rotated.statusCode, 200, rotated.body);
    const files = readdirSync(dataDir);
    assert.ok(files.includes('secret.key'), `files: ${files.join(', ')}`);
    return { open: tooOpen(dataDir), logs: h.logs() };
  } finally {
    await h.close();
  }
};

test('a new data directory is 0700 and every file in it 0600 under umask 022', async () => {
  const r = await exercise(join(root, 'fresh', 'data'));
  assert.deepEqual(r.open, []);
  assert.doesNotMatch(r.logs, /open to other users/);
});

test('an existing data directory open to others is made private at start', async () => {
  const dir = join(root, 'existing');
  mkdirSync(dir, { mode: 0o755 });
  assert.equal(statSync(dir).mode & 0o777, 0o755);
  const r = await exercise(dir);
  assert.deepEqual(r.open, []);
  assert.match(r.logs, /data directory .* was open to other users \(mode 755\); made it 0700/);
});

test('database, key and JWT key files an older version left open to others are made 0600 at start', { skip: testStore() === 'postgres' ? 'SQLite\'s files (on PostgreSQL the data directory holds neither the database nor the JWT keys)' : false }, async () => {
  const dir = join(root, 'older');
  const first = await exercise(dir); // files as Tessera writes them
  assert.deepEqual(first.open, []);
  const opened = ['tessera.db', 'secret.key', ...readdirSync(join(dir, 'jwt')).map((f) => join('jwt', f))];
  for (const f of opened) chmodSync(join(dir, f), 0o644); // as an older version left the database's files
  chmodSync(join(dir, 'jwt'), 0o755); // and the JWT keys' directory
  const r = await exercise(dir, 'recoverable-again');
  assert.deepEqual(r.open, []);
  assert.equal(statSync(join(dir, 'jwt')).mode & 0o777, 0o700);
  assert.match(r.logs, /jwt was open to other users \(mode 755\); made it 0700/);
  assert.match(r.logs, /files in .* were open to other users: [^"]*tessera\.db \(644\)[^"]*; made them 0600/);
  assert.match(r.logs, /files in .* were open to other users: [^"]*secret\.key \(644\)[^"]*; made them 0600/);
});

test('making the files private never follows a link, and entries that vanish or are not what they should be do not stop the start', () => {
  const dir = join(root, 'odd');
  mkdirSync(dir, { mode: 0o700 });
  const outside = join(root, 'shared-file');
  writeFileSync(outside, 'x', { mode: 0o644 });
  chmodSync(outside, 0o644);
  symlinkSync(outside, join(dir, 'tessera.db')); // a link to a file outside: not ours to change
  symlinkSync(join(dir, 'gone'), join(dir, 'tessera.db-wal')); // dangling, as a -wal SQLite just removed
  writeFileSync(join(dir, 'jwt'), 'not a directory');
  writeFileSync(join(dir, 'secret.key'), 'k', { mode: 0o644 });
  chmodSync(join(dir, 'secret.key'), 0o644);
  const said = privateDataDir(dir);
  assert.match(said ?? '', /secret\.key \(644\); made them 0600/);
  assert.equal(statSync(outside).mode & 0o777, 0o644, 'the link\'s target is left as it was');
  assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
});

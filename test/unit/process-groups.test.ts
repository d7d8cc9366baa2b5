/**
 * The process-group ledger kills only the groups it recorded, and only while they are still those groups: a group
 * id now led by another process (a reused pid) is left alone.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LEDGER_FILE, ProcessGroupLedger } from '../../src/infra/process-groups.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-ledger-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number): boolean => { try { process.kill(pid, 0); return true; } catch { return false; } };
const leader = () => {
  const c = spawn('/bin/sh', ['-c', 'sleep 30 & wait'], { detached: true, stdio: 'ignore' });
  c.unref();
  return c;
};
const settle = () => new Promise((r) => setTimeout(r, 100));

test('a recorded group is written to the ledger while it runs and killed by the next reap', { skip: process.platform !== 'linux' }, async () => {
  const c = leader();
  await settle();
  const ledger = new ProcessGroupLedger(dir);
  ledger.note(c.pid!, true);
  assert.ok(Object.keys(JSON.parse(readFileSync(join(dir, LEDGER_FILE), 'utf8'))).includes(String(c.pid)));
  // The next process reads the same file.
  assert.equal(new ProcessGroupLedger(dir).reap(), 1);
  await settle();
  assert.equal(alive(c.pid!), false, 'the leader is gone');
  assert.equal(existsSync(join(dir, LEDGER_FILE)), false, 'the ledger is emptied');
});

test('a group that ended is taken out of the ledger; a group id led by another process now is not killed', { skip: process.platform !== 'linux' }, async () => {
  const ended = leader();
  const other = leader();
  await settle();
  const ledger = new ProcessGroupLedger(dir);
  ledger.note(ended.pid!, true);
  ledger.note(ended.pid!, false);
  assert.equal(existsSync(join(dir, LEDGER_FILE)), false);
  // `other` recorded with a start time that is not its own: as if its pid had been reused since.
  writeFileSync(join(dir, LEDGER_FILE), JSON.stringify({ [other.pid!]: 1 }));
  assert.equal(new ProcessGroupLedger(dir).reap(), 0);
  await settle();
  assert.equal(alive(other.pid!), true, 'an unrelated process is left alone');
  // A ledger that cannot be read kills nothing.
  writeFileSync(join(dir, LEDGER_FILE), '{not json');
  assert.equal(new ProcessGroupLedger(dir).reap(), 0);
  process.kill(-other.pid!, 'SIGKILL');
  process.kill(-ended.pid!, 'SIGKILL');
});

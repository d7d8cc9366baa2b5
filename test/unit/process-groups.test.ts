/**
 * The process-group ledger kills only the groups it recorded, and only while they are still those groups: a group
 * id now led by another process (a reused pid) is left alone.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** A group whose leader exits at once, leaving `sleep 30` in it (with the command marker in its environment, or not). */
const orphaned = async (marked: boolean): Promise<number> => {
  const c = spawn('/bin/sh', ['-c', 'sleep 30 & exit 0'], {
    detached: true, stdio: 'ignore', env: { PATH: process.env.PATH ?? '', ...(marked ? { TESSERA_JOB_ID: '7' } : {}) },
  });
  await new Promise((r) => c.once('exit', r));
  return c.pid!;
};
/** Whether a process of the group runs (a killed orphan may stay a zombie where PID 1 reaps nothing: not running). */
const groupRuns = (pgid: number): boolean => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).some((p) => {
  try {
    const st = readFileSync(`/proc/${p}/stat`, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return Number(f[2]) === pgid && f[0] !== 'Z';
  } catch { return false; }
});

test('the leader gone: the group is killed only if what is left in it is a command (TESSERA_JOB_ID), never a stranger that reused the id', { skip: process.platform !== 'linux' }, async () => {
  const ours = await orphaned(true);
  const stranger = await orphaned(false); // as if an unrelated group had been given a recorded id later
  await settle();
  assert.ok(groupRuns(ours) && groupRuns(stranger));
  writeFileSync(join(dir, LEDGER_FILE), JSON.stringify({ [ours]: 1, [stranger]: 1 })); // both started after "1"
  assert.equal(new ProcessGroupLedger(dir).reap(), 1);
  await settle();
  assert.equal(groupRuns(ours), false, 'the command\'s orphan is killed');
  assert.equal(groupRuns(stranger), true, 'the unmarked group is left alone');
  process.kill(-stranger, 'SIGKILL');
});

test('a ledger that is not a regular file is not read (a FIFO would block the start); the temporary file is never followed through a symlink', { skip: process.platform !== 'linux' }, async () => {
  const { execFileSync } = await import('node:child_process');
  const { lstatSync, symlinkSync } = await import('node:fs');
  const fifoDir = mkdtempSync(join(dir, 'fifo-'));
  execFileSync('mkfifo', [join(fifoDir, LEDGER_FILE)]);
  assert.equal(new ProcessGroupLedger(fifoDir).reap(), 0, 'returns at once');
  // A symlink where the temporary file goes: the target is not written.
  const linkDir = mkdtempSync(join(dir, 'link-'));
  const target = join(linkDir, 'precious');
  writeFileSync(target, 'keep me');
  symlinkSync(target, join(linkDir, `${LEDGER_FILE}.tmp`));
  const errors: unknown[] = [];
  const ledger = new ProcessGroupLedger(linkDir, (e) => errors.push(e));
  ledger.note(4_000_000, true, 5);
  assert.equal(readFileSync(target, 'utf8'), 'keep me');
  assert.ok(lstatSync(join(linkDir, LEDGER_FILE)).isFile(), 'the ledger is written as a file of its own');
  assert.deepEqual(errors, []);
});

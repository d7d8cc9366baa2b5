/**
 * Commands outlive a server killed outright (each leads a process group of its own): the next start on the same data
 * directory kills them (the process-group ledger, src/infra/process-groups.ts) before it marks their jobs failed —
 * else a retry of such a job would run its command twice. The single process, and `--workers 2` whose whole process
 * group was killed (primary and workers at once); the next start takes over the data directory the killed server
 * held (`serve.pid`). A second `serve` on a data directory in use refuses to start and touches nothing of the first's.
 * SQLite only: this does not depend on the store.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type Server, startServer } from './support.js';
import { childEnv } from '../tessera-process.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-orphans-'));
const gate = join(dir, 'gate');
const config = join(dir, 'tessera.yaml');
writeFileSync(config, JSON.stringify({
  commands: { hold: { id: 1, argv: ['/bin/sh', '-c', `while [ ! -e "${gate}" ]; do sleep 0.05; done`], args: { pattern: '[a-z0-9-]+' }, timeout: 600 } },
}));
after(() => { writeFileSync(gate, ''); rmSync(dir, { recursive: true, force: true }); });

/** Whether the command whose argument is `tag` runs (its `sh -c … <tag>` command line). */
const runs = (tag: string): boolean => spawnSync('pgrep', ['-f', tag]).status === 0;
const until = async (what: string, ok: () => boolean, ms = 15_000): Promise<void> => {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const hold = async (s: Server, cookie: string, tag: string): Promise<{ id: number; node: string }> => {
  const r = await s.req('POST', '/api/v1/commands/hold/run', { headers: { cookie }, body: { args: [tag] } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  await until(`${tag} runs`, () => runs(tag));
  return r.body;
};

const afterRestart = async (dataDir: string, workers: number, cookie: string, jobs: { id: number; tag: string }[]): Promise<void> => {
  const s = await startServer({ workers, dataDir, env: { TESSERA_CONFIG: config } });
  try {
    const reaped = s.lines().find((l) => l.msg === 'killed the commands a previous process left running');
    assert.equal(reaped?.process_groups, jobs.length, 'logged, with the number of process groups');
    for (const j of jobs) await until(`${j.tag} is gone`, () => !runs(j.tag), 5000);
    for (const j of jobs) {
      const r = await s.req('GET', `/api/v1/jobs/${j.id}`, { headers: { cookie } });
      assert.deepEqual([r.body.status, r.body.reason], ['failed', 'server restarted']);
    }
  } finally {
    await s.stop();
  }
};

test('a single process killed outright: its command outlives it; the next start kills it and fails its job', async () => {
  const dataDir = mkdtempSync(join(dir, 'single-'));
  const s = await startServer({ workers: 1, dataDir, env: { TESSERA_CONFIG: config } });
  const cookie = await s.login();
  const tag = `orphan-single-${process.pid}`;
  const job = await hold(s, cookie, tag);
  process.kill(s.pid, 'SIGKILL');
  await s.exited;
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(runs(tag), 'the command outlived the server');
  await afterRestart(dataDir, 1, cookie, [{ id: job.id, tag }]);
});

test('--workers 2, the whole process group killed: the next start kills both workers\' commands', async () => {
  const dataDir = mkdtempSync(join(dir, 'workers-'));
  const s = await startServer({ workers: 2, dataDir, group: true, env: { TESSERA_CONFIG: config } });
  const cookie = await s.login();
  const jobs: { id: number; tag: string; worker: number }[] = [];
  for (let i = 0; i < 12 && new Set(jobs.map((j) => j.worker)).size < 2; i++) {
    const tag = `orphan-workers-${process.pid}-${i}`;
    const j = await hold(s, cookie, tag);
    jobs.push({ id: j.id, tag, worker: Number(/#w(\d+)$/.exec(j.node)?.[1]) });
  }
  assert.deepEqual([...new Set(jobs.map((j) => j.worker))].sort(), [1, 2], 'commands on both workers');
  s.signalGroup('SIGKILL');
  await s.exited;
  await new Promise((r) => setTimeout(r, 200));
  for (const j of jobs) assert.ok(runs(j.tag), 'the commands outlived the server (their own process groups)');
  await afterRestart(dataDir, 2, cookie, jobs);
});

test('users create --local beside a running server leaves its jobs and commands alone', async () => {
  const { execFile } = await import('node:child_process');
  const { resolve } = await import('node:path');
  const dataDir = mkdtempSync(join(dir, 'local-'));
  const s = await startServer({ workers: 1, dataDir, env: { TESSERA_CONFIG: config } });
  try {
    const cookie = await s.login();
    const tag = `orphan-local-${process.pid}`;
    const job = await hold(s, cookie, tag);
    const code = await new Promise<number | null>((done) => {
      const child = execFile(process.execPath, [resolve(import.meta.dirname, '../../bin/tessera.js'), 'users', 'create', '--username', 'offline-made', '--password-stdin', '--local'], {
        env: { ...childEnv(), HOME: dataDir, TESSERA_DATA_DIR: dataDir, TESSERA_CONFIG: config }, timeout: 30_000,
      }, (err) => done(err ? (err as { code?: number }).code ?? null : 0));
      child.stdin!.end('offline-password-1\n');
    });
    assert.equal(code, 0);
    assert.ok(runs(tag), 'the command still runs');
    const r = await s.req('GET', `/api/v1/jobs/${job.id}`, { headers: { cookie } });
    assert.equal(r.body.status, 'running');
  } finally {
    await s.stop(); // stops its command too
  }
});

/** `tessera serve` on `dataDir`, expected to refuse to start: its exit code and what it printed. */
const refusedStart = async (dataDir: string, workers: number): Promise<{ code: number | null; out: string }> => {
  const { execFile } = await import('node:child_process');
  const { resolve } = await import('node:path');
  return new Promise((done) => {
    execFile(process.execPath, [resolve(import.meta.dirname, '../../bin/tessera.js'), 'serve', '--workers', String(workers)], {
      env: { ...childEnv(), HOME: dataDir, TESSERA_HOST: '127.0.0.1', TESSERA_PORT: '0', TESSERA_DATA_DIR: dataDir, TESSERA_CONFIG: config, TESSERA_ADMIN_PASSWORD: 'admin-password-1' },
      timeout: 60_000,
    }, (err, stdout, stderr) => done({ code: err ? (err as { code?: number }).code ?? null : 0, out: stdout + stderr }));
  });
};

for (const workers of [1, 2]) {
  test(`a second serve on a data directory in use (workers ${workers}) refuses to start; the first's command and job go on`, async () => {
    const dataDir = mkdtempSync(join(dir, `second-${workers}-`));
    const s = await startServer({ workers, dataDir, env: { TESSERA_CONFIG: config } });
    try {
      const cookie = await s.login();
      const tag = `orphan-second-${workers}-${process.pid}`;
      const job = await hold(s, cookie, tag);
      const second = await refusedStart(dataDir, workers);
      assert.equal(second.code, 1, second.out);
      assert.match(second.out, new RegExp(`in use by another tessera serve \\(pid ${s.pid}\\)`));
      assert.ok(!second.out.includes('killed the commands'), 'it killed nothing');
      assert.ok(runs(tag), 'the first server\'s command still runs');
      const r = await s.req('GET', `/api/v1/jobs/${job.id}`, { headers: { cookie } });
      assert.equal(r.body.status, 'running');
    } finally {
      await s.stop();
    }
  });
}

test('--workers 2 whose ledger cannot be written keeps serving (logged once); commands still run', async () => {
  const { mkdirSync } = await import('node:fs');
  const dataDir = mkdtempSync(join(dir, 'unwritable-'));
  mkdirSync(join(dataDir, 'commands.pgids.tmp')); // the ledger's temporary file cannot be made
  const s = await startServer({ workers: 2, dataDir, env: { TESSERA_CONFIG: config } });
  try {
    const cookie = await s.login();
    const from = s.lines().length;
    await hold(s, cookie, `orphan-unwritable-${process.pid}`);
    await s.waitForLine((l) => /cannot write the commands' process groups/.test(l.msg), from, 5000);
    assert.equal((await s.req('GET', '/healthz')).status, 200, 'the primary did not die of it');
    await hold(s, cookie, `orphan-unwritable-2-${process.pid}`);
    assert.equal(s.lines().filter((l) => /cannot write the commands' process groups/.test(l.msg)).length, 1, 'logged once');
  } finally {
    await s.stop();
  }
});

/**
 * `tessera commands list`, `tessera run [--wait]`, `tessera jobs list|show`: the real binary as a child process against
 * a listening server with commands configured. The command used for --wait prints a line, waits for a file the test
 * creates, then prints again, so "the first line arrived before the command ended" is certain, never timed.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Harness } from '../helpers.js';
import { script, scriptDir, settled, startJobsHarness } from '../jobs/support.js';
import { type Run, runTessera } from '../tessera-process.js';

const dir = scriptDir();
const gate = join(dir, 'go');
let h: Harness;
let url: string;
let olga: Awaited<ReturnType<Harness['createUser']>>;

/** Runs `tessera ...args` as olga (TESSERA_URL/TESSERA_TOKEN, a clean environment); `onStdout` sees stdout as it comes. */
const tessera = (args: string[], o: { token?: string; onStdout?: (sofar: string) => void } = {}): Promise<Run> =>
  runTessera(args, { HOME: dir, TESSERA_CLI_CONFIG: join(dir, 'none.json'), TESSERA_URL: url, TESSERA_TOKEN: o.token ?? olga.token }, { onStdout: o.onStdout });

before(async () => {
  h = await startJobsHarness({
    talk: { id: 1, argv: [script(dir, 'talk.sh', `echo "first line"\nwhile [ ! -e "${gate}" ]; do sleep 0.02; done\necho "second line"\nexit 3`)], groups: ['ops'], timeout: 600, description: 'talks twice' },
    echo: { id: 2, argv: ['/bin/echo'], args: 'any', groups: ['ops'], channel: 'ops' },
    slow: { id: 3, argv: ['/bin/sleep', '30'], groups: ['ops'], timeout: 1 },
    pick: { id: 4, argv: ['/bin/echo'], args: { pattern: '[a-z]+' }, groups: ['ops'] },
    secret: { id: 5, argv: ['/bin/true'], groups: ['dev'] },
  }, { channels: { ops: { retry: { attempts: 1, backoff_ms: 0 } } }, log_level: 'warn' });
  olga = await h.createUser('olga', { groups: ['ops'] });
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(h.t.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  writeFileSync(gate, '');
  await h.close();
});

describe('tessera commands list', () => {
  test('lists the commands the user may run, as a table or JSON', async () => {
    const r = await tessera(['commands', 'list']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+ID\s+ARGS\s+GROUPS\s+TIMEOUT\s+CHANNEL\s+DESCRIPTION$/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), ['echo', 'pick', 'slow', 'talk']);
    assert.match(r.stdout, /\npick\s+4\s+pattern \[a-z\]\+\s+ops\s+60s\s+default\s+-\n/);
    assert.match(r.stdout, /\ntalk\s+1\s+none\s+ops\s+600s\s+default\s+talks twice\n/);
    const j = JSON.parse((await tessera(['commands', 'list', '--json'])).stdout);
    assert.deepEqual(j.items.map((c: { name: string }) => c.name), ['echo', 'pick', 'slow', 'talk']);
  });
});

describe('tessera run', () => {
  test('without --wait: prints the job at once', async () => {
    const r = await tessera(['run', 'echo', 'a b', '$(id)', '--channel', 'default']);
    assert.equal(r.code, 0, r.stderr);
    const id = Number(/^id:\s+(\d+)$/m.exec(r.stdout)?.[1]);
    assert.ok(id > 0, r.stdout);
    assert.match(r.stdout, /^command:\s+echo "a b" "\$\(id\)"$/m);
    assert.match(r.stdout, /^channel:\s+default$/m);
    const job = await settled(h, id);
    assert.deepEqual([job.args, job.output, job.username, job.channel], [['a b', '$(id)'], 'a b $(id)\n', 'olga', 'default']);
    const j = JSON.parse((await tessera(['run', 'echo', '--json'])).stdout);
    assert.equal(j.command, 'echo');
    assert.equal(j.channel, 'ops');
    await settled(h, j.id);
  });

  test('--wait: the output streams while the command runs, and the exit code is the command\'s', async () => {
    let released = false;
    const r = await tessera(['run', 'talk', '--wait'], {
      onStdout: (sofar) => {
        // The first line is here while the command still waits for the gate: only now is the gate opened.
        if (!released && sofar.includes('first line\n')) { released = true; writeFileSync(gate, ''); }
      },
    });
    assert.ok(released, 'the first line was printed before the command ended');
    assert.equal(r.stdout, 'first line\nsecond line\n');
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^job (\d+) \(talk\) started; its outcome goes to #default\n/);
    assert.match(r.stderr, /tessera: job \d+ \(talk\) failed with exit code 3\n$/);
  });

  test('--wait: success exits 0; a timeout exits 124; --json prints the ended job', async () => {
    const ok = await tessera(['run', 'echo', '--wait', '--', '-n', 'dash args']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'dash args');
    assert.match(ok.stderr, /job \d+ \(echo\) succeeded\n$/);
    const slow = await tessera(['run', 'slow', '--wait', '--json']);
    assert.equal(slow.code, 124, slow.stderr);
    const j = JSON.parse(slow.stdout);
    assert.equal(j.status, 'timed_out');
    assert.match(slow.stderr, /timed out/);
  });

  test('refusals are the server\'s error codes, exit 1, and start nothing', async () => {
    const before = (await h.req({ method: 'GET', url: '/api/v1/jobs?limit=200', headers: { cookie: h.adminCookie } })).json().items.length;
    const args = await tessera(['run', 'pick', 'Not-Allowed']);
    assert.equal(args.code, 1);
    assert.match(args.stderr, /^tessera: ARGS_REFUSED: .+ \(HTTP 400\)\n$/);
    const forbidden = await tessera(['run', 'secret', '--wait']);
    assert.equal(forbidden.code, 1);
    assert.match(forbidden.stderr, /^tessera: (FORBIDDEN|COMMAND_NOT_FOUND): /);
    const channel = await tessera(['run', 'echo', '--channel', 'nope']);
    assert.match(channel.stderr, /^tessera: CHANNEL_NOT_FOUND: /);
    const after = (await h.req({ method: 'GET', url: '/api/v1/jobs?limit=200', headers: { cookie: h.adminCookie } })).json().items.length;
    assert.equal(after, before);
  });
});

describe('tessera jobs', () => {
  test('list: own jobs newest first, with filters; show: the job and its output', async () => {
    const started = await h.req({ method: 'POST', url: '/api/v1/commands/echo/run', headers: { authorization: `Bearer ${olga.token}` }, payload: { args: ['listed', 'here'] } });
    const id = started.json().id as number;
    await settled(h, id);
    const list = await tessera(['jobs', 'list']);
    assert.equal(list.code, 0, list.stderr);
    const rows = list.stdout.trimEnd().split('\n');
    assert.match(rows[0]!, /^ID\s+COMMAND\s+STATUS\s+EXIT\s+USER\s+CHANNEL\s+STARTED\s+ENDED$/);
    assert.match(rows[1]!, new RegExp(`^${id}\\s+echo listed here\\s+succeeded\\s+0\\s+olga\\s+ops\\s`));
    const failed = JSON.parse((await tessera(['jobs', 'list', '--status', 'failed', '--json'])).stdout);
    assert.ok(failed.items.length >= 1);
    assert.ok(failed.items.every((j: { status: string; user: { username: string } }) => j.status === 'failed' && j.user.username === 'olga'));
    const bad = await tessera(['jobs', 'list', '--status', 'bogus']);
    assert.notEqual(bad.code, 0);

    const show = await tessera(['jobs', 'show', String(id)]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`^id:\\s+${id}\\ncommand:\\s+echo listed here\\nstatus:\\s+succeeded\\nexit code:\\s+0\\n`));
    assert.ok(show.stdout.endsWith('\nlisted here\n'));
    assert.equal(JSON.parse((await tessera(['jobs', 'show', String(id), '--json'])).stdout).output, 'listed here\n');
  });

  test('show --follow on a finished job prints it; someone else\'s job is NOT_FOUND', async () => {
    const mine = (await h.req({ method: 'POST', url: '/api/v1/commands/echo/run', headers: { cookie: h.adminCookie }, payload: { args: ['admin\'s'] } })).json().id as number;
    await settled(h, mine);
    const r = await tessera(['jobs', 'show', String(mine)]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^tessera: NOT_FOUND: /);
    const asAdmin = await tessera(['jobs', 'show', String(mine), '--follow'], { token: (await h.adminToken()).token });
    assert.equal(asAdmin.code, 0, asAdmin.stderr);
    assert.ok(asAdmin.stdout.endsWith('\nadmin\'s\n'));
    // A job that already ended in failure: --follow exits with its code, as it would have had it still been running.
    const talk = (await h.req({ method: 'POST', url: '/api/v1/commands/talk/run', headers: { cookie: h.adminCookie } })).json().id as number;
    await settled(h, talk);
    const failed = await tessera(['jobs', 'show', String(talk), '--follow'], { token: (await h.adminToken()).token });
    assert.equal(failed.code, 3, failed.stderr);
    assert.match(failed.stderr, /failed with exit code 3/);
  });
});

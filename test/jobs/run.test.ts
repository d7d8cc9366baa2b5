/** Running commands through the native API with real child processes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness } from '../helpers.js';
import { script, scriptDir, settled, startJobsHarness, waitDead } from './support.js';

const dir = scriptDir();
const pidFile = join(dir, 'grandchild.pid');
let h: Harness;

before(async () => {
  h = await startJobsHarness({
    hello: { id: 1, argv: ['/bin/echo', 'hello'], groups: ['ops'], description: 'says hello' },
    fail: { id: 2, argv: [script(dir, 'fail.sh', 'echo about to fail; echo oops >&2; exit 3')], groups: ['ops'] },
    loud: { id: 3, argv: [script(dir, 'loud.sh', 'i=0; while [ $i -lt 500 ]; do echo 0123456789abcdefghij; i=$((i+1)); done')], output_cap: 100 },
    slow: { id: 4, argv: [script(dir, 'slow.sh', `sleep 100 & echo $! > ${pidFile}; wait`)], timeout: 1 },
    argv: { id: 5, argv: [script(dir, 'argv.sh', 'echo "$#"; for a in "$@"; do printf "[%s]\\n" "$a"; done'), 'fixed'], args: 'any', groups: ['dev'] },
    pattern: { id: 6, argv: ['echo'], args: { pattern: '[a-z0-9-]+' }, groups: ['ops'] },
    binary: { id: 8, argv: ['/usr/bin/printf', 'a\\000b\\377c\\n'] },
    envcheck: { id: 7, argv: [script(dir, 'env.sh', 'echo "db=${TESSERA_DATABASE_URL:-unset} job=$TESSERA_JOB_ID user=$TESSERA_USER mode=$MODE"')], env: { MODE: 'safe' } },
  });
});
after(async () => { await h.close(); });

const run = (name: string, body: object, headers: Record<string, string> = { cookie: h.adminCookie }) =>
  h.req({ method: 'POST', url: `/api/v1/commands/${name}/run`, headers, payload: body });

describe('running a command', () => {
  test('a command that succeeds: 202 with a running job, then succeeded with exit code 0 and its output', async () => {
    const r = await run('hello', {});
    assert.equal(r.statusCode, 202);
    const j = r.json();
    assert.equal(j.status, 'running');
    assert.equal(j.command, 'hello');
    assert.equal(j.command_id, 1);
    assert.equal(j.trigger, 'api');
    assert.equal(j.channel, 'default');
    assert.deepEqual(j.user, { id: 1, username: 'admin' });
    await settled(h, j.id);
    const g = await h.req({ method: 'GET', url: `/api/v1/jobs/${j.id}`, headers: { cookie: h.adminCookie } });
    assert.equal(g.statusCode, 200);
    assert.equal(g.json().status, 'succeeded');
    assert.equal(g.json().exit_code, 0);
    assert.equal(g.json().output, 'hello\n');
    assert.equal(g.json().truncated, false);
    assert.ok(g.json().ended_at);
  });

  test('a command that fails: failed with its exit code and both output streams', async () => {
    const j = await settled(h, (await run('fail', {})).json().id);
    assert.equal(j.status, 'failed');
    assert.equal(j.exitCode, 3);
    assert.match(j.output, /about to fail/);
    assert.match(j.output, /oops/);
  });

  test('output over the cap is cut and marked', async () => {
    const j = await settled(h, (await run('loud', {})).json().id);
    assert.equal(j.status, 'succeeded');
    assert.equal(j.truncated, true);
    assert.ok(Buffer.byteLength(j.output) <= 100);
    assert.ok(j.output.startsWith('0123456789abcdefghij\n'));
    const m = await h.req({ method: 'GET', url: '/api/v1/channels/default/messages?limit=1', headers: { cookie: h.adminCookie } });
    assert.equal(m.json().items[0].job_id, j.id);
    assert.match(m.json().items[0].text, /output cut/);
  });

  test('output that is not text (a NUL byte, invalid UTF-8) is stored, with U+FFFD in place of each such byte', async () => {
    const j = await settled(h, (await run('binary', {})).json().id);
    const stored = await h.req({ method: 'GET', url: `/api/v1/jobs/${j.id}`, headers: { cookie: h.adminCookie } });
    assert.deepEqual([stored.json().status, stored.json().output], ['succeeded', 'a\uFFFDb\uFFFDc\n']);
    assert.equal(j.output, 'a\uFFFDb\uFFFDc\n');
  });

  test('a command past its timeout is timed_out and its whole process group is killed', async () => {
    const j = await settled(h, (await run('slow', {})).json().id);
    assert.equal(j.status, 'timed_out');
    assert.match(j.reason ?? '', /timed out/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.ok(pid > 0);
    assert.ok(await waitDead(pid), `the background grandchild ${pid} must be gone`);
  });

  test('an argument with ;, $() and quotes reaches the command as ONE literal argument', async () => {
    const u = await h.createUser('dana', { groups: ['dev'] });
    const evil = `a; touch ${join(dir, 'pwned')} $(id) \`id\` "dq" 'sq' | cat > x`;
    const r = await run('argv', { args: [evil, 'two words'] }, bearer(u.token));
    assert.equal(r.statusCode, 202);
    const j = await settled(h, r.json().id);
    assert.equal(j.status, 'succeeded');
    assert.equal(j.output, `3\n[fixed]\n[${evil}]\n[two words]\n`);
    assert.deepEqual(j.args, [evil, 'two words']);
    assert.throws(() => readFileSync(join(dir, 'pwned')), { code: 'ENOENT' });
  });

  test('the command gets its configured env and job facts, never the server\'s environment', async () => {
    process.env.TESSERA_DATABASE_URL = 'postgres://secret@db/x';
    try {
      const j = await settled(h, (await run('envcheck', {})).json().id);
      assert.equal(j.output, `db=unset job=${j.id} user=admin mode=safe\n`);
    } finally { delete process.env.TESSERA_DATABASE_URL; }
  });
});

describe('refusals over the API', () => {
  test('a user outside the command\'s groups gets 403 FORBIDDEN and no job is recorded', async () => {
    const u = await h.createUser('erin', { groups: ['dev'] });
    const before = (await h.req({ method: 'GET', url: '/api/v1/jobs?command=hello', headers: { cookie: h.adminCookie } })).json().items.length;
    const r = await run('hello', {}, bearer(u.token));
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().error.code, 'FORBIDDEN');
    const after = (await h.req({ method: 'GET', url: '/api/v1/jobs?command=hello', headers: { cookie: h.adminCookie } })).json().items.length;
    assert.equal(after, before);
    const audit = await h.req({ method: 'GET', url: '/api/v1/audit?action=job.refuse', headers: { cookie: h.adminCookie } });
    assert.ok(audit.json().items.some((e: { actor: { name: string }; details: { code: string } }) => e.actor.name === 'erin' && e.details.code === 'FORBIDDEN'));
  });

  test('group membership is read at run time: removing the group refuses the next run', async () => {
    const u = await h.createUser('fred', { groups: ['ops'] });
    assert.equal((await run('hello', {}, bearer(u.token))).statusCode, 202);
    const p = await h.req({ method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { cookie: h.adminCookie }, payload: { groups: [] } });
    assert.equal(p.statusCode, 200);
    assert.equal((await run('hello', {}, bearer(u.token))).statusCode, 403);
  });

  test('extra arguments against the policy: 400 ARGS_REFUSED', async () => {
    const none = await run('hello', { args: ['x'] });
    assert.equal(none.statusCode, 400);
    assert.equal(none.json().error.code, 'ARGS_REFUSED');
    const bad = await run('pattern', { args: ['ok-1', 'Not OK'] });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'ARGS_REFUSED');
    assert.match(bad.json().error.message, /argument 2/);
    assert.equal((await run('pattern', { args: ['ok-1', 'two'] })).statusCode, 202);
  });

  test('unknown command 404 COMMAND_NOT_FOUND, unknown channel 404 CHANNEL_NOT_FOUND, no credential 401, bad body 400', async () => {
    const a = await run('nope', {});
    assert.equal(a.statusCode, 404);
    assert.equal(a.json().error.code, 'COMMAND_NOT_FOUND');
    const b = await run('hello', { channel: 'nowhere' });
    assert.equal(b.statusCode, 404);
    assert.equal(b.json().error.code, 'CHANNEL_NOT_FOUND');
    const c = await run('hello', {}, {});
    assert.equal(c.statusCode, 401);
    const d = await run('hello', { args: 'not-an-array' });
    assert.equal(d.statusCode, 400);
    assert.equal(d.json().error.code, 'VALIDATION_ERROR');
  });

  test('a read-only token may not run commands: 403 INSUFFICIENT_ACCESS', async () => {
    const t = await h.adminToken({ access: 'read', name: 'ro' });
    const r = await run('hello', {}, bearer(t.token));
    assert.equal(r.statusCode, 403);
    assert.equal(r.json().error.code, 'INSUFFICIENT_ACCESS');
  });
});

describe('listing commands', () => {
  test('users see the commands their groups allow; admins see all', async () => {
    const u = await h.createUser('gina', { groups: ['ops'] });
    const r = await h.req({ method: 'GET', url: '/api/v1/commands', headers: bearer(u.token) });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json().items.map((c: { name: string }) => c.name), ['fail', 'hello', 'pattern']);
    const hello = r.json().items.find((c: { name: string }) => c.name === 'hello');
    assert.deepEqual(hello, { name: 'hello', id: 1, description: 'says hello', argv: ['/bin/echo', 'hello'], args: 'none', groups: ['ops'], timeout: 60, channel: 'default' });
    const all = await h.req({ method: 'GET', url: '/api/v1/commands', headers: { cookie: h.adminCookie } });
    assert.equal(all.json().items.length, 8);
  });
});

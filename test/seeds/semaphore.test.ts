/**
 * Seed 002 (Semaphore UI API tokens) against a listening Tessera with real curl: every command line of the seed,
 * with only the host/port, the cookie jar path and the YOUR_* placeholders substituted; then the §9 vectors.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addUser, expectEmpty, expectJson, type Server, sh, startServer, TOKEN_SHAPE } from './support.js';

const SEED = {
  login: `curl -v -c /tmp/semaphore-cookie -XPOST \\
-H 'Content-Type: application/json' \\
-H 'Accept: application/json' \\
-d '{"auth": "YOUR_LOGIN", "password": "YOUR_PASSWORD"}' \\
http://localhost:3000/api/auth/login`,
  list: `curl -v -b /tmp/semaphore-cookie \\
-H 'Content-Type: application/json' \\
-H 'Accept: application/json' \\
http://localhost:3000/api/user/tokens`,
  create: `curl -v -b /tmp/semaphore-cookie -XPOST \\
-H 'Content-Type: application/json' \\
-H 'Accept: application/json' \\
http://localhost:3000/api/user/tokens`,
  task: `curl -v -XPOST \\
-H 'Content-Type: application/json' \\
-H 'Accept: application/json' \\
-H 'Authorization: Bearer YOUR_ACCESS_TOKEN' \\
-d '{"template_id": 1}' \\
http://localhost:3000/api/project/1/tasks`,
  expire: `curl -v -XDELETE \\
-H 'Content-Type: application/json' \\
-H 'Accept: application/json' \\
-H 'Authorization: Bearer YOUR_ACCESS_TOKEN' \\
http://localhost:3000/api/user/tokens/YOUR_ACCESS_TOKEN`,
};

const RFC3339_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('Semaphore (seed 002)', () => {
  let srv: Server;
  let userId: number;
  let jar: string;
  const fill = (line: string, vars: Record<string, string> = {}): string => {
    let out = line.replaceAll('http://localhost:3000', srv.origin).replaceAll('/tmp/semaphore-cookie', jar)
      .replaceAll('YOUR_LOGIN', 'alice').replaceAll('YOUR_PASSWORD', 'alice-password');
    for (const [k, v] of Object.entries(vars)) out = out.replaceAll(k, v);
    return out;
  };
  const bearerGet = (token: string, path = '/api/user/tokens') => sh(`curl -s -H 'Authorization: Bearer ${token}' ${srv.origin}${path}`);

  before(async () => {
    // Template 1 of the seed's task line is the configured command with id 1; alice's group may run it.
    srv = await startServer({ groups: ['deployers'], commands: { deploy: { id: 1, argv: ['/bin/echo', 'deployed'], groups: ['deployers'] } } } as never);
    jar = join(srv.tmp, 'semaphore-cookie');
    userId = await addUser(srv.h, 'alice', 'alice-password');
    const g = await srv.h.req({ method: 'PATCH', url: `/api/v1/users/${userId}`, headers: { cookie: srv.h.adminCookie }, payload: { groups: ['deployers'], email: 'alice@example.com' } });
    assert.equal(g.statusCode, 200, g.body);
  });
  after(async () => { await srv.close(); });

  describe('the seed\'s command lines', () => {
    let token: string;

    test('login → 204 and a session cookie in the jar', async () => {
      const r = await sh(fill(SEED.login));
      expectEmpty(r, 204);
      assert.match(r.headers['set-cookie'] ?? '', /^tessera_session=tss_\w+;.*Path=\/;.*HttpOnly/);
    });

    test('get the user\'s tokens → [] at first', async () => {
      assert.deepEqual(expectJson(await sh(fill(SEED.list)), 200), []);
    });

    test('generate a new token, and get the new token', async () => {
      const made = expectJson(await sh(fill(SEED.create)), 201);
      assert.deepEqual(Object.keys(made), ['id', 'created', 'expired', 'user_id']);
      assert.match(made.id, TOKEN_SHAPE);
      assert.match(made.created, RFC3339_SECONDS);
      assert.equal(made.expired, false);
      assert.equal(made.user_id, userId);
      // "The command should return something similar to: [{"id":"YOUR_ACCESS_TOKEN","created":…,"expired":false,"user_id":1}]"
      assert.deepEqual(expectJson(await sh(fill(SEED.list)), 200), [made]);
      token = made.id;
    });

    test('launch a task with the token → 201 with the task; it runs the command as alice', async () => {
      const task = expectJson(await sh(fill(SEED.task, { YOUR_ACCESS_TOKEN: token })), 201);
      assert.deepEqual(Object.keys(task), ['id', 'template_id', 'project_id', 'status', 'user_id', 'created', 'start', 'end', 'message']);
      assert.equal(task.template_id, 1);
      assert.equal(task.project_id, 1);
      assert.equal(task.status, 'running');
      assert.equal(task.user_id, userId);
      assert.match(task.created, RFC3339_SECONDS);
      const job = await srv.h.t.services.commands.wait(task.id);
      assert.equal(job?.status, 'succeeded');
      assert.equal(job?.trigger, 'task');
      assert.equal(job?.output, 'deployed\n');
      const shown = expectJson(await bearerGet(token, `/api/project/1/tasks/${task.id}`), 200);
      assert.equal(shown.status, 'success');
      assert.match(shown.end, RFC3339_SECONDS);
      assert.deepEqual(expectJson(await bearerGet(token, `/api/project/1/tasks/${task.id}/output`), 200).map((l: { output: string }) => l.output), ['deployed']);
    });


    test('expire the token: 204, then it is refused and listed as expired', async () => {
      expectEmpty(await sh(fill(SEED.expire, { YOUR_ACCESS_TOKEN: token })), 204);
      expectEmpty(await bearerGet(token), 401);
      const list = expectJson(await sh(fill(SEED.list)), 200);
      assert.equal(list.length, 1);
      assert.equal(list[0].id, token);
      assert.equal(list[0].expired, true);
    });

    test('the token value in the DELETE path never reaches the log', async () => {
      assert.ok(!srv.h.logs().includes(token), 'the value is not logged');
      assert.match(srv.h.logs(), /"url":"\/api\/user\/tokens\/\[redacted\]"/);
    });
  });

  describe('§9 vectors', () => {
    test('GET /api/auth/login, the web client\'s first call → 200 Semaphore\'s login metadata (password on, no OIDC); then its login works', async () => {
      // api/login.go answers GET with loginMetadata{oidc_providers, login_with_password, auth_methods} (totp omitted when off).
      for (const extra of ['', "-H 'Authorization: Bearer not-a-token'"]) {
        const meta = await sh(`curl -s ${extra} ${srv.origin}/api/auth/login`);
        assert.equal(meta.status, 200, meta.body);
        assert.match(meta.headers['content-type'] ?? '', /^application\/json/);
        assert.equal(meta.body, '{"oidc_providers":[],"login_with_password":true,"auth_methods":{}}');
      }
      expectEmpty(await sh(`curl -s -XPOST -H 'Content-Type: application/json' -d '{"auth":"alice","password":"alice-password"}' ${srv.origin}/api/auth/login`), 204);
    });

    test('login with a bad password → 401, empty', async () => {
      const r = await sh(`curl -s -XPOST -H 'Content-Type: application/json' -d '{"auth":"alice","password":"nope-nope"}' ${srv.origin}/api/auth/login`);
      expectEmpty(r, 401);
      assert.equal(r.headers['set-cookie'], undefined);
    });

    test('login by email-or-username is case-insensitive; bad JSON → 400', async () => {
      expectEmpty(await sh(`curl -s -XPOST -H 'Content-Type: application/json' -d '{"auth":"ALICE","password":"alice-password"}' ${srv.origin}/api/auth/login`), 204);
      const bad = await sh(`curl -s -XPOST -H 'Content-Type: application/json' -d '{"auth":' ${srv.origin}/api/auth/login`);
      assert.equal(expectJson(bad, 400).error, 'the body is not valid JSON');
    });

    test('POST with the cookie → 201; GET with cookie or Bearer lists it', async () => {
      const made = expectJson(await sh(fill(SEED.create)), 201);
      const viaBearer = expectJson(await bearerGet(made.id), 200);
      const viaCookie = expectJson(await sh(fill(SEED.list)), 200);
      assert.deepEqual(viaBearer, viaCookie);
      assert.deepEqual(viaBearer.find((t: { id: string }) => t.id === made.id), made);
    });

    test('an unknown Bearer token → 401 with an empty body', async () => {
      expectEmpty(await bearerGet('kwofd61g93-yuqvex8efmhjkgnbxlo8mp1tin6spyhu='), 401);
      expectEmpty(await sh(`curl -s ${srv.origin}/api/user/tokens`), 401);
    });

    test('DELETE with the token itself → 204; then 401; listed "expired": true', async () => {
      const made = expectJson(await sh(fill(SEED.create)), 201);
      expectEmpty(await sh(`curl -s -XDELETE -H 'Authorization: Bearer ${made.id}' ${srv.origin}/api/user/tokens/${made.id}`), 204);
      expectEmpty(await bearerGet(made.id), 401);
      const listed = expectJson(await sh(fill(SEED.list)), 200).find((t: { id: string }) => t.id === made.id);
      assert.deepEqual(listed, { ...made, expired: true });
    });

    test('login with the user\'s email as auth → 204 and a working session cookie; the seed\'s line with it too', async () => {
      // Semaphore looks the login up by username or email (api/login.go); so does Tessera, case-insensitively.
      const emailJar = join(srv.tmp, 'email-cookie');
      const line = fill(SEED.login).replace('"auth": "alice"', '"auth": "alice@example.com"').replaceAll(jar, emailJar);
      assert.ok(line.includes('{"auth": "alice@example.com", "password": "alice-password"}'));
      const r = await sh(line);
      expectEmpty(r, 204);
      assert.match(r.headers['set-cookie'] ?? '', /^tessera_session=tss_\w+;/);
      assert.ok(Array.isArray(expectJson(await sh(`curl -s -b ${emailJar} ${srv.origin}/api/user/tokens`), 200)));
      const made = expectJson(await sh(`curl -s -b ${emailJar} -XPOST ${srv.origin}/api/user/tokens`), 201);
      assert.equal(made.user_id, userId);
      expectEmpty(await sh(`curl -s -XPOST -H 'Content-Type: application/json' -d '{"auth":"Alice@Example.COM","password":"alice-password"}' ${srv.origin}/api/auth/login`), 204);
      expectEmpty(await sh(`curl -s -XPOST -H 'Content-Type: application/json' -d '{"auth":"alice@example.com","password":"nope-nope"}' ${srv.origin}/api/auth/login`), 401);
      expectEmpty(await sh(`curl -s -XPOST -H 'Content-Type: application/json' -d '{"auth":"nobody@example.com","password":"alice-password"}' ${srv.origin}/api/auth/login`), 401);
    });

    test('DELETE /api/user/tokens/{id} with the session cookie → 204; the token then fails; another origin → 403', async () => {
      const made = expectJson(await sh(fill(SEED.create)), 201);
      expectEmpty(await sh(`curl -s -b ${jar} -XDELETE -H 'Origin: https://evil.example' ${srv.origin}/api/user/tokens/${made.id}`), 403);
      assert.equal((await bearerGet(made.id)).status, 200, 'the refused DELETE left it working');
      const line = fill(SEED.expire, { YOUR_ACCESS_TOKEN: made.id }).replace(`-H 'Authorization: Bearer ${made.id}'`, `-b ${jar}`);
      assert.ok(!line.includes('Authorization'));
      expectEmpty(await sh(line), 204);
      expectEmpty(await bearerGet(made.id), 401);
      const listed = expectJson(await sh(fill(SEED.list)), 200).find((t: { id: string }) => t.id === made.id);
      assert.deepEqual(listed, { ...made, expired: true });
      expectEmpty(await sh(`curl -s -b ${jar} -XDELETE ${srv.origin}/api/user/tokens/${made.id}x`), 404);
    });

    test('POST /api/project/1/tasks with the session cookie → 201; it runs as the cookie\'s user; another origin → 403', async () => {
      const line = fill(SEED.task).replace("-H 'Authorization: Bearer YOUR_ACCESS_TOKEN'", `-b ${jar}`);
      assert.ok(!line.includes('Authorization'));
      const task = expectJson(await sh(line), 201);
      assert.equal(task.template_id, 1);
      assert.equal(task.user_id, userId);
      const job = await srv.h.t.services.commands.wait(task.id);
      assert.equal(job?.status, 'succeeded');
      assert.equal(job?.trigger, 'task');
      assert.equal(expectJson(await sh(`curl -s -b ${jar} ${srv.origin}/api/project/1/tasks/${task.id}`), 200).status, 'success');
      expectEmpty(await sh(`curl -s -b ${jar} -XPOST -H 'Origin: https://evil.example' -H 'Content-Type: application/json' -d '{"template_id": 1}' ${srv.origin}/api/project/1/tasks`), 403);
    });

    test('newer body {"name","expires_at"}: accepted; a past expires_at → 400 {"error"}', async () => {
      const future = new Date(srv.h.clock.now() + 86_400_000).toISOString();
      const made = expectJson(await sh(`curl -s -b ${jar} -XPOST -H 'Content-Type: application/json' -d '{"name":"ci","expires_at":"${future}"}' ${srv.origin}/api/user/tokens`), 201);
      const native = (await srv.h.req({ method: 'GET', url: '/api/v1/tokens?limit=200', headers: { cookie: await srv.h.login('alice', 'alice-password') } })).json();
      const t = native.items.find((x: { name: string | null }) => x.name === 'ci');
      assert.equal(t.expires_at, future);
      assert.equal(t.access, 'full');
      assert.ok(made.id.startsWith(t.prefix));
      const past = await sh(`curl -s -b ${jar} -XPOST -H 'Content-Type: application/json' -d '{"name":"old","expires_at":"2017-03-11T13:13:13Z"}' ${srv.origin}/api/user/tokens`);
      assert.match(expectJson(past, 400).error, /expires_at must be in the future/);
    });
  });

  describe('around the vectors', () => {
    test('tokens made elsewhere are listed under their id; DELETE takes an id or a value; others\' are 404', async () => {
      const cookie = await srv.h.login('alice', 'alice-password');
      const mk = async (name: string) => (await srv.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { name, access: 'full' } })).json();
      const a = await mk('native-a');
      const b = await mk('native-b');
      const list = expectJson(await bearerGet(a.token), 200);
      assert.ok(list.some((t: { id: string }) => t.id === a.id));
      assert.ok(!JSON.stringify(list).includes(a.token), 'a value that is not recoverable is never shown');
      expectEmpty(await sh(`curl -s -XDELETE -H 'Authorization: Bearer ${b.token}' ${srv.origin}/api/user/tokens/${a.id}`), 204);
      expectEmpty(await sh(`curl -s -XDELETE -H 'Authorization: Bearer ${b.token}' ${srv.origin}/api/user/tokens/${b.token}`), 204);
      const after = expectJson(await sh(fill(SEED.list)), 200);
      assert.equal(after.find((t: { id: string }) => t.id === a.id).expired, true);
      assert.equal(after.find((t: { id: string }) => t.id === b.id).expired, true);
      const admin = (await srv.h.adminToken({ name: 'sem-admin' })).token;
      const own = expectJson(await sh(fill(SEED.create)), 201);
      expectEmpty(await sh(`curl -s -XDELETE -H 'Authorization: Bearer ${admin}' ${srv.origin}/api/user/tokens/${own.id}`), 404);
      expectEmpty(await sh(`curl -s -XDELETE -H 'Authorization: Bearer ${admin}' ${srv.origin}/api/user/tokens/nope`), 404);
      assert.equal((await bearerGet(own.id)).status, 200, 'the admin\'s refused DELETE left it working');
    });

    test('tasks: no permission → 403; other project → 404; bad project id → 400; unknown template → 404; no body → 400', async () => {
      await addUser(srv.h, 'bob', 'bob-password');
      const bob = (await srv.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: await srv.h.login('bob', 'bob-password') }, payload: { name: 'b', access: 'full' } })).json().token;
      const post = (tok: string, project: string, body: string) =>
        sh(`curl -s -XPOST -H 'Content-Type: application/json' -H 'Authorization: Bearer ${tok}' -d '${body}' ${srv.origin}/api/project/${project}/tasks`);
      expectEmpty(await post(bob, '1', '{"template_id": 1}'), 403);
      const alice = (await srv.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: await srv.h.login('alice', 'alice-password') }, payload: { name: 'tasks', access: 'full' } })).json().token;
      expectEmpty(await post(alice, '2', '{"template_id": 1}'), 404);
      assert.deepEqual(expectJson(await post(alice, 'abc', '{"template_id": 1}'), 400), { error: 'Invalid project ID' });
      expectEmpty(await post(alice, '1', '{"template_id": 99}'), 404);
      assert.ok(expectJson(await post(alice, '1', '{}'), 400).error);
      expectEmpty(await sh(`curl -s -XPOST -H 'Content-Type: application/json' -d '{"template_id": 1}' ${srv.origin}/api/project/1/tasks`), 401);
      const admin = (await srv.h.adminToken({ name: 'task-admin' })).token;
      const made = expectJson(await post(admin, '1', '{"template_id": 1, "debug": false}'), 201);
      await srv.h.t.services.commands.wait(made.id);
      expectEmpty(await bearerGet(bob, `/api/project/1/tasks/${made.id}`), 404);
      assert.equal(expectJson(await bearerGet(admin, `/api/project/1/tasks/${made.id}`), 200).status, 'success');
    });

    test('bodies are JSON whatever their content type (curl -d without -H), as Semaphore reads them; expires_at null is never', async () => {
      const cookie = await srv.h.login('alice', 'alice-password');
      const t = (await srv.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { name: 'form-type', access: 'full' } })).json().token;
      // curl -d sends application/x-www-form-urlencoded: the expiry asked for must not be dropped.
      const made = expectJson(await sh(`curl -s -XPOST -H 'Authorization: Bearer ${t}' -d '{"name":"ci-bot","expires_at":"2030-01-01T00:00:00Z"}' ${srv.origin}/api/user/tokens`), 201);
      const mine = async () => (await srv.h.req({ method: 'GET', url: '/api/v1/tokens?limit=100', headers: { cookie } })).json().items as { id: string; name: string | null; expires_at: string | null }[];
      const stored = (await mine()).find((x) => x.name === 'ci-bot');
      assert.equal(stored?.expires_at, '2030-01-01T00:00:00.000Z', 'made with the expiry asked for');
      assert.equal(typeof made.id, 'string');
      const before = new Set((await mine()).map((x) => x.id));
      expectJson(await sh(`curl -s -XPOST -H 'Authorization: Bearer ${t}' -H 'Content-Type: application/json' -d '{"expires_at":null}' ${srv.origin}/api/user/tokens`), 201);
      const added = (await mine()).filter((x) => !before.has(x.id));
      assert.equal(added.length, 1);
      assert.equal(added[0]!.expires_at, null, 'made with no expiry');
      expectEmpty(await sh(`curl -s -XPOST -d '{"auth":"alice","password":"alice-password"}' ${srv.origin}/api/auth/login`), 204);
      const task = await sh(`curl -s -XPOST -H 'Authorization: Bearer ${t}' -d '{"template_id": 1}' ${srv.origin}/api/project/1/tasks`);
      assert.equal(task.status, 201, task.body);
      assert.deepEqual(expectJson(await sh(`curl -s -XPOST -H 'Authorization: Bearer ${t}' -d 'name=x' ${srv.origin}/api/user/tokens`), 400), { error: 'the body is not valid JSON' });
    });

    test('a write-level token may not manage tokens → 403, empty', async () => {
      const cookie = await srv.h.login('alice', 'alice-password');
      const w = (await srv.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { name: 'w', access: 'write' } })).json();
      expectEmpty(await bearerGet(w.token), 403);
    });

    test('a cookie-authenticated POST from another origin is refused → 403', async () => {
      expectEmpty(await sh(`curl -s -b ${jar} -XPOST -H 'Origin: https://evil.example' ${srv.origin}/api/user/tokens`), 403);
    });

    test('logout → 204 and the session is over', async () => {
      const r = await sh(`curl -s -b ${jar} -c ${jar} -XPOST ${srv.origin}/api/auth/logout`);
      expectEmpty(r, 204);
      expectEmpty(await sh(fill(SEED.list)), 401);
    });
  });
});

/**
 * What holds for one process holds for `tessera serve --workers 2` (issue 18), on the store the caller names: the same
 * cases run on SQLite (sqlite.test.ts: changes relayed through the primary over cluster IPC) and on PostgreSQL
 * (postgres.test.ts: LISTEN/NOTIFY between the workers). Every request opens a fresh connection, so the primary's
 * round-robin spreads them over both workers (asserted from the workers' log lines).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bearer, probeAfter, type Server, startServer, workersThatAnswered } from './support.js';

const report = (what: string, ms: number): void => { console.log(`  ${what}: ${ms.toFixed(1)} ms`); };

export const workerCases = (store: 'sqlite' | 'postgres'): void => {
  describe(`tessera serve --workers 2 on ${store}`, () => {
    let s: Server;
    let cookie: string;
    // A command that runs until the gate file exists; its argument names it in `ps` (pgrep finds each job's process).
    const dir = mkdtempSync(join(tmpdir(), 'tessera-workers-cfg-'));
    const gate = join(dir, 'gate');
    before(async () => {
      const config = join(dir, 'tessera.yaml');
      writeFileSync(config, JSON.stringify({
        commands: { hold: { id: 1, argv: ['/bin/sh', '-c', `while [ ! -e "${gate}" ]; do sleep 0.05; done`], args: { pattern: '[a-z0-9-]+' }, timeout: 600 } },
      }));
      s = await startServer({ workers: 2, postgres: store === 'postgres', env: { TESSERA_CONFIG: config } });
      cookie = await s.login();
    });
    after(async () => {
      writeFileSync(gate, '');
      await s?.stop();
      await new Promise((r) => setTimeout(r, 300)); // the jobs still running see the gate and end
      rmSync(dir, { recursive: true, force: true });
    });

    const create = async (body: Record<string, unknown>, who = cookie): Promise<{ id: string; token: string }> => {
      const r = await s.req('POST', '/api/v1/tokens', { headers: { cookie: who }, body });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const me = (token: string) => s.req('GET', '/api/v1/auth/me', { headers: bearer(token) });
    /** `n` requests with the token on fresh connections (over both workers); every one must be accepted. */
    const warm = async (token: string, n = 12): Promise<void> => {
      const from = s.lines().length;
      const rs = await Promise.all(Array.from({ length: n }, () => me(token)));
      assert.deepEqual(rs.map((r) => r.status), rs.map(() => 200));
      await new Promise((r) => setTimeout(r, 50)); // the log lines of the last answers
      assert.deepEqual([...workersThatAnswered(s.lines(), from)].sort(), [1, 2], 'both workers answered (and cached the token)');
    };
    /** Makes the change, then probes for 400 ms: nothing sent more than 100 ms after the change may be accepted. */
    const stopsEverywhere = async (what: string, token: string, change: () => Promise<void>, code?: string): Promise<void> => {
      await warm(token);
      await change();
      const t0 = performance.now();
      const r = await probeAfter(t0, 400, async () => (await me(token)).status === 200);
      report(`${what}: last accepted request sent at (after ${r.probes} probes)`, r.lastAcceptedMs);
      assert.equal(r.acceptedLate, 0, `${what}: accepted later than 100 ms after the change`);
      const last = await me(token);
      assert.equal(last.status, 401);
      if (code) assert.equal(last.body.error.code, code);
    };

    test('a token created through one worker verifies on both at once (the secret filter sees the other worker\'s insert)', async () => {
      // An unknown value first, so each worker's filter is built and answering "absent" without a lookup.
      const unknown = await create({ name: 'probe' });
      await s.req('DELETE', `/api/v1/tokens/${unknown.id}`, { headers: { cookie } });
      assert.equal((await me(`${unknown.token.slice(0, -8)}AAAAAAAA`)).status, 401);
      for (let i = 0; i < 5; i++) {
        const { token } = await create({ name: `fresh-${i}` });
        const from = s.lines().length;
        const rs = await Promise.all(Array.from({ length: 6 }, () => me(token)));
        assert.deepEqual(rs.map((r) => r.status), [200, 200, 200, 200, 200, 200], `created token ${i} accepted by every worker at once`);
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(workersThatAnswered(s.lines(), from).size, 2);
      }
    });

    test('revoked through one worker → refused by every worker within 100 ms', async () => {
      const { id, token } = await create({ name: 'revoke-me' });
      await stopsEverywhere('revoke', token, async () => {
        assert.equal((await s.req('DELETE', `/api/v1/tokens/${id}`, { headers: { cookie } })).status, 200);
      }, 'TOKEN_REVOKED');
    });

    test('deactivated, rotated, owner disabled → refused by every worker within 100 ms', async () => {
      const a = await create({ name: 'deactivate-me' });
      await stopsEverywhere('deactivate', a.token, async () => {
        assert.equal((await s.req('PATCH', `/api/v1/tokens/${a.id}`, { headers: { cookie }, body: { active: false } })).status, 200);
      }, 'TOKEN_DISABLED');
      const b = await create({ name: 'rotate-me' });
      let rotated = '';
      await stopsEverywhere('rotate', b.token, async () => {
        const r = await s.req('POST', `/api/v1/tokens/${b.id}/rotate`, { headers: { cookie }, body: {} });
        assert.equal(r.status, 200);
        rotated = r.body.token;
      });
      await warm(rotated);
      const u = await s.req('POST', '/api/v1/users', { headers: { cookie }, body: { username: `dave-${store}`, password: 'dave-password-1', role: 'user' } });
      assert.equal(u.status, 201);
      const login = await s.req('POST', '/api/v1/auth/login', { body: { username: `dave-${store}`, password: 'dave-password-1' } });
      const dave = (login.headers['set-cookie'] as string[]).find((c) => c.startsWith('tessera_session='))!.split(';')[0]!;
      const c = await create({ access: 'read' }, dave);
      await stopsEverywhere('owner disabled', c.token, async () => {
        assert.equal((await s.req('PATCH', `/api/v1/users/${u.body.id}`, { headers: { cookie }, body: { disabled: true } })).status, 200);
      }, 'TOKEN_DISABLED');
    });

    test('a group grant removed through one worker takes the permission away on every worker within 100 ms', async () => {
      const admin = { cookie };
      const name = `olga-${store}`;
      assert.equal((await s.req('POST', '/api/v1/users', { headers: admin, body: { username: name, password: 'olga-password-1', groups: ['ops'] } })).status, 201);
      assert.equal((await s.req('POST', '/api/v1/roles', { headers: admin, body: { name: 'deployer', permissions: ['deploy:*'] } })).status, 201);
      assert.equal((await s.req('PUT', '/api/v1/groups/ops/grants', { headers: admin, body: { roles: ['deployer'], permissions: [] } })).status, 200);
      const login = await s.req('POST', '/api/v1/auth/login', { body: { username: name, password: 'olga-password-1' } });
      const olga = (login.headers['set-cookie'] as string[]).find((c) => c.startsWith('tessera_session='))!.split(';')[0]!;
      const { token } = await create({ name: 'ci', permissions: ['deploy:write'] }, olga);
      const check = async () => (await s.req('GET', '/api/v1/auth/forward?permission=deploy:write', { headers: bearer(token) })).status;
      const from = s.lines().length;
      assert.deepEqual(await Promise.all(Array.from({ length: 12 }, check)), Array.from({ length: 12 }, () => 204), 'granted (and cached) everywhere');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(workersThatAnswered(s.lines(), from).size, 2);
      assert.equal((await s.req('PUT', '/api/v1/groups/ops/grants', { headers: admin, body: { roles: [], permissions: [] } })).status, 200);
      const r = await probeAfter(performance.now(), 400, async () => (await check()) === 204);
      report(`group grant removed: last granted request sent at (after ${r.probes} probes)`, r.lastAcceptedMs);
      assert.equal(r.acceptedLate, 0);
      assert.equal(await check(), 403);
    });

    test('a JWT signed by one worker verifies on both (one signing key, made by the primary before the fork)', async () => {
      const { token } = await create({ name: 'jwt-parent', access: 'read' });
      const jwts = await Promise.all(Array.from({ length: 4 }, async () => {
        const r = await s.req('POST', '/api/v1/auth/jwt', { headers: bearer(token), body: {} });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body.token as string;
      }));
      const from = s.lines().length;
      const rs = await Promise.all(jwts.flatMap((j) => [me(j), me(j), me(j)]));
      assert.deepEqual(rs.map((r) => r.status), rs.map(() => 200));
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(workersThatAnswered(s.lines(), from).size, 2);
    });

    test('usage limit exact: remaining 60, 240 concurrent verifications over both workers → exactly 60 VALID', async () => {
      const t = await create({ name: 'race', remaining: 60 });
      const from = s.lines().length;
      const rs = await Promise.all(Array.from({ length: 240 }, () => s.req('POST', '/api/v1/verify', { headers: { cookie }, body: { token: t.token } })));
      assert.ok(rs.every((r) => r.status === 200), `every verification answered: ${[...new Set(rs.map((r) => r.status))]}`);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(workersThatAnswered(s.lines(), from).size, 2, 'both workers took part');
      const valid = rs.filter((r) => r.body.code === 'VALID');
      assert.equal(valid.length, 60);
      assert.equal(rs.filter((r) => r.body.code === 'USAGE_EXCEEDED').length, 180);
      assert.deepEqual(valid.map((r) => r.body.usage.remaining).sort((a: number, b: number) => a - b), Array.from({ length: 60 }, (_, i) => i),
        'each use went to exactly one caller');
    });

    test('rate limit shared by the workers (no Redis: counted in the primary): limit 10, 40 requests → exactly 10 VALID', async () => {
      const t = await create({ name: 'rated', rate_limit: { limit: 10, window_seconds: 3600 } });
      const rs = await Promise.all(Array.from({ length: 40 }, () => s.req('POST', '/api/v1/verify', { headers: { cookie }, body: { token: t.token } })));
      assert.equal(rs.filter((r) => r.body.code === 'VALID').length, 10);
      assert.equal(rs.filter((r) => r.body.code === 'RATE_LIMITED').length, 30);
    });

    // Supervision does not depend on the store: run once, on SQLite (each restart costs a process start).
    test('a killed worker is restarted (logged) and the service keeps answering', { skip: store !== 'sqlite' }, async () => {
      const pids = s.workerPids();
      const victim = pids.get(2)!;
      // A job running on each worker (node id `<node>#w<n>`): the restarted worker fails only its own.
      const jobs = new Map<number, { id: number; node: string; tag: string }>();
      for (let i = 0; i < 12 && jobs.size < 2; i++) {
        const tag = `held-${process.pid}-${i}`;
        const r = await s.req('POST', '/api/v1/commands/hold/run', { headers: { cookie }, body: { args: [tag] } });
        assert.equal(r.status, 202, JSON.stringify(r.body));
        const n = Number(/#w(\d+)$/.exec(r.body.node)?.[1]);
        if (!jobs.has(n)) jobs.set(n, { ...r.body, tag });
      }
      assert.deepEqual([...jobs.keys()].sort(), [1, 2], 'a job on each worker');
      /** Whether a job's command still runs (its tag is on its `sh -c … <tag>` command line). */
      const runs = (n: number): boolean => spawnSync('pgrep', ['-f', jobs.get(n)!.tag]).status === 0;
      assert.ok(runs(1) && runs(2), 'both commands run');
      const from = s.lines().length;
      process.kill(victim, 'SIGKILL');
      const died = await s.waitForLine((l) => l.role === 'primary' && l.msg === 'worker died; restarting', from);
      assert.equal(died.worker, 2);
      assert.equal(died.signal, 'SIGKILL');
      // Its command does not outlive it (else a retry of the job its successor fails would run it twice).
      const killed = await s.waitForLine((l) => l.role === 'primary' && l.msg === 'killed the commands a dead worker left running', from);
      assert.deepEqual([killed.worker, killed.process_groups], [2, 1]);
      for (let i = 0; i < 40 && runs(2); i++) await new Promise((r) => setTimeout(r, 25));
      assert.equal(runs(2), false, 'the dead worker\'s command is gone');
      assert.equal(runs(1), true, 'worker 1\'s command still runs');
      // Meanwhile worker 1 answers everything.
      const { token } = await create({ name: 'during-restart' });
      const during = await Promise.all(Array.from({ length: 10 }, () => me(token)));
      assert.deepEqual(during.map((r) => r.status), during.map(() => 200));
      const back = await s.waitForLine((l) => l.role === 'primary' && l.msg === 'worker listening' && l.worker === 2, from);
      assert.notEqual(back.worker_pid, victim);
      assert.equal(s.workerPids().get(2), back.worker_pid);
      // The new worker takes requests and knows what was created meanwhile.
      await warm(token);
      const job = async (n: number) => (await s.req('GET', `/api/v1/jobs/${jobs.get(n)!.id}`, { headers: { cookie } })).body;
      assert.deepEqual([(await job(2)).status, (await job(2)).reason], ['failed', 'server restarted'], 'the dead worker\'s job, failed by its successor');
      assert.equal((await job(1)).status, 'running', 'worker 1\'s job is left alone');
    });

    test('SIGTERM to the primary drains every worker: a request under way is answered; all exit 0', async () => {
      const from = s.lines().length;
      // A token creation whose body is only half sent when the signal comes.
      const body = JSON.stringify({ name: 'in-flight' });
      const sock = connect(s.port, '127.0.0.1');
      await new Promise((r) => sock.once('connect', r));
      let answer = '';
      sock.on('data', (c) => { answer += c.toString('utf8'); });
      const closed = new Promise((r) => sock.once('close', r));
      sock.write(`POST /api/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);
      await new Promise((r) => setTimeout(r, 200));
      const stopping = s.stop();
      await s.waitForLine((l) => l.msg === 'shutting down' && l.worker !== undefined, from);
      sock.write(body.slice(5));
      await closed;
      assert.match(answer, /^HTTP\/1\.1 201 /, 'the request under way was answered');
      assert.equal(await stopping, 0);
      const stopped = s.lines().slice(from).filter((l) => l.role === 'primary' && l.msg === 'worker stopped');
      assert.deepEqual(stopped.map((l) => [l.worker, l.code]).sort(), [[1, 0], [2, 0]]);
    });
  });
};

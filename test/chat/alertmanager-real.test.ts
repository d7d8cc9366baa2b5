/**
 * A real Prometheus Alertmanager (Debian's prometheus-alertmanager) firing into POST /message, with
 * `message.refusal_status: 403`: an allowed command runs and posts to its channel; a command its user may no longer
 * run answers 403 (still posted to the channel), so Alertmanager logs a failed notification instead of a success.
 * (The default, 202 for a refusal, is seed 000's behaviour: seed000.test.ts.)
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { requireServices } from '../services.js';
import { type ChatServer, finished, messages, sh, startChatServer, tempDir, tokenNew } from './support.js';
import { freePort } from '../ports.js';

const AM = '/usr/bin/prometheus-alertmanager';
const have = spawnSync(AM, ['--version'], { stdio: 'ignore' }).status === 0;


const until = async <T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

if (!have) {
  if (requireServices()) test('alertmanager: prometheus-alertmanager is installed (TESSERA_REQUIRE_SERVICES=1)', () => { throw new Error(`${AM} not found: apt-get install -y prometheus-alertmanager`); });
  else test('real Alertmanager — SKIPPED: prometheus-alertmanager not installed (apt-get install -y prometheus-alertmanager; set TESSERA_REQUIRE_SERVICES=1 to fail instead)', { skip: true }, () => {});
} else {
  describe('a real Alertmanager firing into POST /message (message.refusal_status: 403)', () => {
    let s: ChatServer;
    let am: ChildProcess;
    let amLog = '';
    let amPort: number;
    let refusee: { id: number };
    const tmp = tempDir();

    before(async () => {
      s = await startChatServer({ message: { refusal_status: 403 } } as never);
      await s.h.createUser('pager', { groups: ['ops'] });
      refusee = await s.h.createUser('leaver', { groups: ['ops'] });
      const allowed = await tokenNew(s.h, 'token-new @pager #alerts alertenv');
      const refused = await tokenNew(s.h, 'token-new @leaver #alerts alertenv');
      // Taken away after the token was made: the refusal happens at use time.
      const patch = await s.h.req({ method: 'PATCH', url: `/api/v1/users/${refusee.id}`, headers: { cookie: s.h.adminCookie }, payload: { groups: [] } });
      assert.equal(patch.statusCode, 200, patch.body);
      const target = `${s.url.replace('localhost', '127.0.0.1')}/message`;
      const receiver = (name: string, token: string): string => `  - name: ${name}\n    webhook_configs:\n      - url: ${target}\n`
        + `        send_resolved: false\n        max_alerts: 0\n        http_config:\n          authorization:\n            credentials: ${token}\n`;
      const config = join(tmp.dir, 'alertmanager.yml');
      writeFileSync(config, 'route:\n  receiver: allowed\n  group_by: [alertname, target]\n  group_wait: 0s\n  group_interval: 1s\n  repeat_interval: 1h\n'
        + '  routes:\n    - matchers: [\'target="refused"\']\n      receiver: refused\nreceivers:\n'
        + receiver('allowed', allowed) + receiver('refused', refused));
      amPort = await freePort();
      am = spawn(AM, [`--config.file=${config}`, `--storage.path=${join(tmp.dir, 'data')}`, `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=', '--log.level=debug'], { stdio: ['ignore', 'pipe', 'pipe'] });
      am.stdout!.on('data', (c: Buffer) => { amLog += c.toString(); });
      am.stderr!.on('data', (c: Buffer) => { amLog += c.toString(); });
      await until('Alertmanager to be ready', async () => {
        if (am.exitCode !== null) throw new Error(`alertmanager exited: ${amLog}`);
        try { return (await fetch(`http://127.0.0.1:${amPort}/-/ready`)).ok ? true : undefined; } catch { return undefined; }
      });
    });
    after(async () => {
      if (am && am.exitCode === null) { const done = new Promise((r) => am.once('exit', r)); am.kill('SIGTERM'); await done; }
      await s?.close();
      tmp.remove();
    });

    const fire = async (alertname: string, target: string): Promise<void> => {
      const r = await fetch(`http://127.0.0.1:${amPort}/api/v2/alerts`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ labels: { alertname, target, severity: 'critical' }, annotations: { summary: `${alertname} fired` } }]),
      });
      assert.equal(r.status, 200, await r.text());
    };

    test('an allowed command runs with the alert in its environment and posts to its channel; Alertmanager logs success', async () => {
      await fire('DiskFull', 'allowed');
      const msg = await until('the job\'s message in #alerts', async () => (await messages(s.h, 'alerts')).find((m) => m.job_id !== null));
      const job = await finished(s.h, msg.job_id!);
      assert.equal(job.status, 'succeeded', job.reason);
      assert.match(job.output as string, /^ALERT_NAME=DiskFull$/m);
      assert.match(job.output as string, /^ALERT_LABEL_TARGET=allowed$/m);
      await until('Alertmanager\'s "Notify success"', async () => (/receiver=allowed .*msg="Notify success"/.test(amLog) ? true : undefined));
    });

    test('a command the user may not run: 403 to Alertmanager, which logs a failure; the refusal is still posted', async () => {
      const before = (await messages(s.h, 'alerts')).length;
      await fire('NodeDown', 'refused');
      const line = await until('Alertmanager to log the failed notification', async () =>
        amLog.split('\n').find((l) => /Notify for alerts failed/.test(l) && /403/.test(l)));
      assert.match(line, /err="refused\/webhook\[0\]: .*unexpected status code 403: .*FORBIDDEN.*may not run/);
      assert.doesNotMatch(amLog, /receiver=refused .*msg="Notify success"/, 'no success logged for the refused receiver');
      const posted = await until('the refusal in #alerts', async () => (await messages(s.h, 'alerts')).slice(before).find((m) => /was refused: user 'leaver' may not run 'alertenv'/.test(m.text)));
      assert.ok(posted.job_id !== null);
    });

    test('the same refusal over curl: 403 FORBIDDEN naming the job and the reason', async () => {
      const value = await tokenNew(s.h, 'token-new @pager #alerts fixed');
      const pager = (await s.h.req({ method: 'GET', url: '/api/v1/users', headers: { cookie: s.h.adminCookie } })).json().items.find((u: { username: string }) => u.username === 'pager');
      await s.h.req({ method: 'PATCH', url: `/api/v1/users/${pager.id}`, headers: { cookie: s.h.adminCookie }, payload: { groups: [] } });
      const r = await sh(`curl -s -X POST -H "TOKEN: $TOKEN" ${s.url}/message`, { TOKEN: value });
      assert.equal(r.status, 403, r.body);
      const e = JSON.parse(r.body).error;
      assert.equal(e.code, 'FORBIDDEN');
      assert.match(e.message, /^job \d+ refused: user 'pager' may not run 'fixed'/);
    });
  });
}

/**
 * Audit forwarding to syslog (issue 16, `audit.forward.syslog`): RFC 5424 messages received by a real rsyslogd
 * (Debian's `rsyslog`, started here with its own config: imudp + imtcp on loopback ports, omfile with a template
 * that prints the parsed fields), over UDP through a whole Tessera and over TCP through the sink. rsyslog accepts
 * both TCP framings, so a loopback server in the test also checks the RFC 6587 octet counting byte for byte.
 * Without /usr/sbin/rsyslogd the rsyslog suite skips visibly (fails with TESSERA_REQUIRE_SERVICES=1).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ForwardedAudit } from '../../src/core/ports.js';
import { formatSyslog, SD_ID, syslogSink } from '../../src/infra/syslog.js';
import { type Harness, startHarness } from '../helpers.js';
import { requireServices } from '../services.js';
import { freePort as anyFreePort } from '../ports.js';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const row = (over: Partial<ForwardedAudit> = {}): ForwardedAudit => ({
  id: 7, at: Date.parse('2026-12-05T10:11:12.345Z'), actorType: 'user', actorId: '1', actorName: 'Zoë "admin"', action: 'token.revoke',
  targetType: 'token', targetId: 'tok_abc', ip: '127.0.0.1', requestId: 'req_1', details: { note: 'a]b\\c' }, hash: 'ab'.repeat(32), ...over,
});

const freePort = (udp: boolean): Promise<number> => anyFreePort({ udp });

const until = async (check: () => boolean, ms = 5_000): Promise<void> => {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
};

test('the RFC 5424 message: PRI, version, timestamp, host, app, procid, msgid, escaped structured data, the row as JSON', () => {
  const m = formatSyslog(row(), { facility: 13, appName: 'tessera' }, 'host-1', 42);
  const json = JSON.stringify({ id: 7, at: '2026-12-05T10:11:12.345Z', actor: { type: 'user', id: '1', name: 'Zoë "admin"' }, action: 'token.revoke',
    target: { type: 'token', id: 'tok_abc' }, ip: '127.0.0.1', request_id: 'req_1', details: { note: 'a]b\\c' }, hash: 'ab'.repeat(32) });
  assert.equal(m, `<109>1 2026-12-05T10:11:12.345Z host-1 tessera 42 token.revoke [${SD_ID} id="7" action="token.revoke" actor="user:Zoë \\"admin\\"" hash="${'ab'.repeat(32)}"] ${json}`);
  const m2 = formatSyslog(row({ action: 'a b\tc'.repeat(10), hash: null }), { facility: 16, appName: 'x' }, 'h', 1);
  assert.ok(!m2.includes(' hash="'), 'no hash parameter for a row outside the chain');
  assert.match(m2, /^<133>1 \S+ h x 1 a_b_ca_b_ca_b_ca_b_ca_b_ca_b_ca_ \[audit@32473 id="7" action="[^"]+" actor=".+"\] /,
    'MSGID: printable ASCII, at most 32');
});

test('TCP frames use RFC 6587 octet counting: the byte length (UTF-8), a space, the message', async () => {
  const frames: string[] = [];
  let buf = Buffer.alloc(0);
  const server = createServer((s) => s.on('data', (c: Buffer) => {
    buf = Buffer.concat([buf, c]);
    for (;;) {
      const sp = buf.indexOf(0x20);
      if (sp < 0) break;
      const len = Number(buf.subarray(0, sp).toString('ascii'));
      assert.ok(Number.isInteger(len) && len > 0, `a frame starts with its length: ${buf.subarray(0, 20).toString()}`);
      if (buf.length < sp + 1 + len) break;
      frames.push(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
      buf = buf.subarray(sp + 1 + len);
    }
  }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sink = syslogSink({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, protocol: 'tcp', facility: 13, appName: 'tessera' });
  try {
    await sink.send([row(), row({ id: 8, action: 'token.create' })]);
    await sink.send([row({ id: 9 })]); // the same connection, later
    await until(() => frames.length === 3);
    assert.deepEqual(frames.map((f) => /^<109>1 \S+ \S+ tessera \d+ (\S+) \[audit@32473 id="(\d+)"/.exec(f)?.slice(1)), [['token.revoke', '7'], ['token.create', '8'], ['token.revoke', '9']]);
    assert.equal(buf.length, 0, 'nothing but whole frames');
  } finally {
    await sink.close();
    server.close();
  }
});

const haveRsyslog = existsSync(RSYSLOGD) || requireServices();
if (!haveRsyslog) test(`rsyslog — SKIPPED: ${RSYSLOGD} is missing (apt-get install -y rsyslog)`, { skip: true }, () => {});

if (haveRsyslog) {
  describe('a real rsyslogd receives the audit rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-rsyslog-'));
    const out = join(dir, 'out.log');
    let rsyslog: ChildProcess;
    let udpPort: number;
    let tcpPort: number;
    let h: Harness;
    const lines = (): string[][] => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => {
      const f = l.split('|');
      return [...f.slice(0, 7), f.slice(7).join('|')];
    }) : []);

    before(async () => {
      [udpPort, tcpPort] = [await freePort(true), await freePort(false)];
      writeFileSync(join(dir, 'rsyslog.conf'), [
        `global(workDirectory="${dir}")`,
        'module(load="imudp")', 'module(load="imtcp")',
        `input(type="imudp" address="127.0.0.1" port="${udpPort}")`,
        `input(type="imtcp" address="127.0.0.1" port="${tcpPort}")`,
        'template(name="fields" type="string" string="%pri%|%timereported:::date-rfc3339%|%hostname%|%app-name%|%procid%|%msgid%|%structured-data%|%msg%\\n")',
        `*.* action(type="omfile" file="${out}" template="fields")`, '',
      ].join('\n'));
      rsyslog = spawn(RSYSLOGD, ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let said = '';
      rsyslog.stdout!.on('data', (c: Buffer) => { said += c; });
      rsyslog.stderr!.on('data', (c: Buffer) => { said += c; });
      // Ready once its TCP input accepts (both inputs start together).
      await until(() => rsyslog.exitCode === null, 100);
      const t0 = Date.now();
      for (;;) {
        const ok = await new Promise<boolean>((r) => { const s = connect(tcpPort, '127.0.0.1', () => { s.destroy(); r(true); }); s.on('error', () => r(false)); });
        if (ok) break;
        if (rsyslog.exitCode !== null || Date.now() - t0 > 10_000) throw new Error(`rsyslogd did not start: ${said}`);
        await sleep(50);
      }
      await sleep(200);
      h = await startHarness({ audit: { retention_days: 365, forward: { syslog: { host: '127.0.0.1', port: udpPort, protocol: 'udp', facility: 13, app_name: 'tessera-test' }, queue_size: 100, retries: 1 } } });
    });
    after(async () => {
      await h?.close();
      rsyslog?.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    });

    test('over UDP, through Tessera: each row once, rsyslog parses every RFC 5424 field', async () => {
      const t = await h.adminToken({ name: 'to-syslog' });
      const rows = (await h.t.services.store.scanAudit(0, 100));
      await until(() => lines().length >= rows.length);
      await sleep(200);
      const got = lines();
      assert.equal(got.length, rows.length, 'each row once');
      const host = hostname().replace(/[^\x21-\x7e]/g, '_').slice(0, 255);
      got.forEach((f, i) => {
        const r = rows[i]!;
        assert.deepEqual(f.slice(0, 6).map((x, j) => (j === 1 ? Date.parse(x) : x)), ['109', r.at, host, 'tessera-test', String(process.pid), r.action]);
        assert.equal(f[6], `[${SD_ID} id="${r.id}" action="${r.action}" actor="${r.actorType}:${r.actorName ?? r.actorId ?? '-'}" hash="${r.hash}"]`);
        const msg = JSON.parse(f[7]!.trim());
        assert.deepEqual([msg.id, msg.action, msg.hash], [r.id, r.action, r.hash]);
      });
      assert.ok(got.some((f) => f[5] === 'token.create' && JSON.parse(f[7]!).target.id === t.id));
      assert.ok(!readFileSync(out, 'utf8').includes(t.token), 'no token value reaches syslog');
      assert.equal(h.t.auditForward.stats()[`syslog udp://127.0.0.1:${udpPort}`]!.sent, rows.length);
    });

    test('over TCP (octet counting): rsyslog takes each frame as one message, non-ASCII and brackets intact', async () => {
      const before = lines().length;
      const sink = syslogSink({ host: '127.0.0.1', port: tcpPort, protocol: 'tcp', facility: 16, appName: 'tessera' });
      try {
        await sink.send([row({ id: 101 }), row({ id: 102, action: 'token.create' })]);
      } finally {
        await sink.close();
      }
      await until(() => lines().length >= before + 2);
      const got = lines().slice(before);
      assert.deepEqual(got.map((f) => [f[0], f[5]]), [['133', 'token.revoke'], ['133', 'token.create']]);
      assert.equal(got[0]![6], `[${SD_ID} id="101" action="token.revoke" actor="user:Zoë \\"admin\\"" hash="${'ab'.repeat(32)}"]`);
      assert.deepEqual(JSON.parse(got[0]![7]!).details, { note: 'a]b\\c' });
      assert.equal(JSON.parse(got[0]![7]!).actor.name, 'Zoë "admin"');
    });

    test('a receiver that is gone: TCP failures are retried, then counted and logged', async () => {
      const port = await freePort(false);
      const d = await startHarness({ audit: { retention_days: 365, forward: { syslog: { host: '127.0.0.1', port, protocol: 'tcp', facility: 13, app_name: 'tessera' }, queue_size: 100, retries: 1 } } });
      try {
        const name = `syslog tcp://127.0.0.1:${port}`;
        await until(() => d.t.auditForward.stats()[name]!.failed >= 1);
        assert.equal(d.t.auditForward.stats()[name]!.sent, 0);
        const line = d.logs().split('\n').find((l) => l.includes('audit forwarding failed after retries'));
        assert.ok(line);
        assert.match(JSON.parse(line).reason, /ECONNREFUSED/);
        await d.close();
        const summary = d.logs().split('\n').find((l) => l.includes('audit forwarding: rows not forwarded during this run'));
        assert.ok(summary, 'the counts are logged at shutdown');
        assert.equal(JSON.parse(summary).sink, name);
        assert.ok(JSON.parse(summary).failed >= 1);
      } finally {
        await d.close();
      }
    });
  });
}

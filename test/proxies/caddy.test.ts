/** docs/proxies/Caddyfile in a real Caddy (Debian's), in front of a tiny upstream, with Tessera's `api` profiles. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Server } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { proxyCases, type ProxyUnderTest } from './cases.js';
import { call, freePort, haveBinary, renderDoc, startProcess, startTessera, startUpstream, stopProcess, tempDir, upstreamHeaders } from './support.js';

const CADDY = '/usr/bin/caddy';

if (haveBinary(CADDY, ['version'], 'caddy proxy', 'caddy')) {
  describe('Caddy forward_auth with docs/proxies/Caddyfile', () => {
    let p: ProxyUnderTest;
    let upstream: Server;
    let child: ChildProcess;
    const tmp = tempDir();
    before(async () => {
      const { h, port: tesseraPort } = await startTessera();
      const up = await startUpstream();
      upstream = up.server;
      const port = await freePort();
      const file = tmp.write('Caddyfile', renderDoc('Caddyfile', {
        'forward_auth 127.0.0.1:9696': `forward_auth 127.0.0.1:${tesseraPort}`,
        'reverse_proxy 127.0.0.1:3000': `reverse_proxy 127.0.0.1:${up.port}`,
        'http://:8081': `http://127.0.0.1:${port}`,
      }));
      // Caddy keeps its state under XDG_DATA_HOME/XDG_CONFIG_HOME: the temp dir, not the user's home.
      child = (await startProcess(CADDY, ['run', '--config', file, '--adapter', 'caddyfile'], port,
        { ...process.env, XDG_DATA_HOME: tmp.dir, XDG_CONFIG_HOME: tmp.dir, HOME: tmp.dir })).child;
      p = { port, h };
    });
    after(async () => {
      if (child) await stopProcess(child);
      upstream?.close();
      await p?.h.close();
      tmp.remove();
    });
    proxyCases('caddy', () => p);

    test('caddy: only the cookie named exactly tessera_session is cut; the others reach the app byte for byte, and no empty Cookie header', async () => {
      const { token } = await p.h.adminToken({ name: 'caddy-cookies', access: 'read' });
      for (const [sent, seen] of [
        ['my_tessera_session=keep; a=1', 'my_tessera_session=keep; a=1'],
        ['a=1; tessera_session=x; b=2', 'a=1; b=2'],
        ['tessera_session=x; a=1', 'a=1'],
        ['a=1; tessera_session=x', 'a=1'],
        ['a=1;tessera_session=x;b=2', 'a=1;b=2'],
        ['tessera_session=x; tessera_session=y; a=1', 'a=1'],
        ['tessera_sessionx=1; a=tessera_session=2', 'tessera_sessionx=1; a=tessera_session=2'],
        ['tessera_session=only', undefined],
      ] as const) {
        const r = await call(p.port, 'GET', '/app/x', { authorization: `Bearer ${token}`, cookie: sent });
        assert.equal(r.status, 200, r.body);
        assert.equal(upstreamHeaders(r).cookie, seen, `sent Cookie: ${sent}`);
      }
    });
  });
}

/** docs/proxies/Caddyfile in a real Caddy (Debian's), in front of a tiny upstream, with Tessera's `api` profiles. */
import { after, before, describe } from 'node:test';
import type { Server } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { proxyCases, type ProxyUnderTest } from './cases.js';
import { freePort, haveBinary, renderDoc, startProcess, startTessera, startUpstream, stopProcess, tempDir } from './support.js';

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
  });
}

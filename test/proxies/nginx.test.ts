/** docs/proxies/nginx.conf in a real nginx (Debian's), in front of a tiny upstream, with Tessera's `edge` profiles. */
import { after, before, describe } from 'node:test';
import type { Server } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { proxyCases, type ProxyUnderTest } from './cases.js';
import { freePort, haveBinary, renderDoc, startProcess, startTessera, startUpstream, stopProcess, tempDir } from './support.js';

const NGINX = '/usr/sbin/nginx';

if (haveBinary(NGINX, ['-v'], 'nginx proxy', 'nginx')) {
  describe('nginx auth_request with docs/proxies/nginx.conf', () => {
    let p: ProxyUnderTest;
    let upstream: Server;
    let child: ChildProcess;
    const tmp = tempDir();
    before(async () => {
      const { h, port: tesseraPort } = await startTessera();
      const up = await startUpstream();
      upstream = up.server;
      const port = await freePort();
      const server = renderDoc('nginx.conf', {
        'server 127.0.0.1:9696;': `server 127.0.0.1:${tesseraPort};`,
        'server 127.0.0.1:3000;': `server 127.0.0.1:${up.port};`,
        'listen 8080;': `listen 127.0.0.1:${port};`,
      });
      // The main file around the documented `http` part: everything in the temp dir, no root needed.
      const d = tmp.dir;
      tmp.write('server.conf', server);
      const main = tmp.write('nginx.conf', `daemon off;\nworker_processes 1;\npid ${d}/nginx.pid;\nerror_log ${d}/error.log warn;\n`
        + `events { worker_connections 256; }\nhttp {\n  access_log off;\n  client_body_temp_path ${d}/body;\n  proxy_temp_path ${d}/proxy;\n`
        + `  fastcgi_temp_path ${d}/fastcgi;\n  uwsgi_temp_path ${d}/uwsgi;\n  scgi_temp_path ${d}/scgi;\n  include ${d}/server.conf;\n}\n`);
      child = (await startProcess(NGINX, ['-p', d, '-c', main, '-e', `${d}/error.log`], port)).child;
      p = { port, h };
    });
    after(async () => {
      if (child) await stopProcess(child);
      upstream?.close();
      await p?.h.close();
      tmp.remove();
    });
    proxyCases('nginx', () => p);
  });
}

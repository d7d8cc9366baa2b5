/**
 * Real proxies in front of a tiny upstream, with Tessera's documented profiles: Tessera (the harness, listening on
 * loopback) configured with docs/proxies/tessera.yaml, an upstream that answers with the headers it received, and
 * the documented proxy config (docs/proxies/<file>) with only its addresses replaced — a doc that stops working fails
 * these tests. A missing proxy binary skips the suite with a message (fails with TESSERA_REQUIRE_SERVICES=1).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { type Harness, startHarness } from '../helpers.js';
import { requireServices } from '../services.js';

export const DOCS = join(import.meta.dirname, '..', '..', 'docs', 'proxies');

/** Whether `bin` runs; else registers the skipped (or failing) test and returns false. */
export const haveBinary = (bin: string, args: string[], suite: string, pkg: string): boolean => {
  const r = spawnSync(bin, args, { stdio: 'ignore' });
  if (r.status === 0) return true;
  if (requireServices()) test(`${suite}: ${bin} is installed (TESSERA_REQUIRE_SERVICES=1)`, () => { throw new Error(`${bin} not found: apt-get install -y ${pkg}`); });
  else test(`${suite} — SKIPPED: ${bin} not installed (apt-get install -y ${pkg}; set TESSERA_REQUIRE_SERVICES=1 to fail instead)`, { skip: true }, () => {});
  return false;
};

export { freePort } from '../ports.js';

/** The documented file with its addresses replaced; each must be found (else the doc changed: fix the test). */
export const renderDoc = (file: string, replace: Record<string, string>): string => {
  let text = readFileSync(join(DOCS, file), 'utf8');
  for (const [from, to] of Object.entries(replace)) {
    if (!text.includes(from)) throw new Error(`docs/proxies/${file} no longer contains '${from}'`);
    text = text.split(from).join(to);
  }
  return text;
};

/** Tessera with the documented profiles, listening on loopback. */
export const startTessera = async (): Promise<{ h: Harness; port: number }> => {
  const doc = parse(readFileSync(join(DOCS, 'tessera.yaml'), 'utf8')) as { forward_auth: never };
  // As docs/security.md prescribes behind one proxy: its address trusted for one hop, and the hosts it serves.
  const h = await startHarness({ forward_auth: doc.forward_auth, trust_proxy: 1, allowed_hosts: ['127.0.0.1', 'localhost'] });
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  return { h, port: (h.t.app.server.address() as { port: number }).port };
};

/** The app behind the proxy: answers 200 with the headers it received (JSON). */
export const startUpstream = async (): Promise<{ server: Server; port: number; seen: IncomingHttpHeaders[] }> => {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ headers: req.headers })); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, seen };
};

export interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

/** One request through the proxy (node:http: headers exactly as given, no cookie jar). */
export const call = (port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    r.on('error', reject);
    r.end();
  });

/** The headers the upstream saw on a 200 answered through the proxy. */
export const upstreamHeaders = (a: Answer): Record<string, string> => (JSON.parse(a.body) as { headers: Record<string, string> }).headers;

/** Starts a proxy process and waits until its port answers. */
export const startProcess = async (bin: string, args: string[], port: number, env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; output: () => string }> => {
  let out = '';
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const until = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${bin} exited (${child.exitCode}): ${out}`);
    try { await call(port, 'GET', '/__ready'); return { child, output: () => out }; } catch { /* not yet */ }
    if (Date.now() > until) { child.kill(); throw new Error(`${bin} did not listen on ${port}: ${out}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
};

export const stopProcess = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
};

export const tempDir = (): { dir: string; write(name: string, text: string): string; remove(): void } => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-proxy-'));
  return { dir, write: (name, text) => { const p = join(dir, name); writeFileSync(p, text); return p; }, remove: () => rmSync(dir, { recursive: true, force: true }) };
};

/** Tokens for the cases every proxy test checks. */
export const makeTokens = async (h: Harness): Promise<{ write: string; read: string; revoked: string; limited: string; service: string }> => {
  const write = (await h.adminToken({ name: 'proxy-write', access: 'write' })).token;
  const read = (await h.adminToken({ name: 'proxy-read', access: 'read' })).token;
  const rev = await h.adminToken({ name: 'proxy-revoked', access: 'full' });
  const del = await h.req({ method: 'DELETE', url: `/api/v1/tokens/${rev.id}`, headers: { cookie: h.adminCookie } });
  if (del.statusCode !== 200) throw new Error(`revoke: ${del.statusCode} ${del.body}`);
  const limited = (await h.adminToken({ name: 'proxy-limited', access: 'full', rate_limit: { limit: 1, window_seconds: 3600 } })).token;
  const service = (await h.adminToken({ name: 'proxy-service', kind: 'service', access: 'write' })).token;
  return { write, read, revoked: rev.token, limited, service };
};

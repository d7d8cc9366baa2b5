/**
 * Multi-node harness: real `tessera serve` processes (bin/tessera.js, spawned like a deployment would start them) on
 * one PostgreSQL database, each with its own data directory and port, sharing only the database and the secret key.
 * Every cluster gets a fresh schema (`t_<random>`), dropped at close; each node's connections carry the application
 * name `tessera-<schema>-<node>`, so a test can terminate exactly one node's backends.
 *
 * Usable by any multi-node test (revocation, usage-limit races): `const c = await startCluster(); c.a.req(...)`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freshSchema, pgAdmin, postgresReachable, postgresUrl, requireServices, type TestSchema } from '../services.js';
import { BIN, childEnv } from '../tessera-process.js';

export const ADMIN_PASSWORD = 'admin-password-1';

export interface Res { status: number; body: any; headers: Headers }

export interface Node {
  name: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The PostgreSQL application_name of this node's connections. */
  appName: string;
  req(method: string, path: string, o?: { headers?: Record<string, string>; body?: unknown }): Promise<Res>;
  /** Everything the process wrote (JSON log lines). */
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

export interface NodeOptions {
  name: string;
  /** The connection URL as given to the node (e.g. through a proxy); default: the schema's URL with this node's name. */
  databaseUrl?: string;
  env?: Record<string, string>;
}

export interface Cluster {
  schema: TestSchema;
  nodes: Node[];
  a: Node;
  b: Node;
  secretKey: string;
  /** Starts one more node on the same database. */
  start(o: NodeOptions): Promise<Node>;
  /** Session cookie header of `admin` on a node. */
  login(n: Node, username?: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Registers a skipped (or, with TESSERA_REQUIRE_SERVICES=1, failing) test when PostgreSQL cannot be reached.
 * Returns whether the suite can run.
 */
export const needPostgres = async (suite: string): Promise<boolean> => {
  if (await postgresReachable()) return true;
  if (requireServices()) test(`${suite}: PostgreSQL is reachable (TESSERA_REQUIRE_SERVICES=1)`, () => { throw new Error(`cannot connect to ${postgresUrl()}`); });
  else test(`${suite} — SKIPPED: PostgreSQL not reachable at ${postgresUrl()} (set TESSERA_REQUIRE_SERVICES=1 to fail instead)`, { skip: true }, () => {});
  return false;
};

const request = (base: string) => async (method: string, path: string, o: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Res> => {
  const headers: Record<string, string> = { ...o.headers };
  let body: string | undefined;
  if (o.body !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(o.body); }
  const r = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await r.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, body: parsed, headers: r.headers };
};

/** Spawns `tessera serve` on port 0 and resolves once it listens (the port is read from its log line). */
const spawnNode = (name: string, appName: string, env: Record<string, string>): Promise<Node> => new Promise((done, fail) => {
  const dataDir = mkdtempSync(join(tmpdir(), `tessera-node-${name}-`));
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...childEnv(), HOME: dataDir, TESSERA_HOST: '127.0.0.1', TESSERA_PORT: '0', TESSERA_DATA_DIR: dataDir,
      TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD, TESSERA_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let started = false;
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const onData = (c: Buffer): void => {
    out += c.toString('utf8');
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m && !started) {
      started = true;
      const url = m[1]!;
      done({
        name, url, appName, req: request(url), output: () => out,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const code = await exited;
          rmSync(dataDir, { recursive: true, force: true });
          return code;
        },
      });
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.on('error', fail);
  void exited.then((code) => { if (!started) { rmSync(dataDir, { recursive: true, force: true }); fail(new Error(`node ${name} exited with ${code} before listening:\n${out}`)); } });
});

/**
 * Starts `nodes` nodes (default 2, named a, b, …) on a fresh schema, all at the same moment (so they also race on
 * migrations and on creating the first admin and JWT key).
 */
export const startCluster = async (o: { nodes?: number; env?: Record<string, string> } = {}): Promise<Cluster> => {
  const schema = await freshSchema();
  const secretKey = randomBytes(32).toString('hex');
  const nodes: Node[] = [];
  const start = async (n: NodeOptions): Promise<Node> => {
    const appName = `tessera-${schema.name}-${n.name}`;
    const u = new URL(n.databaseUrl ?? schema.url(appName));
    u.searchParams.set('application_name', appName);
    const node = await spawnNode(n.name, appName, { TESSERA_DATABASE_URL: u.toString(), TESSERA_SECRET_KEY: secretKey, ...o.env, ...n.env });
    nodes.push(node);
    return node;
  };
  const names = Array.from({ length: o.nodes ?? 2 }, (_, i) => String.fromCharCode(97 + i));
  const settled = await Promise.allSettled(names.map((name) => start({ name })));
  const failed = settled.find((s) => s.status === 'rejected');
  const close = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    await schema.drop();
  };
  if (failed) {
    await close();
    throw (failed as PromiseRejectedResult).reason;
  }
  const login = async (n: Node, username = 'admin', password = ADMIN_PASSWORD): Promise<string> => {
    const r = await n.req('POST', '/api/v1/auth/login', { body: { username, password } });
    if (r.status !== 200) throw new Error(`login on ${n.name} failed: ${r.status} ${JSON.stringify(r.body)}`);
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('tessera_session='))!;
    return cookie.split(';')[0]!;
  };
  return { schema, nodes, a: nodes[0]!, b: nodes[1]!, secretKey, start, login, close };
};

/** Terminates every PostgreSQL backend of one node (its pool and its change feed); returns how many. */
export const terminateBackends = async (n: Node): Promise<number> => {
  const rows = await pgAdmin<{ ok: boolean }>('select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1', [n.appName]);
  return rows.length;
};

/** Polls `check` until it returns true; resolves with the milliseconds that took, or rejects after `limitMs`. */
export const pollUntil = async (check: () => Promise<boolean>, limitMs = 10_000): Promise<number> => {
  const t0 = performance.now();
  for (;;) {
    if (await check()) return performance.now() - t0;
    if (performance.now() - t0 > limitMs) throw new Error(`condition not met within ${limitMs} ms`);
  }
};

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

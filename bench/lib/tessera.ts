/**
 * Tessera as a real child process (`node dist/cli/index.js serve`, built from the tree; `BENCH_RUNTIME=tsx`: `node
 * --import tsx src/cli/index.ts serve`), pinned to the server core, plus the
 * API calls the benchmarks need to prepare it: log in, create tokens.
 */
import { join } from 'node:path';
import { type Child, freePort, sleep, startChild, tesseraArgs } from './proc.js';
import { json, pool, request } from './http.js';

export const ADMIN_PASSWORD = 'bench-admin-password';

export interface TesseraProcess {
  child: Child;
  url: string;
  dataDir: string;
  /** Milliseconds from spawn to the first `/readyz` 200. */
  startupMs: number;
}

export interface TesseraStart {
  dataDir: string;
  core: string;
  logLevel?: string;
  /** A YAML/JSON config file (TESSERA_CONFIG), for settings that have no environment variable. */
  configFile?: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  timeoutMs?: number;
  /** Where the server's stdout and stderr go (default: a file next to the data directory). */
  logFile?: string;
  /** A command the server runs under (e.g. `['valgrind', '--tool=callgrind']`): node becomes its last argument. */
  wrap?: string[];
}

/** Polls GET /readyz every 5 ms until it answers 200; returns when it does. */
export const waitReady = async (url: string, child: Child, timeoutMs: number): Promise<number> => {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exited()) throw new Error(`server exited during start-up:\n${child.output()}`);
    try {
      const r = await request(url, 'GET', '/readyz', { keepAlive: false, timeoutMs: 1000 });
      if (r.status === 200) return performance.now();
    } catch { /* not listening yet */ }
    await sleep(5);
  }
  throw new Error(`server not ready within ${timeoutMs} ms:\n${child.output()}`);
};

export const startTessera = async (o: TesseraStart): Promise<TesseraProcess> => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TESSERA_DATA_DIR: o.dataDir, TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD, TESSERA_LOG_LEVEL: o.logLevel ?? 'warn',
    TESSERA_PORT: String(port), TESSERA_HOST: '127.0.0.1',
    // The benchmarks give one user many tokens (more than the default quota of 1,000).
    TESSERA_MAX_TOKENS_PER_USER: '100000000',
  };
  delete env.TESSERA_CONFIG;
  if (o.configFile) env.TESSERA_CONFIG = o.configFile;
  const [cmd, ...pre] = o.wrap !== undefined && o.wrap.length > 0 ? [...o.wrap, process.execPath] : [process.execPath];
  const child = startChild(cmd!, [...pre, ...tesseraArgs(o.nodeFlags), 'serve'],
    { core: o.core, env, logFile: o.logFile ?? join(o.dataDir, '..', `server-${port}.log`) });
  const url = `http://127.0.0.1:${port}`;
  try {
    const readyAt = await waitReady(url, child, o.timeoutMs ?? 120_000);
    return { child, url, dataDir: o.dataDir, startupMs: readyAt - child.spawnedAt };
  } catch (e) {
    await child.stop();
    throw e;
  }
};

/** Logs in as admin; returns the Cookie header value. */
export const login = async (url: string): Promise<string> => {
  const r = await request(url, 'POST', '/api/v1/auth/login', { json: { username: 'admin', password: ADMIN_PASSWORD } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.body}`);
  const set = r.headers['set-cookie'] ?? [];
  const c = set.map((s) => s.split(';')[0]!).find((s) => s.startsWith('tessera_session='));
  if (!c) throw new Error('login: no session cookie');
  return c;
};

export const createToken = async (url: string, headers: Record<string, string>, body: Record<string, unknown>): Promise<{ id: string; token: string }> =>
  json<{ id: string; token: string }>(await request(url, 'POST', '/api/v1/tokens', { headers, json: body }), 'create token', 201);

/**
 * Prepares a fresh server: logs in, creates one admin token with full access (the caller of /verify) and `count`
 * tokens (access write) whose values are returned.
 */
export const prepareTokens = async (url: string, count: number): Promise<{ caller: string; values: string[] }> => {
  const cookie = await login(url);
  const caller = (await createToken(url, { cookie }, { access: 'full', name: 'bench-caller' })).token;
  const auth = { authorization: `Bearer ${caller}` };
  const values = await pool(count, 8, async () => (await createToken(url, auth, { access: 'write' })).token);
  return { caller, values };
};

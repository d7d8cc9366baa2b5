/**
 * Test harness: a real Tessera (SQLite in a temporary directory) driven in-process with fastify's inject().
 * No mocks: the store, hashing and crypto are the real ones; only the clock can be moved.
 * With TESSERA_TEST_STORE=postgres every harness gets a fresh PostgreSQL schema instead (dropped at close).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import { createTessera, type Tessera } from '../src/main.js';
import { freshSchema, pgProxy, type TcpProxy, type TestSchema, testStore } from './services.js';

export const ADMIN_PASSWORD = 'admin-password-1';

/** A clock tests can move forward. */
export class TestClock {
  constructor(public t = Date.now()) {}
  now = (): number => this.t;
  advance(ms: number): void { this.t += ms; }
}

export interface Harness {
  t: Tessera;
  dir: string;
  clock: TestClock;
  logs: () => string;
  req(o: InjectOptions): Promise<LightMyRequestResponse>;
  /** Session cookie header value for a login. */
  login(username: string, password: string): Promise<string>;
  adminCookie: string;
  /** A token of the admin with the given body (default access full). */
  adminToken(body?: Record<string, unknown>): Promise<{ id: string; token: string }>;
  createUser(username: string, opts?: { role?: 'admin' | 'user'; groups?: string[]; password?: string }): Promise<{ id: number; cookie: string; token: string; tokenId: string }>;
  close(): Promise<void>;
}

/** Config keys to set; a nested group (e.g. `tokens`) may name only some of its keys: loadConfig fills in the defaults. */
export type HarnessOverrides = { [K in keyof Config]?: Config[K] extends readonly unknown[] ? Config[K] : Config[K] extends object ? Partial<Config[K]> : Config[K] };

export const startHarness = async (overrides: HarnessOverrides = {}): Promise<Harness> => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-test-'));
  const schema: TestSchema | null = testStore() === 'postgres' && overrides.database_url === undefined ? await freshSchema() : null;
  if (schema) overrides = { database_url: schema.url(`tessera-${schema.name}`), ...overrides };
  const config = loadConfig({}, {
    data_dir: dir, log_level: 'info', admin_password: ADMIN_PASSWORD, usage_flush_ms: 50,
    // Cheap hashing keeps tests fast; production defaults are argon2id 19 MiB / 2 passes. No shutdown grace either (a
    // test's fetch keeps idle connections, which each close would wait for): test/api/shutdown.test.ts sets its own.
    password_hash: { memory_kib: 1024, iterations: 1 }, http: { shutdown_grace_ms: 0 } as Config['http'], ...(overrides as Partial<Config>),
  });
  const clock = new TestClock();
  let logText = '';
  const logStream = new PassThrough();
  logStream.on('data', (c: Buffer) => { logText += c.toString('utf8'); });
  let t: Tessera;
  try {
    t = await createTessera(config, { clock, logStream });
  } catch (e) {
    await schema?.drop();
    throw e;
  }
  await t.services.users.bootstrapAdmin(ADMIN_PASSWORD);
  const req = (o: InjectOptions) => t.app.inject(o);
  const login = async (username: string, password: string): Promise<string> => {
    const r = await req({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    if (r.statusCode !== 200) throw new Error(`login failed: ${r.statusCode} ${r.body}`);
    const c = r.cookies.find((k) => k.name === 'tessera_session');
    return `tessera_session=${c!.value}`;
  };
  const adminCookie = await login('admin', ADMIN_PASSWORD);
  const h: Harness = {
    t, dir, clock, req, login, adminCookie,
    logs: () => logText,
    async adminToken(body = {}) {
      const r = await req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: adminCookie }, payload: { access: 'full', ...body } });
      if (r.statusCode !== 201) throw new Error(`token create failed: ${r.statusCode} ${r.body}`);
      return { id: r.json().id, token: r.json().token };
    },
    async createUser(username, opts = {}) {
      const password = opts.password ?? `${username}-password`;
      const r = await req({ method: 'POST', url: '/api/v1/users', headers: { cookie: adminCookie },
        payload: { username, password, role: opts.role ?? 'user', groups: opts.groups ?? [] } });
      if (r.statusCode !== 201) throw new Error(`user create failed: ${r.statusCode} ${r.body}`);
      const cookie = await login(username, password);
      const tr = await req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { access: 'full', name: `${username}-main` } });
      return { id: r.json().id, cookie, token: tr.json().token, tokenId: tr.json().id };
    },
    async close() {
      await t.close();
      await schema?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
};

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Runs SQL on the harness's database through a connection of the test's own (not the server's): SQLite or PostgreSQL. */
export const onDatabase = async (h: Harness, text: string): Promise<void> => {
  const url = h.t.config.database_url;
  if (url === undefined) {
    const db = new Database(join(h.dir, 'tessera.db'));
    try { db.exec(text); } finally { db.close(); }
    return;
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { await c.query(text); } finally { await c.end(); }
};

/**
 * A harness on a fresh PostgreSQL schema reached through a TCP proxy the test can cut or freeze (services.ts
 * `pgProxy`); `close` ends the harness, the proxy and the schema.
 */
export const startProxiedHarness = async (overrides: HarnessOverrides = {}): Promise<{ h: Harness; proxy: TcpProxy; close(): Promise<void> }> => {
  const schema = await freshSchema();
  const proxy = await pgProxy();
  const u = new URL(schema.url(`tessera-${schema.name}`));
  u.host = `127.0.0.1:${proxy.port}`;
  const h = await startHarness({ database_url: u.toString(), ...overrides });
  return { h, proxy, close: async () => { proxy.freeze(false); await h.close(); await proxy.close(); await schema.drop(); } };
};

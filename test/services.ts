/** Where the external services of these machines are, and whether a suite must fail (not skip) without them. */
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';
import { test } from 'node:test';

export const requireServices = (): boolean => process.env.TESSERA_REQUIRE_SERVICES === '1';
export const postgresUrl = (): string => process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const redisUrl = (): string => process.env.TESSERA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Which store the HTTP suites run on: `TESSERA_TEST_STORE=postgres` (scripts/test.mjs sets it for the second run). */
export const testStore = (): 'sqlite' | 'postgres' => (process.env.TESSERA_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite');

export const postgresReachable = async (url = postgresUrl()): Promise<boolean> => {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  c.on('error', () => undefined);
  try { await c.connect(); await c.end(); return true; } catch { return false; }
};

/** Runs one statement on the test database with a short-lived connection. */
export const pgAdmin = async <T extends pg.QueryResultRow = any>(text: string, values: unknown[] = []): Promise<T[]> => {
  const c = new pg.Client({ connectionString: postgresUrl() });
  c.on('error', () => undefined);
  await c.connect();
  try { return (await c.query<T>(text, values)).rows; } finally { await c.end(); }
};

/**
 * PostgreSQL itself raises the error `code` on the next `times` matching writes to `table` of the schema: a trigger
 * (`before <on>`, for each row or statement; `when`, a condition on `new`, for rows) that counts with a sequence —
 * nextval is not undone by the failing statement's rollback, so the count survives the failure. Resolves with the
 * undo (drops the trigger, its function and the sequence).
 */
export const failWrites = async (schema: string, o: { table: string; on: 'insert' | 'update'; each: 'row' | 'statement'; when?: string; code: string; message: string; times: number }): Promise<() => Promise<void>> => {
  const name = `fail_${o.on}_${o.table}`;
  await pgAdmin(`create sequence ${schema}.${name}_seq`);
  await pgAdmin(`create function ${schema}.${name}() returns trigger language plpgsql as $$
    begin
      if ${o.when ? `(${o.when}) and ` : ''}nextval('${schema}.${name}_seq') <= ${o.times} then
        raise exception '${o.message.replaceAll("'", "''")}' using errcode = '${o.code}';
      end if;
      return new;
    end $$`);
  await pgAdmin(`create trigger ${name} before ${o.on} on ${schema}.${o.table} for each ${o.each} execute function ${schema}.${name}()`);
  return async () => {
    await pgAdmin(`drop trigger ${name} on ${schema}.${o.table}`);
    await pgAdmin(`drop function ${schema}.${name}()`);
    await pgAdmin(`drop sequence ${schema}.${name}_seq`);
  };
};

/** An empty schema of its own (`t_<random>`), and a connection URL that uses it. Drop it with `drop()`. */
export interface TestSchema { name: string; url(applicationName?: string): string; drop(): Promise<void> }

export const freshSchema = async (): Promise<TestSchema> => {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await pgAdmin(`create schema ${name}`);
  return {
    name,
    url(applicationName) {
      const u = new URL(postgresUrl());
      u.searchParams.set('options', `-c search_path=${name}`);
      if (applicationName) u.searchParams.set('application_name', applicationName);
      return u.toString();
    },
    async drop() {
      // Connections of nodes that did not close cleanly would block the drop for their locks: end them first.
      await pgAdmin(`select pg_terminate_backend(pid) from pg_stat_activity where application_name like $1 and pid <> pg_backend_pid()`, [`%${name}%`]);
      await pgAdmin(`drop schema if exists ${name} cascade`);
    },
  };
};

/** Every row of every table of the database at `url` (its current schema) as JSON text, by table; empty without a URL. */
export const databaseText = async (url: string | undefined): Promise<Map<string, string>> => {
  if (url === undefined) return new Map();
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    const tables = await c.query<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = current_schema()`);
    const out = new Map<string, string>();
    for (const { t } of tables.rows) {
      const rows = await c.query<{ j: string }>(`select row_to_json(x)::text as j from ${c.escapeIdentifier(t)} x`);
      out.set(`table ${t}`, rows.rows.map((r) => r.j).join('\n'));
    }
    return out;
  } finally {
    await c.end();
  }
};

/** Whether Redis answers PING at `url` (2 s timeout, no retries). */
export const redisReachable = async (url = redisUrl()): Promise<boolean> => {
  const c = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  c.on('error', () => undefined);
  try { await c.connect(); return (await c.ping()) === 'PONG'; } catch { return false; } finally { c.disconnect(); }
};

/**
 * Registers a skipped (or, with TESSERA_REQUIRE_SERVICES=1, failing) test when Redis cannot be reached.
 * Returns whether the suite can run.
 */
export const requireRedis = async (suite: string): Promise<boolean> => {
  if (await redisReachable()) return true;
  if (requireServices()) test(`${suite}: Redis is reachable (TESSERA_REQUIRE_SERVICES=1)`, () => { throw new Error(`cannot connect to ${redisUrl()}`); });
  else test(`${suite} — SKIPPED: Redis not reachable at ${redisUrl()} (set TESSERA_REQUIRE_SERVICES=1 to fail instead)`, { skip: true }, () => {});
  return false;
};

export interface TcpProxy { port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void>; freeze(frozen: boolean): void }

/** A TCP proxy to PostgreSQL (see `tcpProxy`). */
export const pgProxy = (): Promise<TcpProxy> => tcpProxy(postgresUrl());

/**
 * A TCP proxy to the service at `url` that the test can cut (reset every connection, refuse new ones) and restore, or
 * freeze: nothing passes either way and nothing is closed, as when a network silently drops every packet.
 */
export const tcpProxy = async (url: string): Promise<TcpProxy> => {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  let frozen = false;
  let server: Server;
  const listen = (port: number) => new Promise<number>((done) => {
    server = createServer((down) => {
      const up = connect(Number(target.port || (target.protocol.startsWith('redis') ? 6379 : 5432)), target.hostname);
      // Whatever ends one side (a close, a reset) ends the other, as a real connection would.
      for (const [s, other] of [[down, up], [up, down]] as const) {
        sockets.add(s);
        s.on('close', () => { sockets.delete(s); other.destroy(); });
        s.on('error', () => other.destroy());
      }
      down.on('data', (c: Buffer) => { if (!frozen) up.write(c); });
      up.on('data', (c: Buffer) => { if (!frozen) down.write(c); });
    });
    server.listen(port, '127.0.0.1', () => done((server.address() as { port: number }).port));
  });
  const port = await listen(0);
  const cut = async () => {
    await new Promise<void>((done) => { server.close(() => done()); for (const s of sockets) s.resetAndDestroy(); });
  };
  return { port, cut, restore: async () => { await listen(port); }, close: cut, freeze: (f) => { frozen = f; } };
};

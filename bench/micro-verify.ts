/**
 * In-process micro-benchmarks of the verification path (started pinned to one core by bench/run.ts):
 *   node --import tsx bench/micro-verify.ts <iterations> <out.json>
 * Builds the real services with createTessera (SQLite in a temporary directory, logging off), creates tokens through
 * app.inject, then times Verifier.verify on a cache hit — the figure the issue targets (≥ 500k/s) — and, to show where
 * a verification's time goes, its parts, the cache-miss path (Kysely vs. a raw better-sqlite3 statement) and a whole
 * HTTP request without sockets (inject), and the hot lane's own work per request (a request object handed straight
 * to HotLane.handle). Every loop is bounded by a count and by time.
 */
import * as crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { loadConfig } from '../src/config/load.js';
import { generateTokenValue, hashValue, isWellFormed, sameHash } from '../src/core/tokens/format.js';
import { publicToken } from '../src/core/tokens/verifier.js';
import { cryptoRandom } from '../src/infra/system.js';
import { parseQuery } from '../src/core/authz/query.js';
import { createTessera } from '../src/main.js';
import type { Database as Schema } from '../src/store/schema.js';
import { SqlStore } from '../src/store/sql-store.js';

export interface MicroResult {
  name: string; ops: number; seconds: number; opsPerSec: number; nsPerOp: number;
  /** CPU time of this process over the loop: on a shared core, ops per CPU-second is what a whole core would do. */
  cpuSeconds: number; opsPerCpuSec: number;
  /** Ops per wall second over all rounds (the figures above are the fastest round's). */
  allRounds: number;
  note?: string;
}

const PASSWORD = 'micro-bench-password';
const [iterArg, outFile] = process.argv.slice(2);
const N = Number(iterArg ?? 1_000_000);
if (!Number.isInteger(N) || N < 1000) throw new Error('usage: micro-verify.ts <iterations ≥ 1000> [out.json]');
const MAX_MS = 8_000;
const ROUNDS = 5;

let sink = 0;
const consume = (v: unknown): void => { if (v === null) sink++; };

/**
 * Times `fn` for at most `n` calls and `maxMs` milliseconds, after a warm-up of n/10 calls (≤ 1 s), in ROUNDS rounds
 * of n/ROUNDS calls; the figures are those of the fastest round (by CPU time). The machine is shared: a neighbour's
 * burst slows one round, and the fastest round is the best estimate of the undisturbed cost. `allRounds` keeps the
 * whole-run rate for comparison.
 */
const bench = async (name: string, fn: (i: number) => unknown, o: { n?: number; maxMs?: number; async?: boolean; note?: string } = {}): Promise<MicroResult> => {
  const n = o.n ?? N;
  const maxMs = o.maxMs ?? MAX_MS;
  const run = async (count: number, budgetMs: number): Promise<[number, number, number]> => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let i = 0;
    if (o.async) {
      for (; i < count; i++) {
        consume(await fn(i));
        if ((i & 1023) === 1023 && performance.now() - t0 > budgetMs) { i++; break; }
      }
    } else {
      for (; i < count; i++) {
        consume(fn(i));
        if ((i & 1023) === 1023 && performance.now() - t0 > budgetMs) { i++; break; }
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    return [i, seconds, (c.user + c.system) / 1e6];
  };
  await run(Math.max(1, Math.floor(n / 10)), 1000);
  let best: [number, number, number] | null = null;
  let allOps = 0;
  let allSeconds = 0;
  for (let k = 0; k < ROUNDS; k++) {
    const round = await run(Math.max(1, Math.floor(n / ROUNDS)), maxMs / ROUNDS);
    allOps += round[0];
    allSeconds += round[1];
    if (best === null || round[2] / round[0] < best[2] / best[0]) best = round;
  }
  const [ops, seconds, cpuSeconds] = best!;
  const r: MicroResult = {
    name, ops, seconds, opsPerSec: ops / seconds, nsPerOp: (seconds * 1e9) / ops, cpuSeconds, opsPerCpuSec: ops / cpuSeconds,
    allRounds: allOps / allSeconds, ...(o.note ? { note: o.note } : {}),
  };
  process.stderr.write(`  ${name.padEnd(52)} ${Math.round(r.opsPerSec).toLocaleString('en-US').padStart(12)} /s ${r.nsPerOp.toFixed(0).padStart(8)} ns`
    + ` ${Math.round(r.opsPerCpuSec).toLocaleString('en-US').padStart(12)} /CPU-s  (all rounds ${Math.round(r.allRounds).toLocaleString('en-US')} /s)\n`);
  return r;
};

const dir = mkdtempSync(join(tmpdir(), 'tessera-micro-'));
const config = loadConfig({}, { data_dir: dir, log_level: 'silent', admin_password: PASSWORD, password_hash: { memory_kib: 1024, iterations: 1 }, max_tokens_per_user: 100_000_000 });
const t = await createTessera(config);
const results: MicroResult[] = [];
try {
  await t.services.users.bootstrapAdmin(PASSWORD);
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: PASSWORD } });
  const cookie = `tessera_session=${login.cookies.find((c) => c.name === 'tessera_session')!.value}`;
  const create = async (body: Record<string, unknown>): Promise<string> => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: body });
    if (r.statusCode !== 201) throw new Error(`create: ${r.statusCode} ${r.body}`);
    return (r.json() as { token: string }).token;
  };
  const caller = await create({ access: 'full', name: 'micro-caller' });
  const values: string[] = [];
  for (let i = 0; i < 1000; i++) values.push(await create({ access: 'write' }));
  const random = cryptoRandom();
  const unknown = Array.from({ length: 1000 }, () => generateTokenValue(random, 'tsr_'));
  // Malformed: the Tessera prefix with a bad shape (values without the prefix are looked up since issue 17: `unknown`).
  const malformed = Array.from({ length: 1000 }, (_, i) => `tsr_garbage-${i}-${'x'.repeat(i % 40)}`);
  const v = (i: number): string => values[i % values.length]!;
  const { verifier, auth, store } = t.services;
  for (const x of values) await verifier.verify(x);
  for (const x of unknown) await verifier.verify(x);
  const hashes = values.map(hashValue);
  const lookup = (await store.findBySecretHash(hashes[0]!))!;
  const record = lookup.token;

  process.stderr.write('micro-benchmarks (one core):\n');
  results.push(await bench('floor: await of an async no-op', async () => 1, { async: true }));
  results.push(await bench('Verifier.verify, valid, cache hit', (i) => verifier.verify(v(i)), { async: true }));
  // Issue 14: the same cache hits with a 3-name permission query (granted by the tokens' access level, so VALID).
  const query = parseQuery({ and: ['tessera:read', { or: ['tessera:write', 'tessera:full'] }] });
  results.push(await bench('Verifier.verify, valid, cache hit, 3-name permission query', (i) => verifier.verify(v(i), { query }), { async: true }));
  results.push(await bench('Verifier.verify, malformed', (i) => verifier.verify(malformed[i % 1000]!), { async: true }));
  results.push(await bench('Verifier.verify, unknown, negative cache hit', (i) => verifier.verify(unknown[i % 1000]!), { async: true }));
  results.push(await bench('AuthService.authenticate, token, cache hit', (i) => auth.authenticate({ type: 'token', value: v(i) }), { async: true }));
  results.push(await bench('part: isWellFormed (CRC32 + base62)', (i) => isWellFormed(v(i), 'tsr_')));
  results.push(await bench('part: hashValue (createHash sha256 hex)', (i) => hashValue(v(i))));
  const oneShot = (crypto as unknown as { hash?: (alg: string, data: string, enc: string) => string }).hash;
  if (oneShot) results.push(await bench('alt: crypto.hash(sha256, hex) one-shot', (i) => oneShot('sha256', v(i), 'hex')));
  results.push(await bench('part: sameHash (2 Buffer.from + timingSafeEqual)', (i) => sameHash(hashes[i % 1000]!, hashes[i % 1000]!)));
  results.push(await bench('part: publicToken (object rest copy)', () => publicToken(record)));
  results.push(await bench('part: UsageRecorder.hit', (i) => t.services.usage.hit(record.id + (i & 0))));

  const missN = Math.min(N, 200_000);
  results.push(await bench('miss: store.findBySecretHash (Kysely)', (i) => store.findBySecretHash(hashes[i % 1000]!), { async: true, n: missN }));
  const raw = new Database(join(dir, 'tessera.db'), { readonly: true });
  const rawStmt = raw.prepare(`select t.*, s.hash as s_hash, s.expires_at as s_expires_at, u.id as u_id, u.username as u_username,
    u.username_key as u_username_key, u.email as u_email, u.role as u_role, u.groups as u_groups, u.disabled as u_disabled,
    u.created_at as u_created_at, u.updated_at as u_updated_at
    from token_secrets as s inner join tokens as t on t.id = s.token_id left join users as u on u.id = t.owner_id where s.hash = ?`);
  results.push(await bench('alt: same query, raw better-sqlite3 statement', (i) => rawStmt.get(hashes[i % 1000]!), { n: missN }));
  raw.close();
  // The same SqlStore over a Kysely whose SQLite handle keeps prepared statements by SQL text (a possible fix: Kysely's
  // SqliteDriver prepares every query again).
  const sqlite = new Database(join(dir, 'tessera.db'));
  const statements = new Map<string, Database.Statement>();
  const caching = {
    prepare: (q: string): Database.Statement => {
      let st = statements.get(q);
      if (!st) { st = sqlite.prepare(q); statements.set(q, st); }
      return st;
    },
    close: (): void => { sqlite.close(); },
  };
  const kc = new Kysely<Schema>({ dialect: new SqliteDialect({ database: caching as unknown as Database.Database }) });
  const cachedStore = new SqlStore(kc, { uniqueViolation: () => null, foreignKeyViolation: () => false, close: async () => undefined });
  results.push(await bench('alt: findBySecretHash, Kysely + statement cache', (i) => cachedStore.findBySecretHash(hashes[i % 1000]!), { async: true, n: missN }));
  // …and with the query built and compiled once (only the parameter changes per call).
  const compiled = kc.selectFrom('token_secrets as s').innerJoin('tokens as t', 't.id', 's.token_id').leftJoin('users as u', 'u.id', 't.owner_id')
    .selectAll('t').select(['s.hash as s_hash', 's.expires_at as s_expires_at', 'u.id as u_id', 'u.username as u_username',
      'u.username_key as u_username_key', 'u.email as u_email', 'u.role as u_role', 'u.groups as u_groups', 'u.disabled as u_disabled',
      'u.created_at as u_created_at', 'u.updated_at as u_updated_at'])
    .where('s.hash', '=', '').compile();
  results.push(await bench('alt: same, query compiled once + statement cache', (i) => kc.executeQuery(CompiledQuery.raw(compiled.sql, [hashes[i % 1000]!])), { async: true, n: missN }));
  sqlite.close();
  const fresh = Array.from({ length: missN }, () => generateTokenValue(random, 'tsr_'));
  results.push(await bench('Verifier.verify, unknown, fresh (SQLite secret filter)', (i) => verifier.verify(fresh[i % missN]!), { async: true, n: missN }));
  for (const x of values) await verifier.verify(x);

  const injectN = Math.min(N, 20_000);
  const bearer = { authorization: `Bearer ${caller}` };
  // The hot lane's own work for one request (hot-lane.ts), without sockets: what Tessera adds to the node:http work that
  // the baseline server does too. A request is an EventEmitter with the lane's fields; the answer ends in `res.end`.
  const lane = t.app.hotLane;
  const laneCall = (path: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<void> => new Promise((resolve) => {
    const req = Object.assign(new EventEmitter(), { url: path, method, headers: { host: 'bench', ...headers }, socket: {} });
    const res = { writeHead: () => res, end: () => resolve() };
    if (!lane.handle(req as never, res as never)) throw new Error(`the lane did not take ${method} ${path}`);
    if (body) { req.emit('data', body); req.emit('end'); }
  });
  const laneVerify = (value: string, extra = ''): Promise<void> => {
    const body = Buffer.from(`{"token":"${value}"${extra}}`);
    return laneCall('/api/v1/verify', 'POST', { ...bearer, 'content-type': 'application/json', 'content-length': String(body.length) }, body);
  };
  const laneForward = (value: string): Promise<void> => laneCall('/api/v1/auth/forward', 'GET', { authorization: `Bearer ${value}` });
  const laneN = Math.min(N, 500_000);
  const freshLane = Array.from({ length: laneN }, () => generateTokenValue(random, 'tsr_'));
  results.push(await bench('lane: POST /api/v1/verify, valid (no socket)', (i) => laneVerify(v(i)), { async: true, n: laneN }));
  const laneQuery = ',"permissions":{"and":["tessera:read",{"or":["tessera:write","tessera:full"]}]}';
  results.push(await bench('lane: POST /api/v1/verify, valid, 3-name query (no socket)', (i) => laneVerify(v(i), laneQuery), { async: true, n: laneN }));
  results.push(await bench('lane: POST /api/v1/verify, malformed (no socket)', (i) => laneVerify(malformed[i % 1000]!), { async: true, n: laneN }));
  results.push(await bench('lane: POST /api/v1/verify, unknown, fresh (no socket)', (i) => laneVerify(freshLane[i % laneN]!), { async: true, n: laneN }));
  results.push(await bench('lane: GET /api/v1/auth/forward, valid (no socket)', (i) => laneForward(v(i)), { async: true, n: laneN }));
  results.push(await bench('lane: GET /api/v1/auth/forward, malformed (no socket)', (i) => laneForward(malformed[i % 1000]!), { async: true, n: laneN }));
  results.push(await bench('lane: GET /api/v1/auth/forward, unknown, fresh (no socket)', (i) => laneForward(freshLane[(i + 7) % laneN]!), { async: true, n: laneN }));
  results.push(await bench('inject: POST /api/v1/verify (valid, no socket)', (i) => t.app.inject({
    method: 'POST', url: '/api/v1/verify', headers: { ...bearer, 'content-type': 'application/json' }, payload: `{"token":"${v(i)}"}`,
  }), { async: true, n: injectN }));
  results.push(await bench('inject: GET /api/v1/auth/forward (valid, no socket)', (i) => t.app.inject({
    method: 'GET', url: '/api/v1/auth/forward', headers: { authorization: `Bearer ${v(i)}` },
  }), { async: true, n: injectN }));
  results.push(await bench('inject: GET /healthz (framework floor, no socket)', () => t.app.inject({ method: 'GET', url: '/healthz' }), { async: true, n: injectN }));
} finally {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
}
if (outFile) writeFileSync(outFile, JSON.stringify({ iterations: N, results, sink }));

/**
 * The cold path in process, without sockets: what one verification costs when every token is seen for the first time,
 * and what writing its use costs afterwards (bench/README.md, "Cold path").
 *
 *   taskset -c 1 node --import tsx bench/cold.ts [tokens=1000000] [requests=50000]
 *
 * Builds a store with createTessera (a caller token made through the API), adds `tokens` rows with seed-store.ts,
 * reopens it, then times on the hot lane (HotLane.handle with a request object, as micro-verify.ts does)
 * `POST /api/v1/verify` of tokens drawn at random from all of them: nearly every one a first sighting, so a store
 * lookup (this loop never yields: the lookups share read transactions, 256 at a time). Then the lookup alone:
 * `Store.findBySecretHash` against the hand-written lookup (lib/reference-lookup.ts), alternating rounds. Then `Store.recordUsage` of 5,000 random tokens (one use each), as the usage flush writes them. CPU time per
 * operation (process.cpuUsage), fastest of 3 rounds (the writes: of 3 flushes after a first one, on a fresh copy).
 * Then the server's own flush (UsageRecorder) of 10,000 tokens, in one transaction and in its chunks: the longest the
 * event loop was held (what a request arriving meanwhile waits) and CPU per token. Last, `Store.recordUsage` again once
 * every token has a `token_usage` row (a store whose every token has been used: updates, not inserts).
 * `BENCH_COLD_DIR` keeps the store between runs (it is built only if missing).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/load.js';
import { createTessera } from '../src/main.js';
import { MMAP_BYTES, openSqliteStore } from '../src/store/sqlite/index.js';
import { hashValue } from '../src/core/tokens/format.js';
import { REFERENCE_LOOKUP } from './lib/reference-lookup.js';
import { seedStore } from './seed-store.js';
import { USAGE_CHUNK, UsageRecorder } from '../src/core/tokens/usage.js';

const PASSWORD = 'cold-bench-password';
const count = Number(process.argv[2] ?? 1_000_000);
const requests = Number(process.argv[3] ?? 50_000);
const dir = process.env.BENCH_COLD_DIR ?? mkdtempSync(join(tmpdir(), 'tessera-cold-'));
const pristine = join(dir, 'pristine.db');
const db = join(dir, 'tessera.db');
const config = (): ReturnType<typeof loadConfig> => loadConfig({}, {
  data_dir: dir, log_level: 'silent', admin_password: PASSWORD, password_hash: { memory_kib: 1024, iterations: 1 },
});
const fresh = (): void => {
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  copyFileSync(pristine, db);
};

if (!existsSync(pristine)) {
  mkdirSync(dir, { recursive: true });
  const t = await createTessera(config());
  await t.services.users.bootstrapAdmin(PASSWORD);
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: PASSWORD } });
  const cookie = `tessera_session=${login.cookies.find((c) => c.name === 'tessera_session')!.value}`;
  const made = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { access: 'full', name: 'cold-caller' } });
  writeFileSync(join(dir, 'caller.txt'), (made.json() as { token: string }).token);
  await t.close();
  const s = seedStore(db, count, join(dir, 'values.txt'));
  process.stderr.write(`seeded ${s.count} tokens in ${s.insertSec.toFixed(1)} s\n`);
  copyFileSync(db, pristine);
}
const caller = readFileSync(join(dir, 'caller.txt'), 'utf8');
const values = readFileSync(join(dir, 'values.txt'), 'utf8').split('\n').filter(Boolean);
const draw = (): string => values[Math.floor(Math.random() * values.length)]!;
const perOp = (c: NodeJS.CpuUsage, n: number): string => `${((c.user + c.system) / n).toFixed(1)} µs CPU (system ${(c.system / n).toFixed(1)})`;

// Verification, every request a first sighting.
fresh();
const t = await createTessera(config());
const lane = t.app.hotLane;
let wrong = 0;
const verify = (value: string): Promise<void> => new Promise((done) => {
  const body = Buffer.from(`{"token":"${value}"}`);
  const req = Object.assign(new EventEmitter(), {
    url: '/api/v1/verify', method: 'POST', socket: {},
    headers: { host: 'bench', authorization: `Bearer ${caller}`, 'content-type': 'application/json', 'content-length': String(body.length) },
  });
  const res = { writeHead: (status: number) => { if (status !== 200) wrong++; return res; }, end: (b: string) => { if (!b.includes('"VALID"')) wrong++; done(); } };
  if (!lane.handle(req as never, res as never)) throw new Error('the hot lane did not take the request');
  req.emit('data', body);
  req.emit('end');
});
for (let i = 0; i < 5_000; i++) await verify(draw());
let best: NodeJS.CpuUsage | null = null;
for (let r = 0; r < 3; r++) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < requests / 3; i++) await verify(draw());
  const c = process.cpuUsage(c0);
  if (best === null || c.user + c.system < best.user + best.system) best = c;
}
await t.close();
if (wrong > 0) throw new Error(`${wrong} answers were not 200 VALID`);
process.stdout.write(`verify, cold (${values.length.toLocaleString('en-US')} tokens, random draws): ${perOp(best!, Math.floor(requests / 3))} per request\n`);

// The lookup alone, without the verification around it: Tessera's (`Store.findBySecretHash`: the statement, the row's
// mapping, the owner) against the hand-written one (bench/baseline.ts `sqlite`: five columns, nothing else), on one
// copy of the store, random draws, alternating rounds; CPU per lookup, each side's fastest of 6 rounds. Tessera's
// lookups share a read transaction (src/store/sqlite/reader.ts; in this loop, which never yields, 256 at a time; over
// HTTP with 50 connections ~44); the hand-written one runs each in its own, as bench/baseline.ts does.
{
  fresh();
  const s = await openSqliteStore(db);
  const ref = new Database(db, { readonly: true });
  ref.pragma(`mmap_size = ${MMAP_BYTES}`); // as Tessera's own connection
  const find = ref.prepare(REFERENCE_LOOKUP);
  const hashes = values.map(hashValue);
  const pick = (): string => hashes[Math.floor(Math.random() * hashes.length)]!;
  const n = Math.min(20_000, requests);
  const sides = {
    tessera: async () => { for (let i = 0; i < n; i++) if ((await s.findBySecretHash(pick())) === null) wrong++; },
    reference: async () => { for (let i = 0; i < n; i++) if (find.get(pick()) === undefined) wrong++; },
  };
  const cpu = { tessera: [] as number[], reference: [] as number[] };
  for (let r = 0; r < 7; r++) {
    for (const side of (r % 2 === 0 ? ['tessera', 'reference'] : ['reference', 'tessera']) as (keyof typeof sides)[]) {
      const c0 = process.cpuUsage();
      await sides[side]();
      const c = process.cpuUsage(c0);
      if (r > 0) cpu[side].push((c.user + c.system) / n); // the first round maps the file's pages in
    }
  }
  ref.close();
  await s.close();
  if (wrong > 0) throw new Error(`${wrong} lookups found nothing`);
  const best = (a: number[]): number => Math.min(...a);
  process.stdout.write(`lookup alone (${n.toLocaleString('en-US')} random draws, fastest of 6): Tessera's findBySecretHash ${best(cpu.tessera).toFixed(1)} µs CPU, `
    + `the hand-written lookup ${best(cpu.reference).toFixed(1)} µs: ${(best(cpu.tessera) / best(cpu.reference)).toFixed(2)}×\n`);
}

// The usage flush: 5,000 tokens, one use each.
const raw = new Database(pristine, { readonly: true });
const ids = raw.prepare('select id from tokens').pluck().all() as string[];
raw.close();
fresh();
const store = await openSqliteStore(db);
/** `Store.recordUsage` of 5,000 random tokens, one use each: CPU per token, the fastest of 3 flushes after a first. */
const flushCost = async (): Promise<string> => {
  let fastest: NodeJS.CpuUsage | null = null;
  for (let r = 0; r < 4; r++) {
    const now = Date.now();
    const batch = Array.from({ length: 5_000 }, () => ({ tokenId: ids[Math.floor(Math.random() * ids.length)]!, lastUsedAt: now, uses: 1 }));
    const c0 = process.cpuUsage();
    await store.recordUsage(batch);
    const c = process.cpuUsage(c0);
    // The first flush also opens the WAL and reads the upper levels of the B-trees: a server's steady state is the rest.
    if (r > 0 && (fastest === null || c.user + c.system < fastest.user + fastest.system)) fastest = c;
  }
  return perOp(fastest!, 5_000);
};
process.stdout.write(`usage flush of 5,000 random tokens: ${await flushCost()} per token\n`);

// The flush as the server runs it (UsageRecorder): 10,000 tokens used once, in one transaction or in chunks. What a
// request waiting meanwhile sees is the longest the event loop is held: a 1 ms ticker records its largest gap.
// A first, unmeasured flush of the same size: the first after the one above ran ~3× slower in either form.
{
  const u = new UsageRecorder(store, { now: () => Date.now() });
  for (let i = 0; i < 10_000; i++) u.hit(ids[Math.floor(Math.random() * ids.length)]!, Date.now());
  await u.flush();
}
for (const chunk of [10_000, USAGE_CHUNK]) {
  const holds: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < 3; r++) {
    const u = new UsageRecorder(store, { now: () => Date.now() }, chunk);
    const now = Date.now();
    for (let i = 0; i < 10_000; i++) u.hit(ids[Math.floor(Math.random() * ids.length)]!, now);
    let last = performance.now();
    let longest = 0;
    const tick = setInterval(() => { const t = performance.now(); longest = Math.max(longest, t - last); last = t; }, 1);
    const c0 = process.cpuUsage();
    last = performance.now();
    await u.flush();
    const c = process.cpuUsage(c0);
    longest = Math.max(longest, performance.now() - last);
    clearInterval(tick);
    holds.push(longest);
    cpu.push((c.user + c.system) / 10_000);
  }
  const med = (a: number[]): number => [...a].sort((x, y) => x - y)[1]!;
  process.stdout.write(`UsageRecorder flush of 10,000 random tokens, ${chunk === 10_000 ? 'one transaction' : `chunks of ${chunk}`}: event loop held at most ${med(holds).toFixed(1)} ms (median of 3), ${med(cpu).toFixed(1)} µs CPU per token\n`);
}

// Uses live in `token_usage` (migration 015), a row per token once it has been used: above, most rows are new. The
// steady state of a store whose every token has been used: the same flush when each token already has its row.
await sql`insert into token_usage (token_id, use_count, last_used_at) select id, 1, ${Date.now()} from tokens where true
  on conflict (token_id) do nothing`.execute(store.db);
process.stdout.write(`usage flush of 5,000 random tokens, every token used before: ${await flushCost()} per token\n`);
await store.close();
if (!process.env.BENCH_COLD_DIR) rmSync(dir, { recursive: true, force: true });

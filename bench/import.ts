/**
 * Bulk token writes on SQLite (issues 17 and 18):
 *   node --import tsx bench/import.ts
 * 1. Import: `BENCH_IMPORT_ROWS` (default 1,000,000) FileBin-shaped rows (32 alphanumerics a value, owner, created,
 *    comment, level) through `ImportService.run` in calls of `BENCH_IMPORT_BATCH` (20,000, the most one call takes) rows, as
 *    `POST /api/v1/tokens/import` runs them. Rows are generated before each call, outside the timed part (that is the
 *    CLI's work); each call's hashing, checks, idempotency lookup, one-transaction insert and audit event are timed.
 *    Then the first 100,000 rows again: the skip rate of a re-import.
 * 2. Batch creation: `BENCH_BATCH_TOKENS` (50,000) tokens through `POST /api/v1/tokens/batch` over loopback HTTP,
 *    1,000 a call, sent by a separate client process (its CPU is not counted: "per CPU-second" is the server's), against a baseline in the same run: the same number of token rows (value, SHA-256, id, display
 *    prefix generated the same way) inserted by hand-written better-sqlite3 prepared statements in one transaction
 *    into a freshly migrated store with the same indexes. `BENCH_BATCH_ROUNDS` (3) rounds, each on fresh stores, the
 *    batch and the baseline alternately: each round's figures and ratio, and the medians (this machine's speed moves
 *    by a third within minutes; a single run measures the moment as much as the code). `BENCH_IMPORT_ROWS=0` skips 1.
 * Rates are given per wall-clock second and per CPU-second of this process: the machine is shared (2 cores, often
 * a load average far above 2), where the wall-clock rate measures the neighbours as much as Tessera.
 * Prints a table and `IMPORT_BENCH_JSON {...}`. Targets: ≥ 20,000 tokens/s for both.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../src/config/load.js';
import { createTessera, type Tessera } from '../src/main.js';
import type { RequestContext } from '../src/core/principal.js';
import { displayPrefix, generateTokenValue, hashValue, newTokenId, randomBase62 } from '../src/core/tokens/format.js';
import { cryptoRandom } from '../src/infra/system.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_IMPORT_BATCH ?? 20_000);
const BATCH_TOKENS = Number(process.env.BENCH_BATCH_TOKENS ?? 50_000);
const BATCH_ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 3);
const PASSWORD = 'bench-admin-password';
/** This process's CPU time in ms (user + system): on a shared, loaded machine it is the steadier figure. */
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const random = cryptoRandom();

const start = async (dir: string): Promise<Tessera> => {
  const config = loadConfig({}, { data_dir: dir, log_level: 'silent', admin_password: PASSWORD, max_tokens_per_user: 100_000_000,
    password_hash: { memory_kib: 1024, iterations: 1 } });
  const t = await createTessera(config);
  await t.services.users.bootstrapAdmin(PASSWORD);
  return t;
};

const filebinRows = (n: number, from: number): Record<string, string>[] => {
  const out = new Array<Record<string, string>>(n);
  for (let i = 0; i < n; i++) {
    out[i] = { key: randomBase62(random, 32), user: '1', username: 'admin', created: '2024-03-01 10:15:00', comment: `row ${from + i}`, access_level: 'apikey' };
  }
  return out;
};

interface Rate { made: number; perSec: number; perCpuSec: number }
const median = (v: readonly number[]): number => {
  const x = [...v].sort((a, b) => a - b);
  return x.length % 2 === 1 ? x[(x.length - 1) / 2]! : (x[x.length / 2 - 1]! + x[x.length / 2]!) / 2;
};

/** `BATCH_TOKENS` tokens through `POST /api/v1/tokens/batch` on a fresh server, from a separate client process. */
const batchRound = async (dir: string): Promise<Rate> => {
  const b = await start(dir);
  try {
    await b.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (b.app.server.address() as { port: number }).port;
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    // The load comes from a separate process (so this process's CPU time is the server's alone): it sends the calls
    // one after another and prints how many tokens it got.
    const client = `
      const body = JSON.stringify({ tokens: Array.from({ length: 1000 }, () => ({ access: 'write' })) });
      const call = async () => {
        const r = await fetch('http://127.0.0.1:${port}/api/v1/tokens/batch', { method: 'POST', headers: { 'content-type': 'application/json', cookie: ${JSON.stringify(cookie)} }, body });
        if (r.status !== 201) throw new Error('batch: ' + r.status + ' ' + await r.text());
        return (await r.json()).tokens.length;
      };
      const total = Number(process.argv[1]);
      let made = 0;
      while (made < total) made += await call();
      console.log(made);`;
    const runClient = (n: number): Promise<number> => new Promise((done, fail) => {
      execFile(process.execPath, ['--input-type=module', '-e', client, String(n)], { encoding: 'utf8' }, (err, stdout) => (err ? fail(err) : done(Number(stdout.trim()))));
    });
    await runClient(1000); // warm-up (compiles the validators and serializers)
    const b0 = performance.now();
    const bc0 = cpu();
    const made = await runClient(BATCH_TOKENS);
    const b1 = performance.now();
    const bc1 = cpu();
    return { made, perSec: made / ((b1 - b0) / 1000), perCpuSec: made / ((bc1 - bc0) / 1000) };
  } finally {
    await b.close();
  }
};

/** The same number of token rows by hand-written prepared statements, one transaction, in a freshly migrated store. */
const baselineRound = async (dir: string, made: number): Promise<Rate> => {
  const base = await start(dir);
  await base.close();
  const db = new Database(join(dir, 'tessera.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insToken = db.prepare(`insert into tokens (id, kind, owner_id, name, comment, access, prefix, metadata, active, recoverable,
    secret_enc, expires_at, revoked_at, created_at, updated_at, last_used_at, use_count)
    values (?, 'personal', 1, null, '', 'write', ?, null, 1, 0, null, null, null, ?, ?, null, 0)`);
  const insSecret = db.prepare('insert into token_secrets (hash, token_id, created_at, expires_at) values (?, ?, ?, null)');
  const k0 = performance.now();
  const kc0 = cpu();
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < made; i++) {
      const value = generateTokenValue(random, 'tsr_');
      const id = newTokenId(random, Date.now()); // as Tessera names tokens: in creation-time order
      insToken.run(id, displayPrefix(value, 'tsr_'), now, now);
      insSecret.run(hashValue(value), id, now);
    }
  })();
  const k1 = performance.now();
  const kc1 = cpu();
  db.close();
  return { made, perSec: made / ((k1 - k0) / 1000), perCpuSec: made / ((kc1 - kc0) / 1000) };
};

const main = async (): Promise<void> => {
  const root = mkdtempSync(join(tmpdir(), 'tessera-bench-import-'));
  const results: Record<string, unknown> = { rows: ROWS, batch: BATCH, batchTokens: BATCH_TOKENS };
  try {
    // 1. Import (none with BENCH_IMPORT_ROWS=0)
    const firstRows: Record<string, string>[] = [];
    if (ROWS > 0) {
      const t = await start(join(root, 'import'));
      const admin = (await t.services.store.getUserByLogin('admin'))!;
      const ctx: RequestContext = { principal: { type: 'session', user: admin, sessionId: 'bench', access: 'full' }, ip: null, requestId: null };
      let timed = 0;
      let timedCpu = 0;
      let imported = 0;
      const wall0 = performance.now();
      for (let done = 0; done < ROWS; done += BATCH) {
        const rows = filebinRows(Math.min(BATCH, ROWS - done), done);
        if (firstRows.length < 100_000) firstRows.push(...rows.slice(0, 100_000 - firstRows.length));
        const t0 = performance.now();
        const c0 = cpu();
        const r = await t.services.imports.run(ctx, { format: 'filebin', rows, firstLine: done + 2 });
        timed += performance.now() - t0;
        timedCpu += cpu() - c0;
        imported += r.imported;
        if (r.refused > 0) throw new Error(`refused rows: ${JSON.stringify(r.rows.slice(0, 3))}`);
      }
      const wall = performance.now() - wall0;
      if (imported !== ROWS) throw new Error(`imported ${imported} of ${ROWS}`);
      results.importSec = timed / 1000;
      results.importRowsPerSec = ROWS / (timed / 1000);
      results.importRowsPerCpuSec = ROWS / (timedCpu / 1000);
      results.importWallRowsPerSec = ROWS / (wall / 1000);
      const s0 = performance.now();
      let skipped = 0;
      for (let i = 0; i < firstRows.length; i += BATCH) skipped += (await t.services.imports.run(ctx, { format: 'filebin', rows: firstRows.slice(i, i + BATCH) })).skipped;
      const s1 = performance.now();
      if (skipped !== firstRows.length) throw new Error(`re-import skipped ${skipped} of ${firstRows.length}`);
      results.reimportRowsPerSec = firstRows.length / ((s1 - s0) / 1000);
      const sample = firstRows[12_345] ?? firstRows[0]!;
      const v = await t.services.verifier.verify(sample.key!);
      if (!v.valid) throw new Error(`an imported key does not verify: ${v.code}`);
      await t.close();
    }

    // 2. Batch creation over HTTP, and the baseline, alternately in rounds on fresh stores.
    const rounds: { batch: Rate; baseline: Rate }[] = [];
    for (let r = 0; r < BATCH_ROUNDS; r++) {
      const batch = await batchRound(join(root, `batch-${r}`));
      const baseline = await baselineRound(join(root, `baseline-${r}`), batch.made);
      rounds.push({ batch, baseline });
      console.log(`round ${r + 1}/${BATCH_ROUNDS}: batch ${Math.round(batch.perSec)} tokens/s (${Math.round(batch.perCpuSec)} per server CPU-s), `
        + `baseline ${Math.round(baseline.perSec)} rows/s → ×${(batch.perSec / baseline.perSec).toFixed(2)}`);
    }
    const made = rounds[0]!.batch.made;
    results.batchRounds = rounds.map((x) => ({ tokensPerSec: x.batch.perSec, tokensPerCpuSec: x.batch.perCpuSec, baselineRowsPerSec: x.baseline.perSec, baselineRowsPerCpuSec: x.baseline.perCpuSec }));
    results.batchTokensPerSec = median(rounds.map((x) => x.batch.perSec));
    results.batchTokensPerCpuSec = median(rounds.map((x) => x.batch.perCpuSec));
    results.baselineRowsPerSec = median(rounds.map((x) => x.baseline.perSec));
    results.baselineRowsPerCpuSec = median(rounds.map((x) => x.baseline.perCpuSec));
    results.batchVsBaseline = median(rounds.map((x) => x.batch.perSec / x.baseline.perSec));
    results.batchVsBaselineCpu = median(rounds.map((x) => x.batch.perCpuSec / x.baseline.perCpuSec));
    results.loadAverage = (await import('node:os')).loadavg();

    const f = (n: unknown) => Math.round(n as number).toLocaleString('en-US');
    console.log(`| what | rows | rows/s (wall) | rows per CPU-second |`);
    console.log(`| --- | ---: | ---: | ---: |`);
    if (ROWS > 0) {
      console.log(`| import (ImportService, ${BATCH} rows a call, timed calls) | ${f(ROWS)} | ${f(results.importRowsPerSec)} | ${f(results.importRowsPerCpuSec)} |`);
      console.log(`| import incl. generating the rows | ${f(ROWS)} | ${f(results.importWallRowsPerSec)} | |`);
      console.log(`| re-import (all skipped) | ${f(firstRows.length)} | ${f(results.reimportRowsPerSec)} | |`);
    }
    console.log(`| POST /api/v1/tokens/batch (HTTP, 1,000 a call; server CPU only), median of ${BATCH_ROUNDS} | ${f(made)} | ${f(results.batchTokensPerSec)} | ${f(results.batchTokensPerCpuSec)} |`);
    console.log(`| baseline: prepared statements, one transaction, median | ${f(made)} | ${f(results.baselineRowsPerSec)} | ${f(results.baselineRowsPerCpuSec)} |`);
    console.log(`| batch / baseline, median of the rounds' ratios | | ${(results.batchVsBaseline as number).toFixed(2)}× | ${(results.batchVsBaselineCpu as number).toFixed(2)}× |`);
    console.log(`load average during the run: ${(results.loadAverage as number[]).map((x) => x.toFixed(1)).join(' ')} (2 cores)`);
    console.log(`IMPORT_BENCH_JSON ${JSON.stringify(results)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};

await main();

/**
 * Issue 17: the verification path for each token format (tessera, uuid, filebin), in process, on SQLite:
 *   node --import tsx bench/formats.ts [iterations]
 * Times Verifier.verify on a cache hit for a token of each format, an unknown value of each shape (the secret
 * filter's answer), a Tessera-prefixed value with a bad checksum (refused before hashing), and `screen` against
 * `isWellFormed` (the check every presented value now goes through first). Each loop: fastest of 5 rounds by CPU time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { generateTokenValue, isWellFormed, newTokenValue, screen, type TokenFormat } from '../src/core/tokens/format.js';
import { cryptoRandom } from '../src/infra/system.js';
import { createTessera } from '../src/main.js';

const N = Number(process.argv[2] ?? 300_000);
const PASSWORD = 'formats-bench-password';
let sink = 0;

const bench = async (name: string, fn: (i: number) => unknown, isAsync = false): Promise<void> => {
  let best = Infinity;
  for (let round = 0; round < 6; round++) {
    const n = Math.floor(N / 5);
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const r = isAsync ? await fn(i) : fn(i);
      if (r === null) sink++;
    }
    const c = process.cpuUsage(c0);
    if (round > 0) best = Math.min(best, ((c.user + c.system) * 1000) / n); // round 0 warms up
  }
  process.stderr.write(`  ${name.padEnd(58)} ${best.toFixed(0).padStart(7)} ns/op ${Math.round(1e9 / best).toLocaleString('en-US').padStart(12)} /CPU-s\n`);
};

const instance = async (format: TokenFormat) => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-formats-'));
  const config = loadConfig({}, { data_dir: dir, log_level: 'silent', admin_password: PASSWORD, password_hash: { memory_kib: 1024, iterations: 1 },
    tokens: { format: { personal: format, service: format, bound: 'uuid' } } as never });
  const t = await createTessera(config);
  await t.services.users.bootstrapAdmin(PASSWORD);
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: PASSWORD } });
  const cookie = `tessera_session=${login.cookies.find((c) => c.name === 'tessera_session')!.value}`;
  const values: string[] = [];
  for (let i = 0; i < 200; i++) {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { access: 'write' } });
    values.push((r.json() as { token: string }).token);
  }
  for (const v of values) await t.services.verifier.verify(v);
  return { t, values, close: async () => { await t.close(); rmSync(dir, { recursive: true, force: true }); } };
};

const random = cryptoRandom();
process.stderr.write(`formats (${N} iterations a loop):\n`);
const tessera = generateTokenValue(random, 'tsr_');
await bench('isWellFormed, a Tessera value', () => isWellFormed(tessera, 'tsr_'));
await bench('screen, a Tessera value', () => screen(tessera, 'tsr_'));
const uuid = newTokenValue(random, 'uuid', 'tsr_');
await bench('screen, a UUID', () => screen(uuid, 'tsr_'));
for (const format of ['tessera', 'uuid', 'filebin'] as const) {
  const x = await instance(format);
  try {
    const v = x.t.services.verifier;
    const unknown = Array.from({ length: 1000 }, () => newTokenValue(random, format, 'tsr_'));
    await bench(`Verifier.verify, ${format}, valid, cache hit`, (i) => v.verify(x.values[i % x.values.length]!), true);
    await bench(`Verifier.verify, ${format}, unknown (secret filter)`, (i) => v.verify(unknown[i % 1000]!), true);
    if (format === 'tessera') {
      const bad = x.values.map((s) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A'));
      await bench('Verifier.verify, tessera, bad checksum (no hash, no lookup)', (i) => v.verify(bad[i % bad.length]!), true);
    }
  } finally { await x.close(); }
}
if (sink < 0) process.stderr.write(String(sink));

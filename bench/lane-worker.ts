/**
 * One round of bench/lane.ts, in a process of its own: `node lane-worker.mjs <tree root> <requests>`. Starts that
 * tree's built server code (dist/) on a temporary SQLite store, creates a caller and 999 tokens through the API, then
 * hands requests straight to the hot lane (HotLane.handle with a request object, no socket) and prints
 * `{"verify": ns, "forward": ns}`: CPU time per request, the fastest of 5 passes of <requests>, after a warm-up.
 * Self-contained (bench/lib/proc.ts `scriptArgs` runs it as plain JavaScript).
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Res { status: number; writeHead: (s: number) => Res; end: (b?: string) => void }

const [root, countArg] = process.argv.slice(2);
if (!root) throw new Error('usage: lane-worker <tree root> [requests]');
const N = Number(countArg ?? 100_000);
/** What this script uses of the built tree (its types stay in the tree: the script runs against any commit's build). */
interface Inject { statusCode: number; body: string; json: () => unknown; cookies: { name: string; value: string }[] }
interface Built {
  app: { inject: (o: object) => Promise<Inject>; hotLane: { handle: (req: object, res: Res) => boolean } };
  services: { users: { bootstrapAdmin: (password: string) => Promise<unknown> } };
  close: () => Promise<void>;
}
const load = async <T>(rel: string): Promise<T> => import(pathToFileURL(join(root, 'dist', rel)).href) as Promise<T>;
const { loadConfig } = await load<{ loadConfig: (env: object, file: object) => object }>('config/load.js');
const { createTessera } = await load<{ createTessera: (config: object) => Promise<Built> }>('main.js');
const PASSWORD = 'lane-bench-password';
const dir = mkdtempSync(join(tmpdir(), 'tessera-lane-'));
const t = await createTessera(loadConfig({}, {
  data_dir: dir, log_level: 'silent', admin_password: PASSWORD, password_hash: { memory_kib: 1024, iterations: 1 },
}));
try {
  await t.services.users.bootstrapAdmin(PASSWORD);
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: PASSWORD } });
  const cookie = `tessera_session=${login.cookies.find((c) => c.name === 'tessera_session')!.value}`;
  const make = async (name: string): Promise<string> => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { access: 'full', name } });
    if (r.statusCode !== 201) throw new Error(`token creation: ${r.statusCode} ${r.body}`);
    return (r.json() as { token: string }).token;
  };
  const caller = await make('caller');
  const values: string[] = [];
  for (let i = 0; i < 999; i++) values.push(await make(`t${i}`)); // the caller and these: the per-user quota
  const lane = t.app.hotLane;
  const call = (mode: 'verify' | 'forward', value: string): Promise<void> => new Promise((done, fail) => {
    const body = Buffer.from(`{"token":"${value}"}`);
    const headers = mode === 'verify'
      ? { host: 'bench', authorization: `Bearer ${caller}`, 'content-type': 'application/json', 'content-length': String(body.length) }
      : { host: 'bench', authorization: `Bearer ${value}` };
    const req = Object.assign(new EventEmitter(), { url: mode === 'verify' ? '/api/v1/verify' : '/api/v1/auth/forward', method: mode === 'verify' ? 'POST' : 'GET', headers, socket: {} });
    const res: Res = {
      status: 0,
      writeHead: (s) => { res.status = s; return res; },
      end: (b) => {
        const ok = mode === 'verify' ? res.status === 200 && b?.includes('"VALID"') : res.status === 204;
        if (ok) done(); else fail(new Error(`${mode}: ${res.status} ${b}`));
      },
    };
    if (!lane.handle(req, res)) { fail(new Error(`the lane did not take ${mode}`)); return; }
    if (mode === 'verify') { req.emit('data', body); req.emit('end'); }
  });
  const out: Record<string, number> = {};
  for (const mode of ['verify', 'forward'] as const) {
    for (let i = 0; i < 20_000; i++) await call(mode, values[i % values.length]!);
    let best = Infinity;
    for (let pass = 0; pass < 5; pass++) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < N; i++) await call(mode, values[i % values.length]!);
      const c = process.cpuUsage(c0);
      best = Math.min(best, ((c.user + c.system) * 1000) / N);
    }
    out[mode] = Math.round(best);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
}

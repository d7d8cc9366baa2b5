/**
 * CLI test harness: a real Tessera listening on a loopback port (startHarness) and the real `tessera` binary run as
 * a child process, with its credentials file in a temporary directory. The child gets a clean environment so the
 * developer's own TESSERA_* variables and ~/.config never leak into a test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PASSWORD, type Harness, startHarness } from '../helpers.js';
import { type Run, runTessera } from '../tessera-process.js';

export { ADMIN_PASSWORD };
export type { Run } from '../tessera-process.js';

export interface CliHarness {
  h: Harness;
  url: string;
  /** Where this test's CLI keeps its credentials (TESSERA_CLI_CONFIG). */
  credentials: string;
  home: string;
  /** Runs `tessera ...args`; `input` is written to stdin, which is a pipe (never a TTY), closed unless `keepStdinOpen`. */
  run(args: string[], o?: { input?: string; env?: Record<string, string>; keepStdinOpen?: boolean }): Promise<Run>;
  /** Logs in as admin through the CLI; fails the test if that does not work. */
  login(): Promise<void>;
  stored(): { url: string; token: string };
  close(): Promise<void>;
}

export const startCli = async (): Promise<CliHarness> => {
  const h = await startHarness({ log_level: 'warn' });
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = h.t.app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('server has no TCP address');
  const url = `http://127.0.0.1:${addr.port}`;
  const home = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
  const credentials = join(home, 'config', 'tessera', 'credentials.json');

  const run: CliHarness['run'] = (args, o = {}) =>
    runTessera(args, { HOME: home, TESSERA_CLI_CONFIG: credentials, ...o.env }, { input: o.input, keepStdinOpen: o.keepStdinOpen });

  const c: CliHarness = {
    h, url, credentials, home, run,
    async login() {
      const r = await run(['login', '--url', url], { input: `${ADMIN_PASSWORD}\n` });
      if (r.code !== 0) throw new Error(`login failed (${r.code}): ${r.stderr}`);
    },
    stored: () => JSON.parse(readFileSync(credentials, 'utf8')) as { url: string; token: string },
    async close() {
      await h.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
  return c;
};

/** Parses stdout as JSON, with the output in the error when it is not. */
export const json = <T = any>(r: Run): T => {
  try { return JSON.parse(r.stdout) as T; } catch { throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`); }
};

/**
 * A real Tessera listening on 127.0.0.1 with commands and channels configured for the Meeseeks tests: real child
 * processes (/bin/echo, /bin/sh), real curl (through test/seeds/support.ts's `sh`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/schema.js';
import { type Harness, startHarness } from '../helpers.js';

export { sh } from '../seeds/support.js';

export const SLACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

/** Prints each argument as `[arg]` on its own line, so a test sees exactly how the arguments were split. */
const SHOW_ARGS = 'for a in "$@"; do printf "[%s]\\n" "$a"; done';

export const COMMANDS: Config['commands'] = {
  echo: { id: 1, argv: ['/bin/echo'], args: 'any', groups: ['ops'], timeout: 30, output_cap: 65_536 },
  show: { id: 2, argv: ['/bin/sh', '-c', SHOW_ARGS, 'show'], args: 'any', groups: ['ops'], timeout: 30, output_cap: 65_536 },
  restart: { id: 3, argv: ['/bin/sh', '-c', SHOW_ARGS, 'restart'], args: { pattern: '[a-z0-9-]+' }, groups: ['ops'], timeout: 30, output_cap: 65_536 },
  fixed: { id: 4, argv: ['/bin/echo', 'fixed'], args: 'none', groups: ['ops'], timeout: 30, output_cap: 65_536 },
  alertenv: { id: 5, argv: ['/bin/sh', '-c', 'env | grep "^ALERT_" | LC_ALL=C sort'], args: 'none', groups: ['ops'], timeout: 30, output_cap: 65_536 },
};

export interface ChatServer {
  h: Harness;
  url: string;
  /** An admin token (access full) for curl's Authorization header. */
  admin: string;
  close(): Promise<void>;
}

export const startChatServer = async (overrides: Partial<Config> = {}): Promise<ChatServer> => {
  const h = await startHarness({
    log_level: 'warn', groups: ['ops'], commands: COMMANDS, channels: { ops: { retry: { attempts: 1, backoff_ms: 0 } }, alerts: { retry: { attempts: 1, backoff_ms: 0 } } },
    // These tests follow the job POST /message started: its 202 carries the job id (by default a UUID token gets an
    // empty 202, as Meeseeks answers; seed000.test.ts runs with the defaults).
    slack_signing_secret: SLACK_SECRET, message: { refusal_status: 202, accepted_body: 'job_id' }, ...overrides,
  } as Partial<Config>);
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (h.t.app.server.address() as { port: number }).port;
  const admin = (await h.adminToken()).token;
  return { h, url: `http://localhost:${port}`, admin, close: () => h.close() };
};

/** Runs one chat line through POST /api/v1/chat as the admin (in-process); returns the reply. */
export const chat = async (h: Harness, text: string, cookie = h.adminCookie): Promise<{ reply: string; ok: boolean }> => {
  const r = await h.req({ method: 'POST', url: '/api/v1/chat', headers: { cookie }, payload: { text } });
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
};

/** `token-new ...` → the token value from "created token <value>". */
export const tokenNew = async (h: Harness, line: string): Promise<string> => {
  const r = await chat(h, line);
  const m = /^created token (\S+)$/.exec(r.reply);
  assert.ok(m && r.ok, `unexpected reply: ${r.reply}`);
  return m[1]!;
};

/** The stored messages of a channel, oldest first. */
export const messages = async (h: Harness, channel: string): Promise<{ id: number; text: string; job_id: number | null }[]> => {
  const r = await h.req({ method: 'GET', url: `/api/v1/channels/${channel}/messages?limit=200`, headers: { cookie: h.adminCookie } });
  assert.equal(r.statusCode, 200, r.body);
  return (r.json().items as { id: number; text: string; job_id: number | null }[]).reverse();
};

/** Waits for a job to end (in-process) and returns it as the API shows it. */
export const finished = async (h: Harness, jobId: number): Promise<any> => {
  await h.t.services.commands.wait(jobId);
  const r = await h.req({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: { cookie: h.adminCookie } });
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
};

export const tempDir = (): { dir: string; remove(): void } => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-chat-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
};

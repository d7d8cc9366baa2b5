/**
 * Acceptance-test support for the seed documents: a real Tessera listening on 127.0.0.1, and a runner for the seeds'
 * own shell command lines with real curl. Lines run unchanged except for host, port and placeholders: `curl` is a
 * shell function that calls the real curl with `-D <file>`, so the response's status line and headers are captured
 * while the line's own options and pipes (`| json_pp`) stay as the seed wrote them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/schema.js';
import { type Harness, startHarness } from '../helpers.js';

export interface Server {
  h: Harness;
  /** `http://localhost:<port>`: the seeds' own host name with the listening port. */
  origin: string;
  port: number;
  /** A scratch directory for cookie jars; removed by close(). */
  tmp: string;
  close(): Promise<void>;
}

export const startServer = async (overrides: Partial<Config> = {}): Promise<Server> => {
  const h = await startHarness(overrides);
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (h.t.app.server.address() as { port: number }).port;
  const tmp = mkdtempSync(join(tmpdir(), 'tessera-seed-'));
  return {
    h, port, origin: `http://localhost:${port}`, tmp,
    async close() { await h.close(); rmSync(tmp, { recursive: true, force: true }); },
  };
};

export interface ShellResult {
  status: number;
  /** Lower-cased header names; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
  stderr: string;
}

/**
 * Runs one command line of a seed in bash with real curl (asynchronously: the server answers from this process).
 * `env` sets shell variables the line uses, such as FileBin's `$base` and `$apikey`.
 */
export const sh = async (line: string, env: Record<string, string> = {}): Promise<ShellResult> => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-curl-'));
  const hdr = join(dir, 'headers');
  const script = `curl() { command curl -D '${hdr}' "$@"; }\n${line}`;
  try {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile('bash', ['-c', script], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`command failed: ${err.message}\n${stderr}`)); else resolve({ stdout, stderr });
      });
    });
    // The last response block wins (a 100 Continue comes first when curl sends Expect).
    const blocks = readFileSync(hdr, 'utf8').split(/\r?\n\r?\n/).filter((b) => b.startsWith('HTTP/'));
    const lines = blocks[blocks.length - 1]!.split(/\r?\n/);
    const headers: Record<string, string> = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
    }
    return { status: Number(lines[0]!.split(' ')[1]), headers, body: stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** Asserts a status and a JSON body; returns the parsed body. */
export const expectJson = (r: ShellResult, status: number): any => {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.body}`);
  assert.match(r.headers['content-type'] ?? '', /^application\/json/);
  return JSON.parse(r.body);
};

/** Asserts a status with an empty body. */
export const expectEmpty = (r: ShellResult, status: number): void => {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.body}`);
  assert.equal(r.body, '');
};

/** Asserts FileBin's error reply: HTTP 400, `{"status":"error","error_id","message"}`. */
export const expectFileBinError = (r: ShellResult, id: string, message?: string | RegExp): void => {
  const b = expectJson(r, 400);
  assert.deepEqual(Object.keys(b), ['status', 'error_id', 'message']);
  assert.equal(b.status, 'error');
  assert.equal(b.error_id, id, r.body);
  if (typeof message === 'string') assert.equal(b.message, message);
  else if (message) assert.match(b.message, message);
};

/** Tessera's token value shape with the default prefix. */
export const TOKEN_SHAPE = /^tsr_[0-9A-Za-z]{33}$/;

/** Creates a user through the native API (no token made for them, unlike Harness.createUser); returns the id. */
export const addUser = async (h: Harness, username: string, password: string, role: 'admin' | 'user' = 'user'): Promise<number> => {
  const r = await h.req({ method: 'POST', url: '/api/v1/users', headers: { cookie: h.adminCookie }, payload: { username, password, role } });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().id;
};

/**
 * The "who may call this" matrix for the routes beyond tokens, users and audit (commands, jobs, channels, chat, JWT,
 * the seed-compatible routes and `/message`): a server with a harmless command (/bin/true) and a channel, callers in
 * every credential state (including a service token and a command-bound token), and a runner that asks every route
 * with every caller and wants one exact answer per caller. A route's table must name the answer for each kind of
 * caller that holds a valid credential; the callers whose credential is dead default to the native 401s.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import type { Config } from '../../src/config/schema.js';
import { bearer, type Harness, startHarness } from '../helpers.js';
import { buildFixture, type Fixture, lastAuditId } from './support.js';

export const SLACK_SECRET = 'matrix-slack-signing-secret-0123';

/** Every kind of caller. `admin`…`read`, `service` and `bound` hold a valid credential; the rest do not. */
export const CALLERS = ['admin', 'full', 'write', 'read', 'session', 'service', 'bound', 'expired', 'inactive', 'revoked', 'disabledOwner', 'none', 'garbage'] as const;
export type Caller = typeof CALLERS[number];
type Live = 'admin' | 'full' | 'write' | 'read' | 'session' | 'service' | 'bound';
type Dead = Exclude<Caller, Live>;

/**
 * An expected answer: `'403 FORBIDDEN'` (status and native error code, checked with the envelope), `'200'` (status
 * only), `'401 ""'` (status and an empty body: the compat products' own 401), or `'400 api/not-authenticated'`
 * (status and FileBin's `error_id`).
 */
export type Want = `${number}` | `${number} ${string}`;

export interface MatrixRoute {
  method: InjectOptions['method'];
  /** `:job` is replaced by a job of alice's; `:otherJob` by one of the admin's. */
  path: string;
  label?: string;
  payload?: string | Record<string, unknown>;
  headers?: Record<string, string>;
  /** Server-Sent Events: asked over real HTTP, only the status and type of the answer are read, then the stream is closed. */
  stream?: true;
  want: Record<Live, Want> & Partial<Record<Dead, Want>>;
}

/** The native answers to a dead credential (what the authentication hook says before any route code runs). */
export const DEAD: Record<Dead, Want> = {
  expired: '401 TOKEN_EXPIRED', inactive: '401 TOKEN_DISABLED', revoked: '401 TOKEN_REVOKED', disabledOwner: '401 TOKEN_DISABLED',
  none: '401 UNAUTHENTICATED', garbage: '401 TOKEN_MALFORMED',
};
/** Dead credentials on a compat route whose product answers its 401 with an empty body. */
export const DEAD_EMPTY: Record<Dead, Want> = { expired: '401 ""', inactive: '401 ""', revoked: '401 ""', disabledOwner: '401 ""', none: '401 ""', garbage: '401 ""' };
/** Every caller gets the same answer (public routes, or routes that read no credential). */
export const everyone = (w: Want): Record<Caller, Want> => Object.fromEntries(CALLERS.map((c) => [c, w])) as Record<Caller, Want>;

export interface Matrix {
  h: Harness;
  f: Fixture;
  bound: string;
  /** A finished job of alice's and one of the admin's. */
  jobs: { alice: number; admin: number };
  base: string;
}

export const startMatrix = async (): Promise<Matrix> => {
  const h = await startHarness({
    log_level: 'warn', groups: ['ops'], slack_signing_secret: SLACK_SECRET,
    commands: { true: { id: 1, argv: ['/bin/true'], args: 'none', groups: ['ops'], timeout: 30, output_cap: 65_536 } },
    channels: { ops: { retry: { attempts: 1, backoff_ms: 0 } } },
    jobs: { max_concurrent: 4, max_queued: 100, kill_grace_ms: 200, output_save_ms: 1000 },
  } as Partial<Config>);
  const f = await buildFixture(h);
  const admin = { cookie: h.adminCookie };
  assert.equal((await h.req({ method: 'PATCH', url: `/api/v1/users/${f.alice.id}`, headers: admin, payload: { groups: ['ops'] } })).statusCode, 200);
  const made = await h.req({ method: 'POST', url: '/api/v1/chat', headers: admin, payload: { text: 'token-new @alice #ops true' } });
  const bound = /^created token (\S+)$/.exec(made.json().reply)?.[1];
  assert.ok(bound, made.body);
  const run = async (headers: Record<string, string>): Promise<number> => {
    const r = await h.req({ method: 'POST', url: '/api/v1/commands/true/run', headers, payload: {} });
    assert.equal(r.statusCode, 202, r.body);
    await h.t.services.commands.wait(r.json().id);
    return r.json().id;
  };
  const jobs = { alice: await run(bearer(f.alice.full)), admin: await run(bearer(f.admin.full)) };
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.t.app.server.address() as { port: number }).port}`;
  return { h, f, bound, jobs, base };
};

export const credentialOf = (m: Matrix, c: Caller): Record<string, string> => {
  const { f } = m;
  switch (c) {
    case 'admin': return bearer(f.admin.full);
    case 'full': return bearer(f.alice.full);
    case 'write': return bearer(f.alice.write);
    case 'read': return bearer(f.alice.read);
    case 'session': return { cookie: f.alice.cookie };
    case 'service': return bearer(f.service);
    case 'bound': return bearer(m.bound);
    case 'expired': return bearer(f.alice.expired);
    case 'inactive': return bearer(f.alice.inactive);
    case 'revoked': return bearer(f.alice.revoked);
    case 'disabledOwner': return bearer(f.disabledOwner);
    case 'none': return {};
    case 'garbage': return bearer('tsr_not-a-token');
  }
};

interface Got { status: number; type: string; body: string }

const ask = async (m: Matrix, r: MatrixRoute, url: string, headers: Record<string, string>): Promise<Got> => {
  if (!r.stream) {
    const res = await m.h.req({ method: r.method, url, headers, ...(r.payload === undefined ? {} : { payload: r.payload }) });
    return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), body: res.body };
  }
  const ac = new AbortController();
  const res = await fetch(m.base + url, { method: r.method, headers, signal: ac.signal });
  const type = res.headers.get('content-type') ?? '';
  const body = type.startsWith('text/event-stream') ? '' : await res.text();
  ac.abort();
  return { status: res.status, type, body };
};

const check = (got: Got, want: Want, method: InjectOptions['method']): void => {
  const [status, code] = [Number(want.split(' ')[0]), want.split(' ')[1]];
  assert.equal(got.status, status, `expected ${want}, got ${got.status}: ${got.body}`);
  if (code === '""') assert.equal(got.body, '', 'an empty body');
  else if (code !== undefined && code.includes('/')) assert.equal(JSON.parse(got.body).error_id, code, got.body);
  else if (code !== undefined && method !== 'HEAD') {
    assert.match(got.type, /^application\/json/);
    const e = JSON.parse(got.body).error;
    assert.equal(e.code, code, got.body);
    assert.match(e.request_id, /^req_/);
  }
};

/** Registers one suite per route, one test per caller. Answers refused with 401 must record nothing in the audit log. */
export const runMatrix = (routes: MatrixRoute[], ctx: () => Matrix): void => {
  for (const r of routes) {
    describe(`${r.method} ${r.path}${r.label ? ` (${r.label})` : ''}`, () => {
      for (const c of CALLERS) {
        const want = (r.want as Partial<Record<Caller, Want>>)[c] ?? DEAD[c as Dead];
        test(`${c} → ${want}`, async () => {
          const m = ctx();
          const url = r.path.replace(':otherJob', String(m.jobs.admin)).replace(':job', String(m.jobs.alice));
          const before = await lastAuditId(m.h);
          check(await ask(m, r, url, { ...credentialOf(m, c), ...r.headers }), want, r.method);
          if (want.startsWith('401')) assert.equal(await lastAuditId(m.h), before, 'a refused request records nothing');
        });
      }
    });
  }
};

/** before/after hooks for a matrix file. */
export const matrixHooks = (): (() => Matrix) => {
  let m: Matrix;
  before(async () => { m = await startMatrix(); });
  after(async () => { await m.h.close(); });
  return () => m;
};

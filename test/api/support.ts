/**
 * Shared pieces of the native API suites: the error-envelope assertion, token values the server has never issued,
 * a fixture of callers in every state a credential can be in, and `runCommonRouteTests`, which runs the same
 * "who may call this" matrix against every protected route (as Unkey's runCommonRouteTests does).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { generateTokenValue } from '../../src/core/tokens/format.js';
import { cryptoRandom } from '../../src/infra/system.js';
import { bearer, type Harness } from '../helpers.js';

type Res = LightMyRequestResponse;

/** Asserts the native error envelope `{"error": {code, message, request_id}}` with its status; 401s carry a Bearer challenge. */
export const expectError = (res: Res, status: number, code: string, message?: RegExp): { code: string; message: string; request_id: string; field?: string } => {
  assert.equal(res.statusCode, status, `expected ${status} ${code}, got ${res.statusCode}: ${res.body}`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = res.json() as { error: { code: string; message: string; request_id: string; field?: string } };
  assert.deepEqual(Object.keys(body), ['error']);
  const { field, ...rest } = body.error;
  assert.deepEqual(Object.keys(rest).sort(), ['code', 'message', 'request_id']);
  if (field !== undefined) {
    assert.ok(typeof field === 'string' && field.length > 0, 'field, when present, names a field');
    assert.ok(['VALIDATION_ERROR', 'CONFLICT', 'PERMISSION_NOT_HELD', 'POLICY_VIOLATION'].includes(body.error.code), `only errors about an input name a field, not ${body.error.code}`);
  }
  assert.equal(body.error.code, code);
  assert.ok(body.error.message.length > 0, 'the message is not empty');
  assert.match(body.error.request_id, /^req_/);
  if (message) assert.match(body.error.message, message);
  if (status === 401) assert.match(String(res.headers['www-authenticate']), /^Bearer\b/);
  return body.error;
};

/** A well-formed value (right prefix, right checksum) that no server ever issued. */
export const unknownToken = (prefix = 'tsr_'): string => generateTokenValue(cryptoRandom(), prefix);

/** Creates a token through the API with the given credential headers; fails the test unless it is 201. */
export const createToken = async (h: Harness, headers: Record<string, string>, body: Record<string, unknown> = {}): Promise<{ id: string; token: string; body: Record<string, any> }> => {
  const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers, payload: body });
  assert.equal(r.statusCode, 201, `token create failed: ${r.body}`);
  return { id: r.json().id, token: r.json().token, body: r.json() };
};

/** Newest audit id, read from the store: lets a test say "nothing was recorded" (the handler did not run). */
export const lastAuditId = async (h: Harness): Promise<number> => (await h.t.services.store.listAudit({ limit: 1 })).items[0]?.id ?? 0;

/** Callers in every state the matrix needs. All tokens but `admin*` and `service` belong to the non-admin alice. */
export interface Fixture {
  admin: { full: string; read: string };
  alice: { id: number; cookie: string; full: string; write: string; read: string; expired: string; inactive: string; revoked: string; ownTokenId: string };
  bob: { id: number; tokenId: string };
  /** A full token whose owner (carol) is disabled. */
  disabledOwner: string;
  /** An admin-made service token with access `full`. */
  service: string;
}

export const buildFixture = async (h: Harness): Promise<Fixture> => {
  const admin = { full: (await h.adminToken({ name: 'fx-admin-full' })).token, read: (await h.adminToken({ name: 'fx-admin-read', access: 'read' })).token };
  const a = await h.createUser('alice');
  const ac = { cookie: a.cookie };
  const write = await createToken(h, ac, { name: 'fx-write', access: 'write' });
  const read = await createToken(h, ac, { name: 'fx-read', access: 'read' });
  const expired = await createToken(h, ac, { name: 'fx-expired', access: 'full', expires_in: 60 });
  const inactive = await createToken(h, ac, { name: 'fx-inactive', access: 'full', active: false });
  const revoked = await createToken(h, ac, { name: 'fx-revoked', access: 'full' });
  assert.equal((await h.req({ method: 'DELETE', url: `/api/v1/tokens/${revoked.id}`, headers: ac })).statusCode, 200);
  const b = await h.createUser('bob');
  const c = await h.createUser('carol');
  assert.equal((await h.req({ method: 'PATCH', url: `/api/v1/users/${c.id}`, headers: { cookie: h.adminCookie }, payload: { disabled: true } })).statusCode, 200);
  const service = await createToken(h, { cookie: h.adminCookie }, { name: 'fx-service', kind: 'service', access: 'full' });
  h.clock.advance(61_000); // fx-expired is now past its expiry
  return {
    admin,
    alice: { id: a.id, cookie: a.cookie, full: a.token, write: write.token, read: read.token, expired: expired.token, inactive: inactive.token, revoked: revoked.token, ownTokenId: write.id },
    bob: { id: b.id, tokenId: b.tokenId },
    disabledOwner: c.token,
    service: service.token,
  };
};

/**
 * What a route needs: `any` valid credential, a `full` credential of a user (`manager`), an `admin`, or a `session`.
 * `ownerScoped` routes take a token id: the matrix passes the caller's own token, or bob's to show others' are hidden.
 */
export interface RouteSpec {
  method: InjectOptions['method'];
  /** Path; `:token` is replaced by a token id, `:user` by bob's user id. */
  path: string;
  need: 'any' | 'manager' | 'admin' | 'session';
  payload?: Record<string, unknown>;
  /** Told apart in the test names when one route is listed twice. */
  label?: string;
  /** Status of a successful call by a low-access credential on an `any` route. */
  okStatus?: number;
}

interface Case {
  name: string;
  creds: (f: Fixture) => Record<string, string>;
  /** Token id used for `:token` (default: alice's own token). */
  tokenId?: (f: Fixture) => string;
  expect: (spec: RouteSpec) => { status: number; code?: string } | null;
}

const always = (status: number, code: string) => () => ({ status, code });
const CASES: Case[] = [
  { name: 'no credential → 401 UNAUTHENTICATED', creds: () => ({}), expect: always(401, 'UNAUTHENTICATED') },
  { name: 'malformed token → 401 TOKEN_MALFORMED', creds: () => bearer('tsr_not-a-token'), expect: always(401, 'TOKEN_MALFORMED') },
  { name: 'unknown well-formed token → 401 TOKEN_NOT_FOUND', creds: () => bearer(unknownToken()), expect: always(401, 'TOKEN_NOT_FOUND') },
  { name: 'expired token → 401 TOKEN_EXPIRED', creds: (f) => bearer(f.alice.expired), expect: always(401, 'TOKEN_EXPIRED') },
  { name: 'inactive token → 401 TOKEN_DISABLED', creds: (f) => bearer(f.alice.inactive), expect: always(401, 'TOKEN_DISABLED') },
  { name: 'revoked token → 401 TOKEN_REVOKED', creds: (f) => bearer(f.alice.revoked), expect: always(401, 'TOKEN_REVOKED') },
  { name: 'token of a disabled user → 401 TOKEN_DISABLED', creds: (f) => bearer(f.disabledOwner), expect: always(401, 'TOKEN_DISABLED') },
  { name: 'unknown session cookie → 401 SESSION_INVALID', creds: () => ({ cookie: 'tessera_session=tss_nosuchsession' }), expect: always(401, 'SESSION_INVALID') },
  {
    name: 'read token → 403 INSUFFICIENT_ACCESS where full is needed', creds: (f) => bearer(f.alice.read),
    expect: (s) => (s.need === 'manager' || s.need === 'admin' ? { status: 403, code: 'INSUFFICIENT_ACCESS' } : s.need === 'any' ? { status: s.okStatus ?? 200 } : null),
  },
  {
    name: 'write token → 403 INSUFFICIENT_ACCESS where full is needed', creds: (f) => bearer(f.alice.write),
    expect: (s) => (s.need === 'manager' || s.need === 'admin' ? { status: 403, code: 'INSUFFICIENT_ACCESS' } : s.need === 'any' ? { status: s.okStatus ?? 200 } : null),
  },
  {
    name: 'admin\'s read token → 403 INSUFFICIENT_ACCESS on an admin route', creds: (f) => bearer(f.admin.read),
    expect: (s) => (s.need === 'admin' ? { status: 403, code: 'INSUFFICIENT_ACCESS' } : null),
  },
  {
    name: 'non-admin full token → 403 FORBIDDEN on an admin route', creds: (f) => bearer(f.alice.full),
    expect: (s) => (s.need === 'admin' ? { status: 403, code: 'FORBIDDEN' } : null),
  },
  {
    name: 'non-admin session → 403 FORBIDDEN on an admin route', creds: (f) => ({ cookie: f.alice.cookie }),
    expect: (s) => (s.need === 'admin' ? { status: 403, code: 'FORBIDDEN' } : null),
  },
  {
    name: 'service token → 403 FORBIDDEN when managing tokens or users', creds: (f) => bearer(f.service),
    expect: (s) => (s.need === 'manager' || s.need === 'admin' ? { status: 403, code: 'FORBIDDEN' } : null),
  },
  {
    name: 'another user\'s token id → 404 NOT_FOUND', creds: (f) => bearer(f.alice.full), tokenId: (f) => f.bob.tokenId,
    expect: (s) => (s.need === 'manager' && s.path.includes(':token') ? { status: 404, code: 'NOT_FOUND' } : null),
  },
];

/**
 * Registers one suite per route with one test per credential case. `fixture()` is read when the tests run, so the
 * caller builds it in a `before` hook. Every refused call must leave the audit log untouched: the handler did not run.
 */
export const runCommonRouteTests = (routes: RouteSpec[], ctx: () => { h: Harness; f: Fixture }): void => {
  for (const spec of routes) {
    describe(`${spec.method} ${spec.path}${spec.label ? ` (${spec.label})` : ''}`, () => {
      for (const c of CASES) {
        const want = c.expect(spec);
        if (want === null) continue;
        test(c.name, async () => {
          const { h, f } = ctx();
          const url = spec.path.replace(':token', (c.tokenId ?? ((x: Fixture) => x.alice.ownTokenId))(f)).replace(':user', String(f.bob.id));
          const before = await lastAuditId(h);
          const res = await h.req({ method: spec.method, url, headers: c.creds(f), ...(spec.payload ? { payload: spec.payload } : {}) });
          if (want.code) {
            expectError(res, want.status, want.code);
            assert.equal(await lastAuditId(h), before, 'a refused request records nothing');
          } else {
            assert.equal(res.statusCode, want.status, res.body);
          }
        });
      }
    });
  }
};

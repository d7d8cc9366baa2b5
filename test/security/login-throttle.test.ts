/**
 * Issue 12, items 7, 9 and 12 (login): nobody can lock a user out (a correct password from a clean address gets in,
 * while the guessing address waits a growing delay); counters are shared by every node on one database; a flood of
 * refused logins writes a bounded number of audit rows, with the count; old audit rows are pruned; a username that
 * looks like a token is never audited. Runs on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, type Harness, startHarness } from '../helpers.js';
import { expectError } from '../api/support.js';
import { freshSchema, testStore } from '../services.js';
import { sql } from 'kysely';
import type { SqlStore } from '../../src/store/sql-store.js';

const MAX = 5;
const login = (h: Harness, username: string, password: string, ip: string) =>
  h.req({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { username, password } });

describe('account lockout by anyone is gone', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ login_throttle: { max_failures: MAX, window_seconds: 900, block_seconds: 900 } }); });
  after(() => h.close());

  test('20 wrong passwords for admin from A: A is refused (429 + Retry-After); a clean address B logs in at once', async () => {
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push((await login(h, 'admin', `wrong-${i}`, '10.50.0.1')).statusCode);
    assert.deepEqual(answers.slice(0, MAX), Array(MAX).fill(401));
    assert.ok(answers.slice(MAX).every((s) => s === 429), answers.join(','));
    const a = await login(h, 'admin', ADMIN_PASSWORD, '10.50.0.1');
    expectError(a, 429, 'RATE_LIMITED');
    assert.ok(Number(a.headers['retry-after']) > 0);
    assert.equal((await login(h, 'admin', ADMIN_PASSWORD, '10.50.0.2')).statusCode, 200, 'the real admin gets in from a clean address');
  });

  test('many correct logins at once from one clean address: none is blocked; those over the in-progress count wait a second', async () => {
    const ip = '10.50.0.9';
    const rs = await Promise.all(Array.from({ length: 3 * MAX }, () => login(h, 'admin', ADMIN_PASSWORD, ip)));
    const refused = rs.filter((r) => r.statusCode !== 200);
    assert.ok(rs.some((r) => r.statusCode === 200));
    for (const r of refused) {
      expectError(r, 429, 'RATE_LIMITED', /in progress/);
      assert.equal(r.headers['retry-after'], '1', 'not the failures\' block (15 minutes)');
    }
    await new Promise((res) => setTimeout(res, 1100));
    const again = await Promise.all(refused.map(() => login(h, 'admin', ADMIN_PASSWORD, ip)));
    assert.ok(again.every((r) => r.statusCode === 200 || (r.statusCode === 429 && r.headers['retry-after'] === '1')), again.map((r) => r.statusCode).join(','));
    // The address is still clean: a wrong password then counts as the first failure, not a block.
    assert.equal((await login(h, 'admin', 'wrong-once', ip)).statusCode, 401);
  });

  test('a login that fails on a database error gives its attempt back: the address is not refused as "in progress" afterwards', async () => {
    const ip = '10.50.0.77';
    // The database refuses to forget a username's failures (what a successful login does), as a database that has
    // just become unavailable would: each such login ends in an error after its attempt was counted.
    const db = (h.t.services.store as SqlStore).db;
    const postgres = testStore() === 'postgres';
    if (postgres) {
      await sql.raw(`create function refuse_forget() returns trigger language plpgsql as $$ begin raise exception 'injected by the test'; end $$`).execute(db);
      await sql.raw(`create trigger refuse_forget before delete on login_throttle for each row when (old.key like 'user:%') execute function refuse_forget()`).execute(db);
    } else {
      await sql.raw(`create trigger refuse_forget before delete on login_throttle when old.key like 'user:%' begin select raise(abort, 'injected by the test'); end`).execute(db);
    }
    try {
      for (let i = 0; i < MAX + 1; i++) expectError(await login(h, 'admin', ADMIN_PASSWORD, ip), 500, 'INTERNAL_ERROR');
    } finally {
      await sql.raw('drop trigger refuse_forget' + (postgres ? ' on login_throttle' : '')).execute(db);
      if (postgres) await sql.raw('drop function refuse_forget()').execute(db);
    }
    const r = await login(h, 'admin', ADMIN_PASSWORD, ip);
    assert.equal(r.statusCode, 200, r.body);
  });

  test('the username delay grows with each failure from addresses that have failed, and a success ends it', async () => {
    await h.createUser('vera');
    // MAX failures spread over addresses (no address reaches its own limit), then more: the delay doubles.
    for (let i = 0; i < MAX; i++) expectError(await login(h, 'vera', 'wrong', `10.51.0.${i}`), 401, 'INVALID_LOGIN');
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await login(h, 'vera', 'wrong', '10.51.0.0'); // an address with a failure of its own: it must wait
      expectError(r, 429, 'RATE_LIMITED');
      waits.push(Number(r.headers['retry-after']));
      h.clock.advance(waits[i]! * 1000);
      expectError(await login(h, 'vera', 'wrong', `10.51.1.${i}`), 401, 'INVALID_LOGIN'); // a clean address may try: a failure more
    }
    assert.deepEqual(waits, [1, 2, 4, 8], 'the delay doubles');
    assert.equal((await login(h, 'vera', 'vera-password', '10.51.2.1')).statusCode, 200);
    expectError(await login(h, 'vera', 'wrong', '10.51.0.0'), 401, 'INVALID_LOGIN', undefined);
  });
});

describe('refused logins do not grow the audit log without bound', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ login_throttle: { max_failures: 2, window_seconds: 600, block_seconds: 600 } }); });
  after(() => h.close());

  test('500 throttled attempts from one address → one row now and one with the count when the window ends', async () => {
    for (let i = 0; i < 502; i++) await login(h, `user${i}`, 'wrong', '10.52.0.1');
    const rows = async () => (await h.t.services.store.listAudit({ action: 'auth.login_throttled', limit: 100 })).items;
    assert.equal((await rows()).length, 1);
    assert.deepEqual((await rows())[0]!.details, { login: 'user2', limit: 'address', count: 1 });
    h.clock.advance(600_000);
    await h.t.services.auth.sweepThrottle();
    const after = await rows();
    assert.equal(after.length, 2);
    assert.equal(after[0]!.details?.count, 499, 'the rest of the window, as one count');
    assert.equal(after[0]!.ip, '10.52.0.1');
  });

  test('audit.retention_days: the pruning job deletes old rows and keeps recent ones', async () => {
    const s = await startHarness({ audit: { retention_days: 30 } });
    try {
      await s.t.services.audit.record({ principal: null, ip: null, requestId: null }, 'test.old', null);
      s.clock.advance(31 * 86_400_000);
      await s.t.services.audit.record({ principal: null, ip: null, requestId: null }, 'test.new', null);
      assert.ok(await s.t.services.audit.prune(30) >= 1);
      const left = (await s.t.services.store.listAudit({ action: 'test.', limit: 10 })).items.map((e) => e.action);
      assert.deepEqual(left, ['test.new']);
      assert.equal(await s.t.services.audit.prune(0), 0, '0 keeps every row');
    } finally { await s.close(); }
  });
});

test('a failed login whose username is a token value is audited without it', async () => {
  const h = await startHarness();
  try {
    const { token } = await h.adminToken({ name: 'pasted' });
    expectError(await login(h, token, 'whatever', '10.53.0.1'), 401, 'INVALID_LOGIN');
    const failed = (await h.t.services.store.listAudit({ action: 'auth.login_failed', limit: 10 })).items;
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.details?.login, null);
    const everything = JSON.stringify((await h.t.services.store.listAudit({ limit: 200 })).items);
    assert.ok(!everything.includes(token), 'no trace of the value in the audit log');
    assert.ok(!h.logs().includes(token), 'nor in the log');
    expectError(await login(h, 'not-a-token', 'whatever', '10.53.0.1'), 401, 'INVALID_LOGIN');
    assert.equal((await h.t.services.store.listAudit({ action: 'auth.login_failed', limit: 1 })).items[0]!.details?.login, 'not-a-token', 'ordinary usernames are kept');
  } finally { await h.close(); }
});

test('a token of another format (FileBin\'s 32 characters) typed as a username is audited without it, refused or throttled', async () => {
  const h = await startHarness({ tokens: { format: { personal: 'filebin', service: 'tessera', bound: 'uuid' } }, login_throttle: { max_failures: 2, window_seconds: 900, block_seconds: 900 } });
  try {
    const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: h.adminCookie }, payload: { name: 'fb', access: 'full' } });
    const token = r.json().token as string;
    assert.match(token, /^[A-Za-z0-9]{32}$/, 'a FileBin-format value: no prefix, no checksum');
    for (let i = 0; i < 4; i++) await login(h, token, 'whatever', '10.55.0.1');
    const rows = (await h.t.services.store.listAudit({ limit: 200 })).items;
    const actions = rows.map((e) => e.action);
    assert.ok(actions.includes('auth.login_failed') && actions.includes('auth.login_throttled'), actions.join(','));
    for (const e of rows.filter((x) => x.action.startsWith('auth.login_'))) assert.equal(e.details?.login, null, e.action);
    assert.ok(!JSON.stringify(rows).includes(token), 'no trace of the value in the audit log');
    // A user's own name stays, even when it has the same shape.
    await h.createUser('AbCdEfGhIjKlMnOpQrStUvWxYz012345');
    expectError(await login(h, 'AbCdEfGhIjKlMnOpQrStUvWxYz012345', 'wrong', '10.55.0.9'), 401, 'INVALID_LOGIN');
    const last = (await h.t.services.store.listAudit({ action: 'auth.login_failed', limit: 1 })).items[0]!;
    assert.equal(last.details?.login, 'AbCdEfGhIjKlMnOpQrStUvWxYz012345');
  } finally { await h.close(); }
});

// In the PostgreSQL pass of scripts/test.mjs (which CI always runs).
test('two nodes on one PostgreSQL database share the counters', { skip: testStore() === 'postgres' ? false : 'runs in the PostgreSQL pass' }, async () => {
  const schema = await freshSchema();
  const url = schema.url('tessera-throttle');
  const limits = { max_failures: 3, window_seconds: 900, block_seconds: 900 };
  const shared = { database_url: url, login_throttle: limits, secret_key: 'ab'.repeat(32) }; // every node runs with the same key
  const a = await startHarness(shared);
  let nodeB: Harness | null = null;
  try {
    nodeB = await startHarness(shared);
    for (let i = 0; i < 2; i++) expectError(await login(a, 'admin', 'wrong', '10.54.0.1'), 401, 'INVALID_LOGIN');
    expectError(await login(nodeB, 'admin', 'wrong', '10.54.0.1'), 401, 'INVALID_LOGIN');
    expectError(await login(a, 'admin', ADMIN_PASSWORD, '10.54.0.1'), 429, 'RATE_LIMITED');
    expectError(await login(nodeB, 'admin', ADMIN_PASSWORD, '10.54.0.1'), 429, 'RATE_LIMITED');
  } finally {
    await nodeB?.close();
    await a.close();
    await schema.drop();
  }
});

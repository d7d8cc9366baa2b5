/**
 * Usage limits (`remaining`, refill) and rate limits (requests per window) of tokens (issue 5), through the native
 * API: set at create and PATCH, shown in views, enforced by POST /api/v1/verify (USAGE_EXCEEDED, RATE_LIMITED with
 * `usage` / `rate_limit`), by forward-auth (429, Retry-After, RateLimit-*) and on every route the token authenticates.
 * The refill runs on the harness's TestClock; rate windows are real time (rate-limiter-flexible), so they are long
 * here except in the one test that waits for a window to end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, type Harness, startHarness } from '../helpers.js';

let h: Harness;
let admin: Record<string, string>;
/** How often the store's atomic use operation ran (observed, not replaced: the real store still does the work). */
let consumeCalls = 0;
before(async () => {
  h = await startHarness();
  admin = { cookie: h.adminCookie };
  const store = h.t.services.store;
  const real = store.consumeUse.bind(store);
  store.consumeUse = (id, now) => { consumeCalls++; return real(id, now); };
});
after(async () => { await h.close(); });

const create = async (body: Record<string, unknown>) => {
  const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { access: 'full', ...body } });
  assert.equal(r.statusCode, 201, r.body);
  return r.json() as { id: string; token: string; remaining: number | null; refill: unknown; rate_limit: unknown };
};
const verify = async (token: string) => {
  const r = await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: { token } });
  assert.equal(r.statusCode, 200);
  return r.json();
};
const show = async (id: string) => (await h.req({ method: 'GET', url: `/api/v1/tokens/${id}`, headers: admin })).json();
const patch = (id: string, payload: Record<string, unknown>) => h.req({ method: 'PATCH', url: `/api/v1/tokens/${id}`, headers: admin, payload });
const forward = (token: string, query = '') => h.req({ method: 'GET', url: `/api/v1/auth/forward${query}`, headers: bearer(token) });

describe('usage limits', () => {
  test('remaining counts down one use per verification and stops exactly at zero', async () => {
    const t = await create({ remaining: 3 });
    assert.equal(t.remaining, 3);
    assert.equal(t.refill, null);
    assert.equal(t.rate_limit, null);
    const codes = [];
    for (let i = 0; i < 5; i++) {
      const r = await verify(t.token);
      codes.push([r.code, r.valid, r.usage]);
    }
    assert.deepEqual(codes, [
      ['VALID', true, { remaining: 2, reset_at: null }], ['VALID', true, { remaining: 1, reset_at: null }],
      ['VALID', true, { remaining: 0, reset_at: null }], ['USAGE_EXCEEDED', false, { remaining: 0, reset_at: null }],
      ['USAGE_EXCEEDED', false, { remaining: 0, reset_at: null }],
    ]);
    assert.equal((await show(t.id)).remaining, 0, 'the view shows what is left');
  });

  test('as the caller\'s own credential: each request takes a use, then 429 USAGE_EXCEEDED without Retry-After', async () => {
    const t = await create({ remaining: 2 });
    for (let i = 0; i < 2; i++) assert.equal((await h.req({ method: 'GET', url: '/api/v1/tokens', headers: bearer(t.token) })).statusCode, 200);
    const r = await h.req({ method: 'GET', url: '/api/v1/tokens', headers: bearer(t.token) });
    assert.equal(r.statusCode, 429);
    assert.equal(r.json().error.code, 'USAGE_EXCEEDED');
    assert.equal(r.headers['retry-after'], undefined, 'no refill: waiting does not help');
    assert.equal(r.headers['ratelimit-remaining'], '0');
    const fw = await forward(t.token);
    assert.equal(fw.statusCode, 429);
    assert.equal(fw.json().error.code, 'USAGE_EXCEEDED');
  });

  test('refill: remaining is set back to the amount after the interval (TestClock), with the reset time shown', async () => {
    const t0 = h.clock.now();
    const t = await create({ remaining: 1, refill: { amount: 2, interval_seconds: 60 } });
    assert.deepEqual(t.refill, { amount: 2, interval_seconds: 60, next_at: new Date(t0 + 60_000).toISOString() });
    assert.deepEqual((await verify(t.token)).usage, { remaining: 0, reset_at: new Date(t0 + 60_000).toISOString() });
    const refused = await verify(t.token);
    assert.equal(refused.code, 'USAGE_EXCEEDED');
    assert.equal(refused.usage.reset_at, new Date(t0 + 60_000).toISOString());

    h.clock.advance(20_000);
    const fw = await forward(t.token);
    assert.equal(fw.statusCode, 429);
    assert.equal(fw.json().error.code, 'USAGE_EXCEEDED');
    assert.equal(fw.headers['retry-after'], '40');
    assert.equal(fw.headers['ratelimit-limit'], '2');
    assert.equal(fw.headers['ratelimit-remaining'], '0');
    assert.equal(fw.headers['ratelimit-reset'], '40');

    h.clock.advance(40_000);
    const view = await show(t.id);
    assert.equal(view.remaining, 2, 'a due refill shows before anyone uses it');
    assert.equal(view.refill.next_at, new Date(t0 + 120_000).toISOString());
    const ok = await forward(t.token);
    assert.equal(ok.statusCode, 204);
    assert.equal(ok.headers['ratelimit-remaining'], '1');
    assert.equal(ok.headers['ratelimit-reset'], '60');
    assert.deepEqual((await verify(t.token)).usage, { remaining: 0, reset_at: new Date(t0 + 120_000).toISOString() });
    assert.equal((await verify(t.token)).code, 'USAGE_EXCEEDED');
  });

  test('a JWT derived from a limited token spends its parent\'s uses', async () => {
    const t = await create({ remaining: 2 });
    const j = await h.req({ method: 'POST', url: '/api/v1/auth/jwt', headers: bearer(t.token), payload: {} });
    assert.equal(j.statusCode, 200, j.body); // issuing it took one use
    const jwt = j.json().token as string;
    assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(jwt) })).statusCode, 200);
    const r = await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(jwt) });
    assert.equal(r.statusCode, 429);
    assert.equal(r.json().error.code, 'USAGE_EXCEEDED');
  });

  test('a token below the access level asked for is refused before it spends a use', async () => {
    const t = await create({ remaining: 1, access: 'read' });
    assert.equal((await forward(t.token, '?access=write')).statusCode, 403);
    const r = await verify(t.token);
    assert.equal(r.code, 'VALID', 'the use is still there');
    assert.equal(r.usage.remaining, 0);
  });

  test('400 VALIDATION_ERROR for limits out of range or incomplete', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ remaining: -1 }, /remaining/],
      [{ remaining: 1.5 }, /remaining/],
      [{ remaining: 'ten' }, /remaining/],
      [{ refill: { amount: 5, interval_seconds: 60 } }, /refill needs a usage limit/],
      [{ remaining: 1, refill: { amount: 5 } }, /interval_seconds/],
      [{ remaining: 1, refill: { amount: 0, interval_seconds: 60 } }, /amount/],
      [{ remaining: 1, refill: { amount: 1, interval_seconds: 60, extra: 1 } }, /extra/],
      [{ rate_limit: { limit: 0, window_seconds: 10 } }, /limit/],
      [{ rate_limit: { limit: 5, window_seconds: 86_401 } }, /window_seconds/],
      [{ rate_limit: { limit: 5 } }, /window_seconds/],
    ];
    for (const [body, msg] of bad) {
      const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { access: 'full', ...body } });
      assert.equal(r.statusCode, 400, JSON.stringify(body));
      assert.equal(r.json().error.code, 'VALIDATION_ERROR');
      assert.match(r.json().error.message, msg, JSON.stringify(body));
    }
    const t = await create({});
    const r = await patch(t.id, { refill: { amount: 5, interval_seconds: 60 } });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error.message, /refill needs a usage limit/);
  });
});

describe('rate limits', () => {
  test('at most `limit` verifications per window, then RATE_LIMITED with the window\'s reset', async () => {
    const t = await create({ rate_limit: { limit: 3, window_seconds: 3600 } });
    assert.deepEqual(t.rate_limit, { limit: 3, window_seconds: 3600 });
    const rs = [];
    for (let i = 0; i < 4; i++) rs.push(await verify(t.token));
    assert.deepEqual(rs.map((r) => [r.code, r.rate_limit.remaining]), [['VALID', 2], ['VALID', 1], ['VALID', 0], ['RATE_LIMITED', 0]]);
    assert.equal(rs[3].valid, false);
    assert.equal(rs[3].usage, undefined, 'a refused request does not touch the usage limit');
    const reset = Date.parse(rs[3].rate_limit.reset_at) - h.clock.now();
    assert.ok(reset > 0 && reset <= 3_600_000, `reset in ${reset} ms`);
  });

  test('forward-auth: RateLimit-* on 204, then 429 with Retry-After', async () => {
    const t = await create({ rate_limit: { limit: 2, window_seconds: 3600 } });
    const first = await forward(t.token);
    assert.equal(first.statusCode, 204);
    assert.equal(first.headers['ratelimit-limit'], '2');
    assert.equal(first.headers['ratelimit-remaining'], '1');
    assert.ok(Number(first.headers['ratelimit-reset']) <= 3600);
    assert.equal((await forward(t.token)).statusCode, 204);
    const r = await forward(t.token);
    assert.equal(r.statusCode, 429);
    assert.equal(r.json().error.code, 'RATE_LIMITED');
    const retry = Number(r.headers['retry-after']);
    assert.ok(retry >= 1 && retry <= 3600, `Retry-After ${retry}`);
    assert.equal(r.headers['ratelimit-limit'], '2');
    assert.equal(r.headers['ratelimit-remaining'], '0');
    assert.equal(r.headers['ratelimit-reset'], String(retry));
  });

  test('rate limit first: a rate-limited request does not spend a use', async () => {
    const t = await create({ remaining: 5, rate_limit: { limit: 1, window_seconds: 3600 } });
    assert.equal((await verify(t.token)).usage.remaining, 4);
    assert.equal((await verify(t.token)).code, 'RATE_LIMITED');
    assert.equal((await show(t.id)).remaining, 4);
  });

  test('a new window starts once the old one has ended', async () => {
    const t = await create({ rate_limit: { limit: 1, window_seconds: 1 } });
    assert.equal((await verify(t.token)).code, 'VALID');
    const refused = await verify(t.token);
    assert.equal(refused.code, 'RATE_LIMITED');
    // The window is real time: wait until the reset it announced has passed.
    await new Promise((r) => setTimeout(r, Date.parse(refused.rate_limit.reset_at) - h.clock.now() + 50));
    assert.equal((await verify(t.token)).code, 'VALID');
  });
});

describe('PATCH changes limits', () => {
  test('adding, changing and removing limits takes effect at once', async () => {
    const t = await create({});
    assert.equal((await verify(t.token)).usage, undefined);
    let r = await patch(t.id, { remaining: 1, rate_limit: { limit: 100, window_seconds: 3600 } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().remaining, 1);
    assert.deepEqual(r.json().rate_limit, { limit: 100, window_seconds: 3600 });
    assert.equal((await verify(t.token)).code, 'VALID');
    assert.equal((await verify(t.token)).code, 'USAGE_EXCEEDED');
    r = await patch(t.id, { remaining: 2, refill: { amount: 3, interval_seconds: 10 } });
    assert.deepEqual([r.json().remaining, r.json().refill.amount], [2, 3]);
    assert.equal((await verify(t.token)).usage.remaining, 1);
    r = await patch(t.id, { remaining: null, rate_limit: null });
    assert.deepEqual([r.json().remaining, r.json().refill, r.json().rate_limit], [null, null, null], 'removing remaining removes its refill');
    const v = await verify(t.token);
    assert.equal(v.code, 'VALID');
    assert.equal(v.usage, undefined);
    assert.equal(v.rate_limit, undefined);
    r = await patch(t.id, { rate_limit: { limit: 1, window_seconds: 60 } }); // a window length of its own: a new counter
    assert.equal((await verify(t.token)).code, 'VALID');
    assert.equal((await verify(t.token)).code, 'RATE_LIMITED');
  });

  test('a new limit in the same window applies to the requests already counted (the limits do not add up)', async () => {
    const t = await create({ rate_limit: { limit: 3, window_seconds: 3600 } });
    for (let i = 0; i < 3; i++) assert.equal((await verify(t.token)).code, 'VALID');
    assert.equal((await verify(t.token)).code, 'RATE_LIMITED'); // counted too: 4 in this window
    let r = await patch(t.id, { rate_limit: { limit: 5, window_seconds: 3600 } });
    assert.equal(r.statusCode, 200, r.body);
    const raised = [await verify(t.token), await verify(t.token)];
    assert.deepEqual(raised.map((v) => [v.code, v.rate_limit.limit, v.rate_limit.remaining]), [['VALID', 5, 0], ['RATE_LIMITED', 5, 0]]);
    // Lowered below what was counted: refused at once; raised above it again: the rest of the new limit.
    r = await patch(t.id, { rate_limit: { limit: 2, window_seconds: 3600 } });
    assert.equal((await verify(t.token)).code, 'RATE_LIMITED');
    r = await patch(t.id, { rate_limit: { limit: 10, window_seconds: 3600 } });
    const v = await verify(t.token);
    assert.deepEqual([v.code, v.rate_limit.remaining], ['VALID', 2]);
    const f = await forward(t.token);
    assert.deepEqual([f.statusCode, f.headers['ratelimit-limit'], f.headers['ratelimit-remaining']], [204, '10', '1']);
  });
});

describe('the fast path and exactness', () => {
  test('tokens without limits never run the store\'s use operation', async () => {
    const t = await create({});
    const before = consumeCalls;
    for (let i = 0; i < 5; i++) assert.equal((await verify(t.token)).code, 'VALID');
    assert.equal((await forward(t.token)).statusCode, 204);
    assert.equal(consumeCalls, before);
    const limited = await create({ remaining: 10 });
    await verify(limited.token);
    assert.equal(consumeCalls, before + 1, 'a limited token does (the counter observes the real store)');
  });

  test('race: remaining 100, 400 concurrent verifications → exactly 100 VALID', async () => {
    const t = await create({ remaining: 100 });
    const rs = await Promise.all(Array.from({ length: 400 }, () => verify(t.token)));
    const valid = rs.filter((r) => r.code === 'VALID');
    assert.equal(valid.length, 100);
    assert.equal(rs.filter((r) => r.code === 'USAGE_EXCEEDED').length, 300);
    assert.deepEqual(valid.map((r) => r.usage.remaining).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i), 'each use went to one caller');
    assert.equal((await show(t.id)).remaining, 0);
  });
});

/**
 * Usage tracking: verification writes nothing to the store itself; use counts and last-used times are written by the
 * batched flush (every usage_flush_ms) and once more at a clean shutdown, so none are lost.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/load.js';
import { createTessera } from '../../src/main.js';
import { bearer, startHarness } from '../helpers.js';
import { createToken } from './support.js';

test('uses appear in the store after the batched flush (usage_flush_ms = 50), not only in the API', async () => {
  const h = await startHarness(); // usage_flush_ms: 50
  try {
    const { id, token } = await createToken(h, { cookie: h.adminCookie }, { access: 'read' });
    const t0 = h.clock.now();
    for (let i = 0; i < 3; i++) assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode, 200);
    h.clock.advance(5_000);
    assert.equal((await h.req({ method: 'POST', url: '/api/v1/verify', headers: { cookie: h.adminCookie }, payload: { token } })).json().code, 'VALID');
    await sleep(150);
    const row = (await h.t.services.store.getToken(id))!;
    assert.equal(row.useCount, 4);
    assert.equal(row.lastUsedAt, t0 + 5_000);
    const shown = (await h.req({ method: 'GET', url: `/api/v1/tokens/${id}`, headers: { cookie: h.adminCookie } })).json();
    assert.deepEqual([shown.use_count, shown.last_used_at], [4, new Date(t0 + 5_000).toISOString()]);
  } finally {
    await h.close();
  }
});

test('verification makes no store write; counts show in the API at once and survive a clean shutdown', async () => {
  const h = await startHarness({ usage_flush_ms: 3_600_000 }); // the interval never fires: only shutdown flushes
  try {
    const { id, token } = await createToken(h, { cookie: h.adminCookie }, { access: 'full' });
    const refused = (await createToken(h, { cookie: h.adminCookie }, { access: 'read' })).token;
    const before = (await h.t.services.store.getToken(id))!;
    for (let i = 0; i < 5; i++) await h.req({ method: 'POST', url: '/api/v1/verify', headers: { cookie: h.adminCookie }, payload: { token } });
    await h.req({ method: 'GET', url: '/api/v1/tokens', headers: bearer(token) });
    await h.req({ method: 'POST', url: '/api/v1/verify', headers: { cookie: h.adminCookie }, payload: { token: refused, access: 'full' } });
    assert.deepEqual(await h.t.services.store.getToken(id), before, 'the row is unchanged: no synchronous write');
    const shown = (await h.req({ method: 'GET', url: `/api/v1/tokens/${id}`, headers: { cookie: h.adminCookie } })).json();
    assert.equal(shown.use_count, 6, 'pending uses are shown');
    const usedAt = h.clock.now();

    await h.t.close(); // flushes pending uses
    const reopened = await createTessera(loadConfig({}, { data_dir: h.dir, log_level: 'silent', password_hash: { memory_kib: 1024, iterations: 1 },
      ...(h.t.config.database_url ? { database_url: h.t.config.database_url } : {}) }));
    try {
      const row = (await reopened.services.store.getToken(id))!;
      assert.equal(row.useCount, 6);
      assert.equal(row.lastUsedAt, usedAt);
      const other = (await reopened.services.store.listTokens({ now: usedAt, limit: 10 })).items.find((t) => t.access === 'read')!;
      assert.deepEqual([other.useCount, other.lastUsedAt], [0, null], 'a verification that fails is not a use');
      // The reopened server accepts the same token: the data directory holds everything.
      const me = await reopened.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
      assert.equal(me.statusCode, 200);
    } finally {
      await reopened.close();
    }
  } finally {
    await h.close(); // the Tessera is already closed; this removes the data directory
  }
});

/**
 * Token values are shown to their owner and nowhere else: not in the database files (only SHA-256 hashes, and an
 * AES-GCM box for recoverable tokens), not in the logs, whatever way the values were sent.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearer, startHarness } from '../helpers.js';
import { createToken } from './support.js';
import { databaseText } from '../services.js';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));

/** Every file of the data directory, read as bytes and searched as latin1 text (the way a leak scanner would). */
const dataDirText = (dir: string): Map<string, string> => new Map(filesUnder(dir).map((f) => [f, readFileSync(f).toString('latin1')]));

test('no token or session value is in the data directory (db, -wal, -shm) or the logs', async () => {
  const h = await startHarness({ log_level: 'trace' });
  try {
    const admin = { cookie: h.adminCookie };
    const values: string[] = [];
    const keep = (v: string) => { values.push(v); return v; };
    const plain = await createToken(h, admin, { name: 'plain', access: 'full' });
    const recoverable = await createToken(h, admin, { name: 'recoverable', recoverable: true, access: 'full' });
    const service = await createToken(h, admin, { name: 'svc', kind: 'service', recoverable: true, access: 'read' });
    const rotating = await createToken(h, admin, { name: 'rotating', recoverable: true });
    [plain.token, recoverable.token, service.token, rotating.token].forEach(keep);
    keep(h.adminCookie.split('=')[1]!); // session values are stored hashed too

    // Use them every way a client can send them, and through the routes that handle values.
    const uses: Record<string, string>[] = [bearer(plain.token), { token: recoverable.token }, { 'x-api-key': service.token },
      { 'meshplay-token': plain.token }, { cookie: `token=${recoverable.token}` }];
    for (const headers of uses) assert.equal((await h.req({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode, 200);
    await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: { token: rotating.token } });
    await h.req({ method: 'POST', url: '/api/v1/tokens', payload: { apikey: plain.token, name: 'via-apikey' } }).then((r) => keep(r.json().token));
    await h.req({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `apikey=${recoverable.token}&token=${plain.token}` });
    await h.req({ method: 'GET', url: '/api/v1/auth/forward', headers: bearer(service.token) });
    const rotated = await h.req({ method: 'POST', url: `/api/v1/tokens/${rotating.id}/rotate`, headers: admin, payload: { grace_seconds: 60 } });
    keep(rotated.json().token);
    assert.equal((await h.req({ method: 'GET', url: `/api/v1/tokens/${recoverable.id}/value`, headers: admin })).json().token, recoverable.token);
    // Mistakes that carry a value: a bad JSON body, a token pasted as a password, a value in an unknown field.
    await h.req({ method: 'POST', url: '/api/v1/tokens', headers: { ...admin, 'content-type': 'application/json' }, payload: `{"name": "${plain.token}` });
    await h.req({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: plain.token } });
    await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { secret: plain.token } });
    await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${plain.token}`, 'x-api-key': recoverable.token } });
    await sleep(120); // let the usage flush write

    const check = (where: string, text: string) => {
      for (const v of values) assert.ok(!text.includes(v), `${where} contains a token value`);
      assert.ok(!/tsr_[0-9A-Za-z]{33}/.test(text), `${where} contains something shaped like a token`);
    };
    // On PostgreSQL (TESSERA_TEST_STORE=postgres) every row of the test's schema is searched as well.
    const url = h.t.config.database_url;
    const live = new Map([...dataDirText(h.dir), ...await databaseText(url)]);
    if (url === undefined) assert.ok([...live.keys()].some((f) => f.endsWith('tessera.db-wal')), 'the WAL file is searched too');
    else assert.ok(live.has('table token_secrets'), 'the database tables are searched');
    for (const [f, text] of live) check(f, text);
    // The search is real: the stored hashes are found.
    const all = [...live.values()].join('\n');
    assert.ok(all.includes(createHash('sha256').update(plain.token).digest('hex')), 'the hash of a value is stored');
    assert.ok(all.includes(recoverable.id));

    const logs = h.logs();
    assert.ok(logs.includes('/api/v1/auth/me') && logs.length > 1000, 'requests were logged');
    check('the log', logs);

    await h.t.close(); // checkpoint and close: the files at rest
    for (const [f, text] of [...dataDirText(h.dir), ...await databaseText(url)]) check(`${f} (closed)`, text);
  } finally {
    await h.close();
  }
});

test('a token value sent where its id belongs is not repeated in the error', async () => {
  const h = await startHarness();
  try {
    const admin = { cookie: h.adminCookie };
    const t = await createToken(h, admin, { name: 'pasted-as-id', access: 'full' });
    const asks = [
      { method: 'GET' as const, url: `/api/v1/tokens/${t.token}/value` },
      { method: 'PATCH' as const, url: `/api/v1/tokens/${t.token}`, payload: { name: 'x' } },
      { method: 'POST' as const, url: `/api/v1/tokens/${t.token}/rotate`, payload: {} },
      { method: 'DELETE' as const, url: `/api/v1/tokens/${t.token}` },
    ];
    for (const a of asks) {
      const r = await h.req({ ...a, headers: admin });
      assert.equal(r.statusCode, 404, `${a.method} ${r.body}`);
      assert.equal(r.json().error.code, 'NOT_FOUND');
      assert.ok(!r.body.includes(t.token.slice(4, 12)), `${a.method}: the value is not echoed: ${r.body}`);
    }
    // Nor where a role or an address belongs; a value of the right shape is still named.
    for (const [method, url, payload] of [['POST', '/api/v1/tokens', { roles: [t.token] }], ['POST', '/api/v1/tokens', { allowed_cidrs: [t.token] }],
      ['POST', '/api/v1/tokens', { owner: t.token }], ['GET', `/api/v1/tokens?owner=${t.token}`, undefined]] as const) {
      const r = await h.req({ method, url, headers: admin, payload });
      assert.equal(r.statusCode, 400, r.body);
      assert.ok(!r.body.includes(t.token.slice(4, 12)), `the value is not echoed: ${r.body}`);
    }
    assert.match((await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { roles: ['nosuchrole'] } })).body, /'nosuchrole' is not a role/);
    assert.match((await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { allowed_cidrs: ['10.0.0.0/99'] } })).body, /'10\.0\.0\.0\/99' is not an address/);
    // A real id is still named.
    const id = 'tok_0000000000000000';
    assert.match((await h.req({ method: 'GET', url: `/api/v1/tokens/${id}/value`, headers: admin })).json().error.message, new RegExp(id));
  } finally {
    await h.close();
  }
});

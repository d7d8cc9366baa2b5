/**
 * Concurrent changes around one owner, answered as one after the other would be: the per-user quota holds exactly
 * under concurrent creations (single and batch), a token created while its owner is being deleted is a 400 (never a
 * 500, never a token without its owner), and imports that create the same owners at once never delete each other's
 * users and tokens. The races are real on PostgreSQL (TESSERA_TEST_STORE=postgres: requests run at once on the pool);
 * on SQLite the same requests are serialised and the answers must be the same.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, startHarness } from '../helpers.js';

const MAX = 5;

describe('races around one owner', () => {
  let h: Harness;
  let admin: Record<string, string>;
  before(async () => { h = await startHarness({ max_tokens_per_user: MAX }); admin = { cookie: h.adminCookie }; });
  after(async () => { await h.close(); });

  /** Live tokens of a user (by id: a deleted user's name is gone), from every owner's listing. */
  const live = async (ownerId: number): Promise<number> => {
    const r = await h.req({ method: 'GET', url: '/api/v1/tokens?owner=*&limit=200&status=active', headers: admin });
    assert.equal(r.statusCode, 200, r.body);
    return (r.json().items as { owner: { id: number } | null }[]).filter((t) => t.owner?.id === ownerId).length;
  };

  test('the per-user quota holds under 30 concurrent creations and 4 concurrent batches', async () => {
    const u = await h.createUser('quota-racer');
    const mine = { authorization: `Bearer ${u.token}` };
    const had = await live(u.id); // the token createUser made
    const singles = Array.from({ length: 30 }, (_, i) => h.req({ method: 'POST', url: '/api/v1/tokens', headers: i % 2 ? mine : admin,
      payload: { name: `q${i}`, ...(i % 2 ? {} : { owner: 'quota-racer' }) } }));
    const batches = Array.from({ length: 4 }, (_, b) => h.req({ method: 'POST', url: '/api/v1/tokens/batch', headers: admin,
      payload: { tokens: [0, 1, 2].map((i) => ({ name: `b${b}-${i}`, owner: 'quota-racer' })) } }));
    const answers = await Promise.all([...singles, ...batches]);
    for (const r of answers) {
      assert.ok(r.statusCode === 201 || (r.statusCode === 409 && r.json().error.code === 'TOKEN_QUOTA_EXCEEDED'), `${r.statusCode} ${r.body}`);
    }
    const made = answers.reduce((n, r) => n + (r.statusCode === 201 ? (r.json().tokens?.length ?? 1) : 0), 0);
    const n = await live(u.id);
    assert.equal(n, had + made, 'every 201 made its tokens, nothing else did');
    assert.ok(n <= MAX, `${n} live tokens against a quota of ${MAX}`);
    assert.equal(n, MAX, 'the quota was filled');
  });

  test('a token created for an owner being deleted is 201, 400 OWNER_UNKNOWN (or the quota\'s 409); none outlives its owner', async () => {
    for (let round = 0; round < 3; round++) {
      const name = `doomed-${round}`;
      const u = await h.createUser(name);
      const creations = Array.from({ length: 16 }, (_, i) => h.req({ method: 'POST', url: i % 2 ? '/api/v1/tokens' : '/api/v1/tokens/batch', headers: admin,
        payload: i % 2 ? { owner: name } : { tokens: [{ owner: name }] } }));
      const deletion = new Promise((r) => setTimeout(r, 2)).then(() => h.req({ method: 'DELETE', url: `/api/v1/users/${u.id}`, headers: admin }));
      const answers = await Promise.all([...creations, deletion]);
      assert.ok([200, 204].includes(answers.at(-1)!.statusCode), answers.at(-1)!.body);
      for (const r of answers.slice(0, -1)) {
        const ok = r.statusCode === 201 || (r.statusCode === 400 && /^(tokens\[0\]\.)?owner$/.test(r.json().error.field))
          || (r.statusCode === 409 && r.json().error.code === 'TOKEN_QUOTA_EXCEEDED');
        assert.ok(ok, `${r.statusCode} ${r.body}`);
      }
      assert.equal(await live(u.id), 0);
    }
  });

  test('an import does not delete a user it created once another import wrote tokens for it', async () => {
    // A creates `first`, then 20 more owners (a password hash each); B starts once `first` exists and imports a row
    // for it at once. A then finds that row imported already and drops the users it made but did not use — not
    // `first`, which owns B's token now.
    const a = h.req({ method: 'POST', url: '/api/v1/tokens/import', headers: admin, payload: { format: 'json', create_users: true, rows: [
      { value: 'legacy-shared-value-0001-abcdef', owner: 'first-owner' },
      ...Array.from({ length: 20 }, (_, i) => ({ value: `legacy-own-value-${String(i).padStart(4, '0')}-abcdef`, owner: `later-owner-${i}` })),
    ] } });
    const exists = async (): Promise<boolean> =>
      (await h.req({ method: 'GET', url: '/api/v1/users?limit=200', headers: admin })).json().items.some((u: { username: string }) => u.username === 'first-owner');
    while (!(await exists())) await new Promise((r) => setImmediate(r));
    const b = await h.req({ method: 'POST', url: '/api/v1/tokens/import', headers: admin, payload: { format: 'json', rows: [{ value: 'legacy-shared-value-0001-abcdef', owner: 'first-owner' }] } });
    assert.deepEqual([b.statusCode, b.json().imported], [200, 1], b.body);
    const ra = await a;
    assert.equal(ra.statusCode, 200, ra.body);
    const v = await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: { token: 'legacy-shared-value-0001-abcdef' } });
    assert.deepEqual([v.json().code, v.json().token?.owner?.username ?? v.json().owner?.username], ['VALID', 'first-owner'], v.body);
  });

  test('six imports creating the same owners at once: every row imported once, every owner kept', async () => {
    for (let round = 0; round < 3; round++) {
      const owners = [0, 1, 2].map((i) => `imported-owner-${round}-${i}`);
      const rows = Array.from({ length: 30 }, (_, i) => ({ value: `legacy-${round}-value-${String(i).padStart(4, '0')}-abcdef`, owner: owners[i % 3], name: `legacy-${i}` }));
      const answers = await Promise.all(Array.from({ length: 6 }, () => h.req({ method: 'POST', url: '/api/v1/tokens/import', headers: admin,
        payload: { format: 'json', rows, create_users: true } })));
      let imported = 0;
      for (const r of answers) {
        assert.equal(r.statusCode, 200, r.body);
        imported += r.json().imported;
      }
      assert.equal(imported, 30, 'each row imported by exactly one call');
      for (const row of rows) {
        const v = await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: { token: row.value } });
        assert.equal(v.json().code, 'VALID', `${row.value}: ${v.body}`);
      }
      const users = (await h.req({ method: 'GET', url: '/api/v1/users?limit=200', headers: admin })).json().items.map((u: { username: string }) => u.username);
      for (const o of owners) assert.ok(users.includes(o), `${o} exists`);
    }
  });
});

describe('races between owners', () => {
  let h: Harness;
  let admin: Record<string, string>;
  before(async () => { h = await startHarness(); admin = { cookie: h.adminCookie }; });
  after(async () => { await h.close(); });

  test('mixed: batches over two owners in both orders, imports naming them the other way round, names re-used while their owner is deleted — never a 500', { timeout: 120_000 }, async () => {
    // PostgreSQL takes rows in one order in every change (the users' rows by id, then tokens by id): before, these
    // deadlocked until their retries ran out.
    const bad: string[] = [];
    for (let round = 0; round < 12; round++) {
      const a = await h.createUser(`mixa${round}`);
      const b = await h.createUser(`mixb${round}`);
      for (let i = 0; i < 6; i++) {
        const r = await h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: `x${i}`, owner: String(a.id) } });
        assert.equal(r.statusCode, 201, r.body);
      }
      const owners = [a.id, b.id];
      const answers = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => h.req({ method: 'POST', url: '/api/v1/tokens/batch', headers: admin,
          payload: { tokens: (i % 2 ? [...owners].reverse() : owners).map((o, j) => ({ name: `bt${i}-${j}`, owner: String(o) })) } })),
        ...Array.from({ length: 6 }, (_, i) => h.req({ method: 'POST', url: '/api/v1/tokens/import', headers: admin,
          payload: { format: 'json', rows: [`mixb${round}`, `mixa${round}`, `mixb${round}`, `mixa${round}`].map((o, j) => ({ value: `mixed-${round}-${i}-${j}-abcdefgh`, owner: o })) } })),
        ...Array.from({ length: 6 }, (_, i) => h.req({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: `x${i}`, owner: String(a.id) } })),
        new Promise((r) => setTimeout(r, 3)).then(() => h.req({ method: 'DELETE', url: `/api/v1/users/${a.id}`, headers: admin })),
      ]);
      for (const r of answers) if (r.statusCode >= 500) bad.push(`${r.statusCode} ${r.body}`);
    }
    assert.deepEqual(bad, []);
  });
});

describe('the last active admin', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.close(); });

  test('two changes at once that would each leave the other admin as the last: one passes, the other is 409', async () => {
    const first = await h.adminToken({ name: 'first-admin' });
    const me = (await h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${first.token}` } })).json();
    const firstId = Number(me.user?.id ?? me.id);
    const second = await h.createUser('second-admin', { role: 'admin' });
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    let raced = 0;
    for (let round = 0; round < 6; round++) {
      const [demote, disable] = await Promise.all([
        h.req({ method: 'PATCH', url: `/api/v1/users/${second.id}`, headers: as(first.token), payload: { role: 'user' } }),
        h.req({ method: 'PATCH', url: `/api/v1/users/${firstId}`, headers: as(second.token), payload: { disabled: true } }),
      ]);
      // Never both. The other is refused: 409 when the two ran at once (the admins' rows locked in turn), or 403 when
      // its caller had already lost admin by the time its own request was authorised.
      const statuses = [demote.statusCode, disable.statusCode].sort();
      assert.ok(statuses[0] === 200 && (statuses[1] === 409 || statuses[1] === 403), `round ${round}: ${demote.body} ${disable.body}`);
      const refused = demote.statusCode === 200 ? disable : demote;
      if (refused.statusCode === 409) {
        raced++;
        assert.equal(refused.json().error.code, 'CONFLICT');
        assert.match(refused.json().error.message, /no active admin/);
      } else {
        assert.equal(refused.json().error.code, 'FORBIDDEN');
      }
      // Back as it was, by the admin left.
      const back = demote.statusCode === 200
        ? await h.req({ method: 'PATCH', url: `/api/v1/users/${second.id}`, headers: as(first.token), payload: { role: 'admin' } })
        : await h.req({ method: 'PATCH', url: `/api/v1/users/${firstId}`, headers: as(second.token), payload: { disabled: false } });
      assert.equal(back.statusCode, 200, back.body);
    }
    assert.ok(raced > 0, 'in some round the two ran at once and the lock decided');
  });
});

/**
 * An import whose owners vanish between their lookup and the insert of its tokens (another import dropping a user it
 * made, an admin deleting one): PostgreSQL answers the insert with a foreign-key violation (23503), the store says
 * `OwnerGone`, and the import reads the batch again — up to three times, then 409 CONFLICT with nothing written and
 * the users it made dropped again. The violation is raised by PostgreSQL itself, from a trigger, so the paths run on
 * demand. PostgreSQL only: on SQLite an import's transaction excludes every other writer, so owners cannot vanish.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Harness, startHarness } from '../helpers.js';
import { failWrites, freshSchema, postgresReachable, postgresUrl, requireServices, type TestSchema } from '../services.js';

const usable = await postgresReachable();
if (!usable) {
  if (requireServices()) test('PostgreSQL is reachable', () => { throw new Error(`cannot connect to ${postgresUrl()}`); });
  else test('import retry after a vanished owner — SKIPPED: PostgreSQL is not reachable', { skip: true }, () => {});
} else {
  let schema: TestSchema;
  let h: Harness;
  let admin: Record<string, string>;
  before(async () => {
    schema = await freshSchema();
    h = await startHarness({ database_url: schema.url(`tessera-${schema.name}`) });
    admin = { cookie: h.adminCookie };
  });
  after(async () => { await h?.close(); await schema?.drop(); });

  /** The next `times` inserts into tokens fail as a foreign-key violation (as when their owner was just deleted). */
  const ownersVanish = (times: number): Promise<() => Promise<void>> => failWrites(schema.name, {
    table: 'tokens', on: 'insert', each: 'statement', times, code: '23503',
    message: 'insert or update on table "tokens" violates foreign key constraint',
  });
  const importRows = (rows: { value: string; owner: string }[]) =>
    h.req({ method: 'POST', url: '/api/v1/tokens/import', headers: admin, payload: { format: 'json', create_users: true, rows } });
  const usernames = async (): Promise<string[]> =>
    (await h.req({ method: 'GET', url: '/api/v1/users?limit=200', headers: admin })).json().items.map((u: { username: string }) => u.username);
  const verify = async (token: string): Promise<string> =>
    (await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: { token } })).json().code;

  test('an owner gone once: the batch is read again and imported whole, its new owner made once', async () => {
    const undo = await ownersVanish(1);
    try {
      const r = await importRows([{ value: 'legacy-gone-once-0001-abcdef', owner: 'gone-once' }, { value: 'legacy-gone-once-0002-abcdef', owner: 'admin' }]);
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().imported, 2);
    } finally { await undo(); }
    assert.equal((await usernames()).filter((u) => u === 'gone-once').length, 1);
    assert.equal(await verify('legacy-gone-once-0001-abcdef'), 'VALID');
    assert.equal(await verify('legacy-gone-once-0002-abcdef'), 'VALID');
  });

  test('owners gone at every try: 409 CONFLICT, nothing imported, the users the import made dropped again', async () => {
    const before = await usernames();
    const undo = await ownersVanish(3);
    try {
      const r = await importRows([{ value: 'legacy-gone-always-01-abcdef', owner: 'gone-always' }]);
      assert.equal(r.statusCode, 409, r.body);
      assert.equal(r.json().error.code, 'CONFLICT');
    } finally { await undo(); }
    assert.deepEqual(await usernames(), before, 'no user of the failed import is left');
    assert.equal(await verify('legacy-gone-always-01-abcdef'), 'NOT_FOUND');
    // The same batch once the owners stay: imported.
    const again = await importRows([{ value: 'legacy-gone-always-01-abcdef', owner: 'gone-always' }]);
    assert.deepEqual([again.statusCode, again.json().imported], [200, 1], again.body);
  });
}

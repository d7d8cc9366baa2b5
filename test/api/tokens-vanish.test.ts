/**
 * A token that is gone by the time its revocation answers (its owner deleted, or the token purged, by a concurrent
 * request) is answered 404 NOT_FOUND, never a 500. The race is made certain here by a database trigger that deletes
 * the token as it is revoked. On both stores (TESSERA_TEST_STORE=postgres).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onDatabase, startHarness } from '../helpers.js';
import { createToken, expectError } from './support.js';

test('DELETE of a token that vanished meanwhile: 404 NOT_FOUND, not 500', async () => {
  const h = await startHarness();
  try {
    const admin = { cookie: h.adminCookie };
    const t = await createToken(h, admin, { name: 'vanishing' });
    await onDatabase(h, h.t.config.database_url === undefined
      ? `create trigger vanish after update of revoked_at on tokens begin
           delete from token_secrets where token_id = new.id; delete from tokens where id = new.id; end;`
      : `create function vanish() returns trigger language plpgsql as $$ begin
           delete from token_secrets where token_id = new.id; delete from tokens where id = new.id; return null; end $$;
         create trigger vanish after update of revoked_at on tokens for each row execute function vanish();`);
    expectError(await h.req({ method: 'DELETE', url: `/api/v1/tokens/${t.id}`, headers: admin }), 404, 'NOT_FOUND');
    assert.equal((await h.req({ method: 'POST', url: '/api/v1/verify', headers: admin, payload: { token: t.token } })).json().valid, false);
  } finally {
    await h.close();
  }
});

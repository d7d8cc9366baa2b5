/**
 * Query's token tables (`query_config.sql`): `_config_token(id, name, token, expiration_date, active, write,
 * created_at, updated_at)` — service tokens, times in seconds, `expiration_date = updated_at` meaning "never
 * expires" — and `_config_user_token(user_uuid, token, expiration_date, write, …)`, one per user, which become
 * personal tokens of the user named by `email` (join `_config_user` in the export; Tessera logs in by e-mail too).
 * `write` 1 → access write, else read; user tokens of an admin (`admin` 1) → full.
 */
import { type Adapter, bool, RowError, str, time } from './record.js';

export const query: Adapter = (row) => {
  const value = str(row, 'token');
  if (!value) throw new RowError('MISSING_VALUE', 'the row has no token');
  // A date Query stored in milliseconds (its API's own example) lies beyond the year 9999 read as seconds: Query
  // compares it with the time in seconds, so such a token never expires there, nor here.
  const exp = time(row, 'expiration_date', 's', 'never');
  const updated = time(row, 'updated_at', 's');
  const expiresAt = exp === undefined || exp === null || exp === updated ? null : exp;
  const write = bool(row, 'write') ?? false;
  const active = bool(row, 'active') ?? true;
  const createdAt = time(row, 'created_at', 's') ?? null;
  const email = str(row, 'email', 'username');
  if (row.user_uuid !== undefined || email !== undefined) {
    if (!email) throw new RowError('UNKNOWN_OWNER', 'a user token needs the email column (join _config_user)');
    const access = bool(row, 'admin') === true ? 'full' : write ? 'write' : 'read';
    return { value, kind: 'personal', owner: email, access, active, createdAt, expiresAt, metadata: { imported_from: 'query' } };
  }
  const name = str(row, 'name');
  if (!name) throw new RowError('INVALID_FIELD', 'a Query token needs a name');
  return {
    value, sourceId: str(row, 'id'), kind: 'service', owner: null, name, access: write ? 'write' : 'read', active, createdAt, expiresAt,
    metadata: { imported_from: 'query' },
  };
};

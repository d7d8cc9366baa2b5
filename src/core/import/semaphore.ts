/**
 * Semaphore's `user__token` table: `id` (the value, plaintext: 44 characters of lower-cased URL-safe base64),
 * `created`, `expired` (bool), `user_id`; since 2.17 also `name` and `expires_at`. The owner is `username` (or
 * `login`) when the export joins Semaphore's `user` table, else the numeric `user_id`. A Semaphore token carries all
 * its user's rights: access `full`. Rows with `expired` set were revoked in Semaphore and are not imported.
 */
import { type Adapter, bool, RowError, str, time } from './record.js';

export const semaphore: Adapter = (row) => {
  const value = str(row, 'id');
  if (!value) throw new RowError('MISSING_VALUE', 'the row has no id (the token)');
  if (bool(row, 'expired') === true) throw new RowError('EXPIRED_IN_SOURCE', 'the token was expired (revoked) in Semaphore');
  const owner = str(row, 'username', 'login', 'user_id');
  if (!owner) throw new RowError('UNKNOWN_OWNER', 'the row has no user_id');
  const name = str(row, 'name');
  return {
    value, kind: 'personal', owner, name: name === undefined || name === '' ? null : name, access: 'full',
    createdAt: time(row, 'created') ?? null, expiresAt: time(row, 'expires_at') ?? null, metadata: { imported_from: 'semaphore' },
  };
};

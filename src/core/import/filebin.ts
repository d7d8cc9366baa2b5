/**
 * FileBin's `apikeys` table (migrations 009/011): `key varchar(64)` (the value, plaintext), `user int`, `created
 * timestamp`, `comment varchar(255)`, `access_level` basic|apikey|full. The owner is `username` when the export
 * joins FileBin's `users` table (docs/migrate.md), else the numeric `user` id, which must then be a Tessera username.
 * Access levels map as the FileBin face does: basic→read, apikey→write, full→full.
 */
import type { Access } from '../access.js';
import { type Adapter, RowError, str, time } from './record.js';

const LEVELS: Record<string, Access> = { basic: 'read', apikey: 'write', full: 'full' };

export const filebin: Adapter = (row) => {
  const value = str(row, 'key');
  if (!value) throw new RowError('MISSING_VALUE', 'the row has no key');
  const level = (str(row, 'access_level') ?? 'apikey').trim();
  const access = LEVELS[level];
  if (!access) throw new RowError('INVALID_FIELD', `access_level '${level.slice(0, 20)}' is not basic, apikey or full`);
  const owner = str(row, 'username', 'user');
  if (!owner) throw new RowError('UNKNOWN_OWNER', 'the row has no user');
  return { value, kind: 'personal', owner, comment: str(row, 'comment') ?? '', access, createdAt: time(row, 'created') ?? null, metadata: { imported_from: 'filebin' } };
};

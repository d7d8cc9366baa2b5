/**
 * Any other system, as CSV (with a header line) or JSON: columns `value` (or `token`) or `hash` (SHA-256, hex),
 * `owner` (Tessera username or e-mail; empty with kind `service`), `kind` (personal|service|bound), `name`,
 * `comment`, `access` (read|write|full), `permissions` and `roles` (JSON array or comma-separated), `created_at`,
 * `expires_at` (RFC 3339, or epoch seconds/milliseconds), `active`, and for bound tokens `command`, `args`, `channel`.
 * `id`: the source's own id, shown in the report.
 */
import type { Access } from '../access.js';
import type { TokenKind } from '../types.js';
import { type Adapter, bool, names, RowError, str, time } from './record.js';

const KINDS: readonly string[] = ['personal', 'service', 'bound'];
const ACCESS: readonly string[] = ['read', 'write', 'full'];

export const generic: Adapter = (row) => {
  const value = str(row, 'value', 'token');
  const hash = str(row, 'hash', 'sha256', 'token_hash');
  if (!value && !hash) throw new RowError('MISSING_VALUE', 'the row has neither value nor hash');
  const kind = (str(row, 'kind') || 'personal') as TokenKind;
  if (!KINDS.includes(kind)) throw new RowError('INVALID_FIELD', 'kind must be personal, service or bound');
  const access = str(row, 'access') || undefined;
  if (access !== undefined && !ACCESS.includes(access)) throw new RowError('INVALID_FIELD', 'access must be read, write or full');
  const owner = str(row, 'owner', 'username') || null;
  if (kind !== 'service' && owner === null) throw new RowError('UNKNOWN_OWNER', 'the row has no owner');
  const command = str(row, 'command');
  return {
    ...(value ? { value } : { hash }), sourceId: str(row, 'id'), kind, owner: kind === 'service' ? null : owner,
    name: str(row, 'name') || null, comment: str(row, 'comment') ?? '', access: access as Access | undefined,
    permissions: names(row, 'permissions'), roles: names(row, 'roles'),
    createdAt: time(row, 'created_at') ?? null, expiresAt: time(row, 'expires_at') ?? null, active: bool(row, 'active'),
    binding: kind === 'bound' ? { command: command ?? '', args: names(row, 'args') ?? [], channel: str(row, 'channel') ?? '' } : null,
  };
};

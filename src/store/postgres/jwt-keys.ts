/**
 * JWT signing keys in the `jwt_keys` table, shared by every node on one database. The private JWK is encrypted with
 * the secret key (every node must have the same TESSERA_SECRET_KEY; a node with another key fails at start).
 */
import { type Kysely, sql } from 'kysely';
import type { Cipher, JwtKeyStore, StoredJwtKey } from '../../core/ports.js';

interface JwtKeysTable { kid: string; created_at: number; retired_at: number | null; private_enc: string; public_jwk: string }
type Db = Kysely<{ jwt_keys: JwtKeysTable }>;

/** A stored key does not decrypt: this node's secret key is not the one the keys were written with. */
export class SecretKeyMismatch extends Error {
  constructor(readonly kid: string) {
    super(`the secret key (secret_key, TESSERA_SECRET_KEY) does not decrypt JWT signing key ${kid} in the database: `
      + 'every node must run with the secret key the database was set up with');
    this.name = 'SecretKeyMismatch';
  }
}

/** `bound`: `database` is a transaction (AuditService.auditedIn): a rotation runs in it instead of one of its own. */
export const sqlJwtKeys = (database: Kysely<any>, cipher: Cipher, bound = false): JwtKeyStore => {
  const db = database as Db;
  const row = (k: StoredJwtKey): JwtKeysTable => ({
    kid: k.kid, created_at: k.createdAt, retired_at: k.retiredAt, private_enc: cipher.encrypt(k.privateJwk), public_jwk: k.publicJwk,
  });
  const inTransaction = <T>(fn: (tx: Db) => Promise<T>): Promise<T> => (bound ? fn(db) : db.transaction().execute(fn));
  return {
    async list() {
      const rows = await db.selectFrom('jwt_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid', 'desc').execute();
      return rows.map((r) => {
        let privateJwk: string;
        try {
          privateJwk = cipher.decrypt(r.private_enc);
        } catch {
          throw new SecretKeyMismatch(r.kid);
        }
        return { kid: r.kid, createdAt: Number(r.created_at), retiredAt: r.retired_at === null ? null : Number(r.retired_at), privateJwk, publicJwk: r.public_jwk };
      });
    },
    async addIfNoneActive(k) {
      await inTransaction(async (tx) => {
        // Nodes starting at once wait for each other here, so they end up with one key, not one each.
        await sql`select pg_advisory_xact_lock(hashtext('tessera.jwt_keys'))`.execute(tx);
        const active = await tx.selectFrom('jwt_keys').select('kid').where('retired_at', 'is', null).executeTakeFirst();
        if (!active) await tx.insertInto('jwt_keys').values(row(k)).execute();
      });
    },
    async add(k) { await db.insertInto('jwt_keys').values(row(k)).execute(); },
    async rotate(k, at) {
      await inTransaction(async (tx) => {
        // Under the same lock as the first key: two nodes rotating at once leave one active key, the later one.
        await sql`select pg_advisory_xact_lock(hashtext('tessera.jwt_keys'))`.execute(tx);
        await tx.updateTable('jwt_keys').set({ retired_at: at }).where('retired_at', 'is', null).execute();
        await tx.insertInto('jwt_keys').values(row(k)).execute();
      });
    },
    async remove(kid) { await db.deleteFrom('jwt_keys').where('kid', '=', kid).execute(); },
  };
};

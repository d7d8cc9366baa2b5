/**
 * JWT signing keys in the database (issue 5), so every node signs and verifies with the same keys and serves the same
 * JWKS. The private key is stored encrypted with the secret key (AES-256-GCM), never in the clear. Used on
 * PostgreSQL; single-node SQLite keeps its keys as files in the data directory.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export const m005JwtKeys = async (db: Kysely<any>, dialect: Dialect): Promise<void> => {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.createTable('jwt_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('retired_at', big)
    .addColumn('private_enc', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .execute();
};

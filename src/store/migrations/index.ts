/**
 * Versioned migrations, run at start by Kysely's Migrator. On PostgreSQL the Migrator holds an advisory lock, so
 * two nodes starting at once run each migration exactly once. Migrations never drop data (007 drops only SQLite's
 * `jwt_keys`, a table nothing on SQLite ever wrote).
 */
import type { Kysely, Migration, MigrationProvider, MigrationResultSet } from 'kysely';
import { Migrator, sql } from 'kysely';
import type { Database, Dialect } from '../schema.js';
import { m001Initial } from './001_initial.js';
import { m002Jobs } from './002_jobs.js';
import { m003BoundTokens } from './003_bound_tokens.js';
import { m004TokenLimits } from './004_token_limits.js';
import { m005JwtKeys } from './005_jwt_keys.js';
import { m006JobNode } from './006_job_node.js';
import { m007DropSqliteJwtKeys } from './007_drop_sqlite_jwt_keys.js';
import { m008LoginThrottle } from './008_login_throttle.js';
import { m009Authz } from './009_authz.js';
import { m010AuditChain } from './010_audit_chain.js';
import { m011Webhooks } from './011_webhooks.js';
import { m012TokenAddresses } from './012_token_addresses.js';
import { m014OwnerLiveIndex } from './014_owner_live_index.js';
import { m015TokenUsage } from './015_token_usage.js';

export type DialectMigration = (db: Kysely<any>, dialect: Dialect) => Promise<void>;

const ALL: Record<string, DialectMigration> = {
  '001_initial': m001Initial,
  '002_jobs': m002Jobs,
  '003_bound_tokens': m003BoundTokens,
  '004_token_limits': m004TokenLimits,
  '005_jwt_keys': m005JwtKeys,
  '006_job_node': m006JobNode,
  '007_drop_sqlite_jwt_keys': m007DropSqliteJwtKeys,
  '008_login_throttle': m008LoginThrottle,
  '009_authz': m009Authz,
  '010_audit_chain': m010AuditChain,
  '011_webhooks': m011Webhooks,
  '012_token_addresses': m012TokenAddresses,
  '014_owner_live_index': m014OwnerLiveIndex,
  '015_token_usage': m015TokenUsage,
};

/** The migration names, oldest first (tests migrate to an early one, write rows, then migrate to the latest). */
export const MIGRATIONS: readonly string[] = Object.keys(ALL);

const migrator = async (db: Kysely<Database>, dialect: Dialect): Promise<Migrator> => {
  const provider: MigrationProvider = {
    getMigrations: async () => Object.fromEntries(Object.entries(ALL).map(([k, up]): [string, Migration] => [k, { up: (d) => up(d, dialect) }])),
  };
  // Kysely looks for its bookkeeping tables in every schema unless told which one: name the current schema, so several
  // schemas in one database (one per test, or per tenant) each keep their own migration state.
  const schema = dialect === 'postgres'
    ? (await sql<{ s: string | null }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? undefined
    : undefined;
  return new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
};

/** A migration that could not run: `serve` prints its message as one line (cli/commands/serve.ts). */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

const check = ({ error, results }: MigrationResultSet): void => {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const why = (error as Error).message;
    // No migration failed: the set itself is refused (a database written by a newer Tessera, with migrations this one
    // does not have).
    if (failed === undefined) throw new MigrationError(`the database's migrations do not match this version: ${why} (was it written by a newer Tessera? upgrade it, or restore the backup made before; see docs/upgrading.md)`);
    throw new MigrationError(`migration ${failed} failed: ${why}`);
  }
};

export const migrateToLatest = async (db: Kysely<Database>, dialect: Dialect): Promise<void> => {
  check(await (await migrator(db, dialect)).migrateToLatest());
};

/**
 * Runs the pending migrations up to and including `name` (one of MIGRATIONS), none after it. Not used at start (a node
 * always migrates to the latest); tests use it to build a database as an older version left it.
 */
export const migrateTo = async (db: Kysely<Database>, dialect: Dialect, name: string): Promise<void> => {
  if (!(name in ALL)) throw new Error(`no migration named ${name}`);
  check(await (await migrator(db, dialect)).migrateTo(name));
};

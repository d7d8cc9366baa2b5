/**
 * Versioned migrations, run at start by Kysely's Migrator. On PostgreSQL the Migrator holds an advisory lock, so
 * two nodes starting at once run each migration exactly once. Migrations only add: never drop data.
 */
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { Migrator } from 'kysely';
import type { Database, Dialect } from '../schema.js';
import { m001Initial } from './001_initial.js';

export type DialectMigration = (db: Kysely<any>, dialect: Dialect) => Promise<void>;

const ALL: Record<string, DialectMigration> = {
  '001_initial': m001Initial,
};

export const migrateToLatest = async (db: Kysely<Database>, dialect: Dialect): Promise<void> => {
  const provider: MigrationProvider = {
    getMigrations: async () => Object.fromEntries(Object.entries(ALL).map(([k, up]): [string, Migration] => [k, { up: (d) => up(d, dialect) }])),
  };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(error as Error).message}`);
  }
};

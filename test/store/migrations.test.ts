/**
 * Migrations never lose data: a database as an early version left it (migrated only to 001_initial, then 002_jobs,
 * with rows written the way those versions' schemas allow) is opened by the current store — which migrates it to the
 * latest, as a node does at start — and every row is still there, unchanged, and readable through the store's own
 * methods. On SQLite and on PostgreSQL (a fresh schema; skipped without PostgreSQL unless TESSERA_REQUIRE_SERVICES=1).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { hashValue } from '../../src/core/tokens/format.js';
import { MIGRATIONS, migrateTo } from '../../src/store/migrations/index.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { Dialect } from '../../src/store/schema.js';
import { SqlJobStore } from '../../src/store/sql-jobs.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { freshSchema, postgresReachable, postgresUrl, requireServices } from '../services.js';

const T0 = 1_700_000_000_000;
const ALICE_VALUE = 'tsr_migrationsAliceValue000000000abcdef';
const OLD_VALUE = 'tsr_migrationsRotatedOut00000000abcdef';
const SERVICE_VALUE = 'tsr_migrationsServiceValue0000000abcdef';

interface Target {
  /** A Kysely on the empty database, for writing rows as an older version would. */
  raw(): Kysely<any>;
  /** Opens the store the way a node does at start (it migrates to the latest). */
  open(): Promise<SqlStore>;
  cleanup(): Promise<void>;
}

/** Every row of every application table, by table (Kysely's own tables left out), in primary-key order. */
const snapshot = async (db: Kysely<any>, dialect: Dialect): Promise<Map<string, Record<string, unknown>[]>> => {
  const schema = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView && (schema === undefined || t.schema === schema));
  const out = new Map<string, Record<string, unknown>[]>();
  for (const t of tables) {
    const key = t.columns.some((c) => c.name === 'id') ? 'id' : t.columns[0]!.name;
    out.set(t.name, await db.selectFrom(t.name).selectAll().orderBy(key).execute());
  }
  return out;
};

const migrationSuite = (dialect: Dialect, target: Target): void => {
  describe(`migrations keep data: ${dialect}`, () => {
    let store: SqlStore;
    let before001: Map<string, Record<string, unknown>[]>;
    let aliceId: number;

    before(async () => {
      const db = target.raw();
      try {
        // Version 001: users, tokens (no binding, no limits yet), token_secrets, sessions, audit.
        await migrateTo(db, dialect, '001_initial');
        const alice = await db.insertInto('users').values({
          username: 'Alice', username_key: 'alice', email: 'alice@example.test', password_hash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA',
          role: 'admin', groups: '["ops","dev"]', disabled: 0, created_at: T0, updated_at: T0 + 1,
        }).returning('id').executeTakeFirstOrThrow();
        aliceId = Number(alice.id);
        await db.insertInto('users').values({
          username: 'bob', username_key: 'bob', email: null, password_hash: 'x', role: 'user', groups: '[]', disabled: 1, created_at: T0, updated_at: T0,
        }).execute();
        await db.insertInto('tokens').values([
          { id: 'tok_alice0000000001', kind: 'personal', owner_id: aliceId, name: 'deploy', comment: 'from 001', access: 'write', prefix: 'tsr_migrat',
            metadata: '{"team":"ops","n":1}', active: 1, recoverable: 1, secret_enc: 'v1.iv.ciphertext.tag', expires_at: T0 + 86_400_000,
            revoked_at: null, created_at: T0 + 10, updated_at: T0 + 20, last_used_at: T0 + 30, use_count: 7 },
          { id: 'tok_service00000001', kind: 'service', owner_id: null, name: 'ci', comment: '', access: 'read', prefix: 'tsr_migrat',
            metadata: null, active: 0, recoverable: 0, secret_enc: null, expires_at: null,
            revoked_at: null, created_at: T0 + 11, updated_at: T0 + 11, last_used_at: null, use_count: 0 },
        ]).execute();
        await db.insertInto('token_secrets').values([
          { hash: hashValue(ALICE_VALUE), token_id: 'tok_alice0000000001', created_at: T0 + 40, expires_at: null },
          { hash: hashValue(OLD_VALUE), token_id: 'tok_alice0000000001', created_at: T0 + 10, expires_at: T0 + 3_600_000 },
          { hash: hashValue(SERVICE_VALUE), token_id: 'tok_service00000001', created_at: T0 + 11, expires_at: null },
        ]).execute();
        await db.insertInto('sessions').values({
          id: 'a'.repeat(64), user_id: aliceId, created_at: T0, expires_at: T0 + 86_400_000, ip: '192.0.2.1', user_agent: 'curl/8',
        }).execute();
        await db.insertInto('audit').values([
          { at: T0 + 10, actor_type: 'user', actor_id: String(aliceId), actor_name: 'Alice', action: 'token.create', target_type: 'token',
            target_id: 'tok_alice0000000001', ip: '192.0.2.1', request_id: 'req-1', details: '{"kind":"personal","access":"write"}' },
          { at: T0 + 11, actor_type: 'system', actor_id: null, actor_name: null, action: 'token.create', target_type: 'token',
            target_id: 'tok_service00000001', ip: null, request_id: null, details: null },
        ]).execute();
        // Version 002: jobs and channel messages (no node column yet).
        await migrateTo(db, dialect, '002_jobs');
        await db.insertInto('jobs').values({
          command: 'deploy', command_id: 3, args: '["--env","prod"]', user_id: aliceId, username: 'Alice', token_id: 'tok_alice0000000001',
          channel: 'ops', trigger: 'api', status: 'succeeded', exit_code: 0, output: 'done\n', truncated: 0, reason: null,
          started_at: T0 + 50, ended_at: T0 + 60,
        }).execute();
        await db.insertInto('channel_messages').values({ channel: 'ops', text: 'deploy finished', job_id: 1, at: T0 + 61 }).execute();
        const applied = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
        assert.deepEqual(applied.map((r) => r.name), ['001_initial', '002_jobs'], 'only the early migrations ran');
        before001 = await snapshot(db, dialect);
      } finally {
        await db.destroy();
      }
      store = await target.open();
    });
    after(async () => {
      await store?.close();
      await target.cleanup();
    });

    test('opening the store ran every later migration, once', async () => {
      const applied = await store.db.selectFrom('kysely_migration' as any).select('name').orderBy('name').execute();
      assert.deepEqual(applied.map((r: any) => r.name), [...MIGRATIONS]);
    });

    test('jwt_keys: dropped on SQLite (its keys are files in data/jwt/), kept on PostgreSQL (keys shared by nodes)', async () => {
      const schema = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]!.s : undefined;
      const names = (await store.db.introspection.getTables()).filter((t) => schema === undefined || t.schema === schema).map((t) => t.name);
      assert.ok(names.includes('tokens'), 'the introspection sees the tables');
      assert.equal(names.includes('jwt_keys'), dialect === 'postgres', `tables: ${names.join(', ')}`);
    });

    test('every row written by the early version is still there, every old column unchanged', async () => {
      const now = await snapshot(store.db, dialect);
      for (const [table, rows] of before001) {
        assert.ok(now.has(table), `table ${table} still exists`);
        const kept = now.get(table)!.map((r) => Object.fromEntries(Object.keys(rows[0] ?? {}).map((k) => [k, r[k]])));
        assert.deepEqual(kept, rows, `rows of ${table}`);
      }
      assert.ok(before001.get('tokens')!.length === 2 && before001.get('jobs')!.length === 1, 'the snapshot saw the rows');
    });

    test('tokens: found by their secret hash, with their owner; later columns read as "none"', async () => {
      const found = await store.findBySecretHash(hashValue(ALICE_VALUE));
      assert.ok(found);
      assert.equal(found.hash, hashValue(ALICE_VALUE));
      assert.equal(found.secretExpiresAt, null);
      assert.equal(found.owner?.id, aliceId);
      assert.equal(found.owner?.username, 'Alice');
      assert.deepEqual(found.owner?.groups, ['ops', 'dev']);
      const t = found.token;
      assert.deepEqual(
        { id: t.id, kind: t.kind, ownerId: t.ownerId, name: t.name, comment: t.comment, access: t.access, metadata: t.metadata, active: t.active,
          recoverable: t.recoverable, secretEnc: (await store.getToken(t.id))?.secretEnc, expiresAt: t.expiresAt, revokedAt: t.revokedAt, createdAt: t.createdAt,
          updatedAt: t.updatedAt },
        { id: 'tok_alice0000000001', kind: 'personal', ownerId: aliceId, name: 'deploy', comment: 'from 001', access: 'write',
          metadata: { team: 'ops', n: 1 }, active: true, recoverable: true, secretEnc: 'v1.iv.ciphertext.tag', expiresAt: T0 + 86_400_000,
          revokedAt: null, createdAt: T0 + 10, updatedAt: T0 + 20 },
      );
      // Uses counted before migration 015 (kept in the token's row) are read with the token, and new ones add to them.
      const read = await store.getToken('tok_alice0000000001');
      assert.deepEqual([read?.lastUsedAt, read?.useCount], [T0 + 30, 7]);
      await store.recordUsage([{ tokenId: 'tok_alice0000000001', uses: 2, lastUsedAt: T0 + 25 }]);
      const after015 = await store.getToken('tok_alice0000000001');
      assert.deepEqual([after015?.lastUsedAt, after015?.useCount], [T0 + 30, 9], 'an older use does not move the last use back');
      // Columns added by 003 (binding) and 004 (limits) are empty for old rows: an old token has no binding, no limits.
      assert.equal(t.binding, null);
      assert.equal(t.remaining, null);
      assert.equal(t.refill, null);
      assert.equal(t.refilledAt, null);
      assert.equal(t.rateLimit, null);
      const old = await store.findBySecretHash(hashValue(OLD_VALUE));
      assert.equal(old?.token.id, 'tok_alice0000000001');
      assert.equal(old?.secretExpiresAt, T0 + 3_600_000);
      const service = await store.findBySecretHash(hashValue(SERVICE_VALUE));
      assert.equal(service?.token.kind, 'service');
      assert.equal(service?.token.active, false);
      assert.equal(service?.owner, null);
      assert.equal(await store.findBySecretHash(hashValue('tsr_neverStored')), null);
      const listed = await store.listTokens({ ownerId: aliceId, now: T0, limit: 10 });
      assert.deepEqual(listed.items.map((x) => x.id), ['tok_alice0000000001']);
    });

    test('users and sessions: read by id and by login', async () => {
      const alice = await store.getUser(aliceId);
      assert.deepEqual(alice, {
        id: aliceId, username: 'Alice', email: 'alice@example.test', role: 'admin', groups: ['ops', 'dev'], roles: [], permissions: [], disabled: false,
        createdAt: T0, updatedAt: T0 + 1, passwordHash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA',
      });
      assert.equal((await store.getUserByLogin('ALICE@example.test'))?.id, aliceId);
      assert.equal((await store.getUserByLogin('BOB'))?.disabled, true);
      assert.equal(await store.countUsers(), 2);
      assert.deepEqual(await store.getSession('a'.repeat(64)), {
        id: 'a'.repeat(64), userId: aliceId, createdAt: T0, expiresAt: T0 + 86_400_000, ip: '192.0.2.1', userAgent: 'curl/8',
      });
    });

    test('audit: listed newest first, filters work on old rows', async () => {
      const page = await store.listAudit({ limit: 10 });
      assert.deepEqual(page.items.map((e) => ({ ...e, id: 0 })), [
        { id: 0, at: T0 + 11, actorType: 'system', actorId: null, actorName: null, action: 'token.create', targetType: 'token',
          targetId: 'tok_service00000001', ip: null, requestId: null, details: null },
        { id: 0, at: T0 + 10, actorType: 'user', actorId: String(aliceId), actorName: 'Alice', action: 'token.create', targetType: 'token',
          targetId: 'tok_alice0000000001', ip: '192.0.2.1', requestId: 'req-1', details: { kind: 'personal', access: 'write' } },
      ]);
      assert.equal((await store.listAudit({ limit: 10, targetId: 'tok_alice0000000001' })).items.length, 1);
    });

    test('jobs and channel messages from version 002: readable, the node (006) empty', async () => {
      const jobs = new SqlJobStore(store.db);
      assert.deepEqual(await jobs.getJob(1), {
        id: 1, command: 'deploy', commandId: 3, args: ['--env', 'prod'], userId: aliceId, username: 'Alice', tokenId: 'tok_alice0000000001',
        channel: 'ops', trigger: 'api', status: 'succeeded', exitCode: 0, output: 'done\n', truncated: false, reason: null,
        startedAt: T0 + 50, endedAt: T0 + 60, node: null,
      });
      const msgs = await jobs.listMessages({ channel: 'ops', limit: 10 });
      assert.deepEqual(msgs.items.map((m) => [m.text, m.jobId, m.at]), [['deploy finished', 1, T0 + 61]]);
    });

    test('the migrated database keeps working: new rows get new ids, old tokens take the new columns', async () => {
      const carol = await store.createUser({ username: 'carol', email: null, passwordHash: 'x', role: 'user', groups: [], disabled: false, createdAt: T0 + 100 });
      assert.ok(carol.id > aliceId, 'the id sequence continues after the old rows');
      await store.appendAudit({ at: T0 + 101, actorType: 'system', actorId: null, actorName: null, action: 'user.create', targetType: 'user',
        targetId: String(carol.id), ip: null, requestId: null, details: null });
      const page = await store.listAudit({ limit: 10 });
      assert.equal(page.items.length, 3);
      assert.ok(page.items[0]!.id > page.items[1]!.id);
      const limited = await store.updateToken('tok_alice0000000001', { remaining: 1, updatedAt: T0 + 102 });
      assert.equal(limited?.remaining, 1);
      assert.equal(limited?.useCount, 9, 'the 7 uses from before migration 015 and the 2 recorded since (above)');
      assert.equal((await store.consumeUse('tok_alice0000000001', T0 + 103))?.granted, true);
      assert.equal((await store.consumeUse('tok_alice0000000001', T0 + 104))?.granted, false);
    });
  });
};

// SQLite: a file in a temporary directory.
{
  const dir = mkdtempSync(join(tmpdir(), 'tessera-migrations-'));
  const file = join(dir, 'tessera.db');
  migrationSuite('sqlite', {
    raw: () => new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(file) }) }),
    open: () => openSqliteStore(file),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  });
}

// PostgreSQL: a fresh schema of its own.
if (await postgresReachable()) {
  const s = await freshSchema();
  migrationSuite('postgres', {
    raw: () => new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: s.url('tessera-migrations-test'), max: 2 }) }) }),
    open: () => openPostgresStore(s.url('tessera-migrations-test')),
    cleanup: () => s.drop(),
  });
} else if (requireServices()) {
  test('migrations keep data: postgres — PostgreSQL is reachable (TESSERA_REQUIRE_SERVICES=1)', () => { throw new Error(`cannot connect to ${postgresUrl()}`); });
} else {
  test(`migrations keep data: postgres — SKIPPED: PostgreSQL not reachable at ${postgresUrl()} (set TESSERA_REQUIRE_SERVICES=1 to fail instead)`, { skip: true }, () => {});
}

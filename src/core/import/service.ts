/**
 * Import of existing tokens (issue 17), admins only: rows of another product's storage, read by that product's
 * adapter, become Tessera tokens that keep their values. A value is hashed on the way in (only SHA-256 is stored, as
 * for every token); a row may carry just the hash when the old system kept no values. One call is one batch: its
 * tokens are written by `Store.insertTokens` in one transaction (the path `POST /api/v1/tokens/batch` uses too).
 *
 * Idempotent: a row whose hash is stored already is skipped (`ALREADY_IMPORTED`), so running an import again adds
 * only what is new. Every row that is not imported is reported with its line and a reason code; the rest of the batch
 * still lands. Owners must exist unless `createUsers` (then a missing owner is created as a user with a random
 * password, who signs in after an admin sets one). The per-user quota does not apply to imported tokens (they exist
 * already); names, comments, access, permissions and roles follow the rules of `create`. Audited as one
 * `token.import` event per batch (format, count, lines), never a value or hash.
 */
import type { Access } from '../access.js';
import type { AuditService } from '../audit/service.js';
import type { AuthzService } from '../authz/service.js';
import { fail, invalid, TesseraError } from '../errors.js';
import { type Clock, type NewToken, OwnerGone, type Random, type Store, UniqueViolation } from '../ports.js';
import { type RequestContext, requireAdmin } from '../principal.js';
import { hashValue, MAX_VALUE_CHARS, newTokenId, screen } from '../tokens/format.js';
import { LIMITS } from '../tokens/service.js';
import type { Verifier } from '../tokens/verifier.js';
import type { User } from '../types.js';
import { publicUser } from '../types.js';
import { filebin } from './filebin.js';
import { generic } from './generic.js';
import { meeseeks } from './meeseeks.js';
import { query } from './query.js';
import { type Adapter, type ImportRecord, type Row, RowError, type RowReason } from './record.js';
import { semaphore } from './semaphore.js';

export const IMPORT_FORMATS = ['filebin', 'semaphore', 'meeseeks', 'query', 'csv', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
const ADAPTERS: Record<ImportFormat, Adapter> = { filebin, semaphore, meeseeks, query, csv: generic, json: generic };

/** How many times a batch is read again when an owner it names was deleted before its rows were written. */
const OWNER_GONE_TRIES = 3;
/** The most rows one call takes (one transaction). */
export const IMPORT_BATCH_MAX = 20_000;
const HEX64 = /^[0-9a-f]{64}$/;

export interface ImportInput {
  format: ImportFormat;
  rows: readonly Row[];
  /** The line (or record number) of the first row in the source file, for the report. */
  firstLine?: number;
  /** Create owners that do not exist (else such rows are refused with `UNKNOWN_OWNER`). */
  createUsers?: boolean;
}

export interface RowOutcome { line: number; reason: RowReason; message: string; sourceId?: string }

export interface ImportReport {
  imported: number;
  /** Rows already present (same hash): nothing to do. */
  skipped: number;
  /** Rows that could not be imported. */
  refused: number;
  /** Every row not imported, with its line and reason. */
  rows: RowOutcome[];
  /** Owners created by this call (`createUsers`). */
  createdUsers: string[];
}

export interface ImportDeps {
  store: Store;
  clock: Clock;
  random: Random;
  verifier: Verifier;
  audit: AuditService;
  authz?: AuthzService;
  /** The Tessera token prefix: an imported value that carries it must be a well-formed Tessera value (its checksum is checked). */
  prefix: string;
  /** Creates a user with this name (only with `createUsers`); composed from UserService in main.ts. */
  createUser(ctx: RequestContext, username: string): Promise<User>;
  /**
   * Deletes a user this call created for rows that were not imported after all, unless it owns a token or has a
   * session by now (UserService.deleteIfUnused, audited): another import may have found it and imported rows for it.
   */
  deleteUserIfUnused(ctx: RequestContext, id: number): Promise<boolean>;
}

export class ImportService {
  constructor(private readonly d: ImportDeps) {}

  async run(ctx: RequestContext, input: ImportInput): Promise<ImportReport> {
    requireAdmin(ctx.principal);
    const adapter = ADAPTERS[input.format] ?? invalid('format', `format must be one of ${IMPORT_FORMATS.join(', ')}`);
    if (input.rows.length > IMPORT_BATCH_MAX) invalid('rows', `at most ${IMPORT_BATCH_MAX} rows per call`);
    // An owner looked up may be deleted before the rows are written (another import dropping a user it made, an
    // admin): nothing was written then (OwnerGone); the batch is read again, its owners looked up afresh.
    const mine = new Map<string, number>();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce(ctx, input, adapter, mine);
      } catch (e) {
        if (!(e instanceof OwnerGone)) throw e;
        if (attempt === OWNER_GONE_TRIES) {
          // Nothing of the batch was written; the users its passes made are dropped again (unless used meanwhile).
          for (const id of mine.values()) await this.d.deleteUserIfUnused(ctx, id);
          return fail('CONFLICT', 'owners of this batch were deleted while it was being imported; nothing was imported: run it again');
        }
      }
    }
  }

  /** One pass over the batch. `mine`: the users this call created in an earlier pass (lower-case name → id). */
  private async runOnce(ctx: RequestContext, input: ImportInput, adapter: Adapter, mine: Map<string, number>): Promise<ImportReport> {
    const first = input.firstLine ?? 1;
    const now = this.d.clock.now();
    const report: ImportReport = { imported: 0, skipped: 0, refused: 0, rows: [], createdUsers: [] };
    const owners = new Map<string, User | null>();
    const pending: { line: number; sourceId?: string; row: NewToken }[] = [];
    const hashes = new Set<string>();
    const names = new Set<string>();
    const refuse = (line: number, reason: RowReason, message: string, sourceId?: string): void => {
      report.rows.push({ line, reason, message, ...(sourceId !== undefined ? { sourceId } : {}) });
      if (reason === 'ALREADY_IMPORTED') report.skipped++; else report.refused++;
    };

    for (let i = 0; i < input.rows.length; i++) {
      const line = first + i;
      let rec: ImportRecord | undefined;
      try {
        const raw = input.rows[i];
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new RowError('INVALID_FIELD', 'a row must be an object of columns');
        rec = adapter(raw);
        const row = await this.toRow(ctx, input, rec, now, owners, report, mine);
        if (hashes.has(row.hash)) throw new RowError('DUPLICATE_IN_FILE', 'the same token appears earlier in this batch');
        if (row.name !== null) {
          const key = `${row.ownerId ?? 0}:${row.name}`;
          if (names.has(key)) throw new RowError('DUPLICATE_NAME', `the name '${row.name.slice(0, 70)}' is used twice for one owner`);
          names.add(key);
        }
        hashes.add(row.hash);
        pending.push({ line, sourceId: rec.sourceId, row });
      } catch (e) {
        if (e instanceof RowError) refuse(line, e.reason, e.message, rec?.sourceId);
        else if (e instanceof TesseraError && e.code === 'PERMISSION_NOT_HELD') refuse(line, 'PERMISSION_NOT_HELD', e.message, rec?.sourceId);
        else if (e instanceof TesseraError && e.code === 'VALIDATION_ERROR') refuse(line, 'INVALID_FIELD', e.message, rec?.sourceId);
        else throw e;
      }
    }

    const existing = await this.d.store.existingSecrets([...hashes]);
    const fresh = pending.filter((p) => {
      if (!existing.has(p.row.hash)) return true;
      refuse(p.line, 'ALREADY_IMPORTED', 'a token with this value exists already', p.sourceId);
      return false;
    });
    if (fresh.length > 0) {
      // The users this call created that keep rows (the others are deleted again below), named in the audit row.
      const used = new Set(fresh.map((p) => p.row.ownerId));
      const keptNames = new Set([...owners.values()].filter((u): u is User => u !== null && used.has(u.id)).map((u) => u.username));
      const kept = report.createdUsers.filter((n) => keptNames.has(n));
      try {
        // The rows and their audit row in one transaction.
        // The owners' rows first, in id order: the order of every change that takes them (Store.lockUser).
        const ownerIds = [...new Set(fresh.map((p) => p.row.ownerId).filter((id): id is number => id !== null))].sort((x, y) => x - y);
        await this.d.audit.audited(ctx, async (s) => {
          for (const id of ownerIds) await s.lockUser(id);
          await s.insertTokens(fresh.map((p) => p.row));
        }, () => ({
          action: 'token.import',
          details: {
            format: input.format, count: fresh.length, first_line: first, last_line: first + input.rows.length - 1,
            skipped: report.skipped, refused: report.refused, ...(kept.length ? { created_users: kept } : {}),
          },
        }));
      } catch (e) {
        if (!(e instanceof UniqueViolation)) throw e;
        // A name taken by a live token already stored: the batch is written whole or not at all.
        for (const p of fresh) refuse(p.line, 'NAME_TAKEN', 'nothing in this batch was imported: a name in it is taken by a live token of the same owner', p.sourceId);
        await this.dropUnusedUsers(ctx, owners, report, new Set());
        report.rows.sort((a, b) => a.line - b.line);
        return report;
      }
      for (const p of fresh) this.d.verifier.invalidateHash(p.row.hash);
      report.imported = fresh.length;
      await this.dropUnusedUsers(ctx, owners, report, used);
    } else await this.dropUnusedUsers(ctx, owners, report, new Set());
    report.rows.sort((a, b) => a.line - b.line);
    return report;
  }

  /**
   * The users this call created (`create_users`) that own none of the rows imported — each of their rows was refused,
   * or the batch was — are deleted again: a refused import leaves nothing behind.
   */
  private async dropUnusedUsers(ctx: RequestContext, owners: Map<string, User | null>, report: ImportReport, used: Set<number | null>): Promise<void> {
    if (report.createdUsers.length === 0) return;
    const created = new Set(report.createdUsers);
    for (const u of owners.values()) {
      if (u === null || !created.has(u.username) || used.has(u.id)) continue;
      if (await this.d.deleteUserIfUnused(ctx, u.id)) created.delete(u.username);
    }
    report.createdUsers = report.createdUsers.filter((n) => created.has(n));
  }

  /** Checks one record and builds its row. Throws RowError (or a VALIDATION_ERROR from core/authz). */
  private async toRow(ctx: RequestContext, input: ImportInput, r: ImportRecord, now: number, owners: Map<string, User | null>,
    report: ImportReport, mine: Map<string, number>): Promise<NewToken> {
    let hash: string;
    let prefix: string;
    if (r.value !== undefined && r.value !== '') {
      const v = r.value;
      // eslint-disable-next-line no-control-regex
      // What the verification path will look up (format.ts `screen`): a printable value of at most MAX_VALUE_CHARS, and a
      // value with the Tessera prefix only with its checksum. Spaces are refused too (no product issues them).
      if (!screen(v, this.d.prefix) || /\s/.test(v)) {
        throw new RowError('INVALID_VALUE', `a value must be 1 to ${MAX_VALUE_CHARS} printable characters without spaces (and well-formed if it has the prefix ${this.d.prefix})`);
      }
      hash = hashValue(v);
      // Enough for people to recognise a token, never enough to use it: at most a quarter of the value, 6 characters.
      prefix = v.slice(0, Math.min(6, Math.floor(v.length / 4)));
    } else if (r.hash !== undefined) {
      hash = r.hash.trim().toLowerCase();
      if (!HEX64.test(hash)) throw new RowError('INVALID_HASH', 'hash must be a SHA-256 digest: 64 hexadecimal digits');
      prefix = '';
    } else throw new RowError('MISSING_VALUE', 'the row has neither value nor hash');

    let owner: User | null = null;
    if (r.kind !== 'service') {
      const ref = (r.owner ?? '').trim();
      if (ref === '') throw new RowError('UNKNOWN_OWNER', 'the row names no owner');
      const key = ref.toLowerCase();
      if (!owners.has(key)) {
        const u = await this.d.store.getUserByLogin(ref);
        owners.set(key, u ? publicUser(u) : null);
        // Made by an earlier pass of this call: still this call's to keep or drop.
        if (u && mine.get(key) === u.id) report.createdUsers.push(u.username);
      }
      owner = owners.get(key)!;
      if (owner === null) {
        if (!input.createUsers) throw new RowError('UNKNOWN_OWNER', `'${ref.slice(0, 70)}' is not a Tessera user (create it, or import with create_users)`);
        try {
          owner = await this.d.createUser(ctx, ref);
        } catch (e) {
          if (e instanceof TesseraError) throw new RowError('UNKNOWN_OWNER', `'${ref.slice(0, 70)}' could not be created: ${e.message}`);
          throw e;
        }
        owners.set(key, owner);
        mine.set(key, owner.id);
        report.createdUsers.push(owner.username);
      }
    }
    const name = r.name === undefined || r.name === null || r.name.trim() === '' ? null : r.name.trim();
    if (name !== null && name.length > LIMITS.nameMax) throw new RowError('INVALID_FIELD', `name may be at most ${LIMITS.nameMax} characters`);
    if (r.kind === 'service' && name === null) throw new RowError('INVALID_FIELD', 'a service token needs a name');
    const comment = r.comment ?? '';
    if (comment.length > LIMITS.commentMax) throw new RowError('INVALID_FIELD', `comment may be at most ${LIMITS.commentMax} characters`);
    const b = r.kind === 'bound' ? r.binding : null;
    if (r.kind === 'bound' && (!b || b.command === '' || b.channel === '')) throw new RowError('INVALID_FIELD', 'a bound token needs a command and a channel');
    const access: Access = r.access ?? 'write';
    let grants: { permissions?: string[]; roles?: string[] } = {};
    if (r.permissions !== undefined || r.roles !== undefined) {
      if (!this.d.authz) throw new RowError('INVALID_FIELD', 'permissions are not enabled on this server');
      grants = await this.d.authz.checkRequested({ permissions: r.permissions, roles: r.roles }, owner);
    }
    const created = r.createdAt ?? now;
    if (!Number.isFinite(created) || (r.expiresAt != null && !Number.isFinite(r.expiresAt))) throw new RowError('INVALID_FIELD', 'a time is out of range');
    return {
      id: newTokenId(this.d.random, now), hash, kind: r.kind, ownerId: owner?.id ?? null, name, comment, access, prefix,
      metadata: r.metadata ?? null, active: r.active ?? true, recoverable: false, secretEnc: null,
      expiresAt: r.expiresAt ?? null, createdAt: created, ...grants,
      ...(b ? { binding: { command: b.command, args: [...b.args], channel: b.channel } } : {}),
    };
  }
}

/** For the faces: an unknown format is a validation error. */
export const checkFormat = (f: string): ImportFormat =>
  (IMPORT_FORMATS as readonly string[]).includes(f) ? f as ImportFormat : fail('VALIDATION_ERROR', `format must be one of ${IMPORT_FORMATS.join(', ')}`, { field: 'format' });

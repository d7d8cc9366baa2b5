/**
 * ES256 signing keys for Tessera's JWT access tokens. The newest key that is not retired signs; older keys stay
 * published in the JWKS until every token they signed has expired (`retired_at + max lifetime`), then they are
 * deleted. Uses jose for signing, verification and key handling.
 *
 * Where keys live is a JwtKeyStore: one JSON file per key in `<data_dir>/jwt/` (mode 0600) for a single node, or the
 * database (src/store/postgres/jwt-keys.ts) so that every node of a cluster signs, verifies and publishes the same
 * keys. A JWT with a key id this node does not know makes it re-read the keys (at most once a second), so a key
 * made by another node is picked up without a restart.
 *
 * Rotation on a shared store: the node that rotates signs with the new key at once; every other node re-reads the
 * keys every `refreshMs` (main.ts: 10 s on PostgreSQL), so it signs with the new key and publishes it in its JWKS
 * within that interval. A retired key is kept `refreshMs` longer than the longest JWT lifetime, which covers JWTs
 * another node signed with it before it noticed the rotation.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type { Clock, JwtClaims, JwtKeyStore, JwtKeyWrite, JwtSigner, StoredJwtKey } from '../core/ports.js';

interface KeyFile { kid: string; created_at: number; retired_at: number | null; private: JWK; public: JWK }

/** A key file that cannot be read as a key (start-up names it: cli/commands/serve.ts). */
export class JwtKeyFileError extends Error {
  override name = 'JwtKeyFileError';
}

/** `path`'s key, or a JwtKeyFileError naming the file and what to do. */
const readKeyFile = (path: string): KeyFile => {
  let f: Partial<KeyFile> | null;
  try {
    f = JSON.parse(readFileSync(path, 'utf8')) as Partial<KeyFile> | null;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new JwtKeyFileError(`the JWT signing key file ${path} cannot be read (${why}): restore it from a backup, or remove it (JWTs it signed then stop verifying)`);
  }
  if (!f || typeof f !== 'object' || typeof f.kid !== 'string' || typeof f.created_at !== 'number' || !f.private || !f.public) {
    throw new JwtKeyFileError(`the JWT signing key file ${path} is not a key: restore it from a backup, or remove it (JWTs it signed then stop verifying)`);
  }
  return f as KeyFile;
};

/**
 * Keys as files in `<data_dir>/jwt/`, one per key, mode 0600. A file is written whole or not at all: to a temporary
 * name, flushed to disk, then renamed over the key's (a crash or a full disk never leaves half a key behind).
 */
export const fileJwtKeys = (dataDir: string): JwtKeyStore => {
  const dir = join(dataDir, 'jwt');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const save = (k: StoredJwtKey): void => {
    const f: KeyFile = { kid: k.kid, created_at: k.createdAt, retired_at: k.retiredAt, private: JSON.parse(k.privateJwk), public: JSON.parse(k.publicJwk) };
    const path = join(dir, `${k.kid}.json`);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify(f));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    } catch (e) {
      try { unlinkSync(tmp); } catch { /* not made, or renamed already */ }
      throw e;
    }
  };
  const list = (): StoredJwtKey[] => readdirSync(dir).filter((f) => f.endsWith('.json'))
    .map((f) => readKeyFile(join(dir, f)))
    .map((f) => ({ kid: f.kid, createdAt: f.created_at, retiredAt: f.retired_at, privateJwk: JSON.stringify(f.private), publicJwk: JSON.stringify(f.public) }))
    .sort((a, b) => b.createdAt - a.createdAt || (a.kid < b.kid ? 1 : -1));
  return {
    list: async () => list(),
    addIfNoneActive: async (k) => { if (!list().some((x) => x.retiredAt === null)) save(k); },
    add: async (k) => save(k),
    rotate: async (k, at) => {
      for (const x of list()) if (x.retiredAt === null) save({ ...x, retiredAt: at });
      save(k);
    },
    remove: async (kid) => {
      // Several workers of one server prune the same retired key: the one that finds it gone has nothing to do.
      try { unlinkSync(join(dir, `${kid}.json`)); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
    },
  };
};

/**
 * Key files written inside a database transaction (the rotation's audit row, AuditService.auditedIn): `keys` does what
 * the files store does and remembers what its rotation changed; `undo` puts exactly that back — the new key removed,
 * the keys it retired active again — and is called, by `fileKeysAtomically`, while the transaction still holds the
 * database's write lock, which every rotation of every worker of this data directory takes first: no other rotation
 * runs in between, so none is undone with it.
 */
const journaled = (files: JwtKeyStore): { keys: JwtKeyStore; undo(): Promise<void> } => {
  let added: string | null = null;
  let retired: StoredJwtKey[] = [];
  return {
    keys: {
      ...files,
      rotate: async (k, at) => {
        retired = (await files.list()).filter((x) => x.retiredAt === null);
        added = k.kid;
        await files.rotate(k, at);
      },
    },
    async undo() {
      if (added === null) return;
      await files.remove(added);
      for (const k of retired) await files.add(k);
    },
  };
};

/**
 * The key files bound to a database transaction (`transaction`: the store's, SqlStore.transaction): a rotation's files
 * are put back if the transaction's work fails (its audit row refused, the database gone) — inside the transaction,
 * while it holds the write lock. When the COMMIT itself fails after the work (SQLite: a full disk, an I/O error; the
 * database rolls the transaction back), they are put back just after it: the lock is let go by then, so a rotation
 * another worker commits in that moment could be undone with them (its key stays published, and the next reload
 * makes the newest active key sign) — rarer and milder than a rotation left in the files without its audit row.
 */
export const fileKeysAtomically = <S>(files: JwtKeyStore, transaction: <T>(fn: (s: S) => Promise<T>) => Promise<T>) =>
  async <T>(fn: (keys: JwtKeyStore, s: S) => Promise<T>): Promise<T> => {
    let pending: { undo(): Promise<void> } | null = null;
    try {
      return await transaction(async (s) => {
        const j = journaled(files);
        pending = j;
        try {
          return await fn(j.keys, s);
        } catch (e) {
          pending = null;
          await j.undo();
          throw e;
        }
      });
    } catch (e) {
      const j = pending as { undo(): Promise<void> } | null;
      if (j !== null) await j.undo().catch(() => undefined); // the work was done, its COMMIT failed
      throw e;
    }
  };

export interface JwtSignerOptions {
  issuer: string;
  maxTtlSeconds: number;
  /** Re-read the keys this often (keys shared with other nodes, which may rotate them); unset: only on demand. */
  refreshMs?: number;
}

export type RotatingJwtSigner = JwtSigner & {
  /** Re-reads the keys now (the refresh timer does this every `refreshMs`). */
  refresh(): Promise<void>;
  /** Stops the refresh timer. */
  close(): void;
};

export const jwtSigner = async (store: JwtKeyStore, clock: Clock, opts: JwtSignerOptions): Promise<RotatingJwtSigner> => {
  let keys: StoredJwtKey[] = [];
  let current: StoredJwtKey;
  let signingKey: CryptoKey | Uint8Array;
  let publicKeys: JWK[] = [];
  let jwks = createLocalJWKSet({ keys: [] });

  const make = async (): Promise<StoredJwtKey> => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const pub = await exportJWK(publicKey);
    const kid = (await calculateJwkThumbprint(pub)).slice(0, 16);
    return { kid, createdAt: clock.now(), retiredAt: null, privateJwk: JSON.stringify(await exportJWK(privateKey)), publicJwk: JSON.stringify({ ...pub, kid, alg: 'ES256', use: 'sig' }) };
  };

  // Another node may sign with a key for up to refreshMs after it was retired, so it is kept that much longer.
  const keepMs = opts.maxTtlSeconds * 1000 + (opts.refreshMs ?? 0);
  const prune = async (): Promise<void> => {
    const now = clock.now();
    for (const k of keys) {
      if (k.retiredAt !== null && k.retiredAt + keepMs < now) await store.remove(k.kid);
    }
  };

  const load = async (): Promise<void> => {
    const read = await store.list();
    // The signing key is the newest one not retired (keys made within the same millisecond tie on created_at).
    const signer = read.find((k) => k.retiredAt === null) ?? read[0]!;
    const imported = await importJWK(JSON.parse(signer.privateJwk) as JWK, 'ES256');
    // Swapped together, after the last await: a JWT signed meanwhile never gets one key's id and another's signature.
    keys = read;
    current = signer;
    signingKey = imported;
    publicKeys = keys.map((k) => JSON.parse(k.publicJwk) as JWK);
    jwks = createLocalJWKSet({ keys: publicKeys });
  };
  // One load at a time, in order, so a slow read that started earlier never overwrites the result of a later one.
  let loading: Promise<void> = Promise.resolve();
  const reload = (): Promise<void> => {
    const p = loading.then(load, load);
    loading = p.catch(() => undefined);
    return p;
  };

  if ((await store.list()).length === 0) await store.addIfNoneActive(await make());
  await reload();
  await prune();
  await reload();
  // A failed re-read (database briefly away) keeps the keys we have; the next tick tries again.
  const timer = opts.refreshMs ? setInterval(() => { reload().catch(() => undefined); }, opts.refreshMs) : undefined;
  timer?.unref();

  /**
   * A key id we do not know may be a key another node made since we loaded: look again, at most once a second. Only
   * these look-ups count towards that second, not the periodic re-reads (or a rotation here): a key made elsewhere
   * just after a periodic re-read must not be refused until the next one. Requests meeting an unknown key id while a
   * look-up is under way wait for it rather than fail.
   */
  let lastLookup = Number.NEGATIVE_INFINITY;
  let lookup: Promise<void> | null = null;
  const knows = async (jwt: string): Promise<void> => {
    let kid: string | undefined;
    try { kid = decodeProtectedHeader(jwt).kid; } catch { return; }
    if (kid === undefined || keys.some((k) => k.kid === kid)) return;
    if (lookup) { await lookup; return; }
    if (Math.abs(clock.now() - lastLookup) < 1000) return;
    lastLookup = clock.now();
    const p = reload().catch(() => undefined).finally(() => { if (lookup === p) lookup = null; });
    lookup = p;
    await p;
  };

  return {
    async sign(claims: JwtClaims, ttlSeconds: number) {
      const now = Math.floor(clock.now() / 1000);
      const { sub, jti, ...rest } = claims;
      const [kid, key] = [current.kid, signingKey];
      const jwt = await new SignJWT(rest).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setSubject(sub).setJti(jti).setIssuer(opts.issuer).setIssuedAt(now).setExpirationTime(now + ttlSeconds).sign(key);
      return { jwt, expiresAt: (now + ttlSeconds) * 1000 };
    },
    async verify(jwt: string) {
      try {
        await knows(jwt);
        const { payload } = await jwtVerify(jwt, jwks, { issuer: opts.issuer, algorithms: ['ES256'], currentDate: new Date(clock.now()) });
        return payload as unknown as JwtClaims & { exp: number; iat: number };
      } catch {
        return null;
      }
    },
    jwks: () => ({ keys: publicKeys }),
    /** Makes a new signing key; the previous one stays published until its tokens have expired (JwtSigner.rotate). */
    async rotate(commit: (write: JwtKeyWrite, kid: string) => Promise<void> = (write) => write(store)) {
      await prune();
      const made = await make();
      try {
        await commit((keys) => keys.rotate(made, clock.now()), made.kid);
      } catch (e) {
        await reload().catch(() => undefined);
        throw e;
      }
      await reload();
      return made.kid;
    },
    refresh: reload,
    close: () => clearInterval(timer),
  };
};

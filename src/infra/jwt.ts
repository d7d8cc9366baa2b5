/**
 * ES256 signing keys for Tessera's JWT access tokens, kept in `<data_dir>/jwt/` (one JSON file per key, mode 0600).
 * The newest key signs; older keys stay published in the JWKS until every token they signed has expired
 * (`retired_at + max lifetime`), then they are deleted. Uses jose for signing, verification and key handling.
 */
import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type { Clock, JwtClaims, JwtSigner } from '../core/ports.js';

interface KeyFile { kid: string; created_at: number; retired_at: number | null; private: JWK; public: JWK }

export const fileJwtSigner = async (dataDir: string, clock: Clock, opts: { issuer: string; maxTtlSeconds: number }): Promise<JwtSigner & { rotate(): Promise<string> }> => {
  const dir = join(dataDir, 'jwt');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let keys: KeyFile[] = [];

  const load = (): void => {
    keys = readdirSync(dir).filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as KeyFile)
      .sort((a, b) => b.created_at - a.created_at);
  };
  const save = (k: KeyFile): void => writeFileSync(join(dir, `${k.kid}.json`), JSON.stringify(k), { mode: 0o600 });

  const create = async (): Promise<KeyFile> => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const pub = await exportJWK(publicKey);
    const kid = (await calculateJwkThumbprint(pub)).slice(0, 16);
    const k: KeyFile = { kid, created_at: clock.now(), retired_at: null, private: await exportJWK(privateKey), public: { ...pub, kid, alg: 'ES256', use: 'sig' } };
    save(k);
    return k;
  };

  const prune = (): void => {
    const now = clock.now();
    for (const k of keys) {
      if (k.retired_at !== null && k.retired_at + opts.maxTtlSeconds * 1000 < now) unlinkSync(join(dir, `${k.kid}.json`));
    }
    load();
  };

  load();
  if (keys.length === 0) { await create(); load(); }
  prune();

  // The signing key is the newest one not retired (keys made within the same millisecond tie on created_at).
  let current = keys.find((k) => k.retired_at === null) ?? keys[0]!;
  let signingKey = await importJWK(current.private, 'ES256');
  let jwks = createLocalJWKSet({ keys: keys.map((k) => k.public) });

  return {
    async sign(claims: JwtClaims, ttlSeconds: number) {
      const now = Math.floor(clock.now() / 1000);
      const { sub, jti, ...rest } = claims;
      const jwt = await new SignJWT(rest).setProtectedHeader({ alg: 'ES256', kid: current.kid, typ: 'JWT' })
        .setSubject(sub).setJti(jti).setIssuer(opts.issuer).setIssuedAt(now).setExpirationTime(now + ttlSeconds).sign(signingKey);
      return { jwt, expiresAt: (now + ttlSeconds) * 1000 };
    },
    async verify(jwt: string) {
      try {
        const { payload } = await jwtVerify(jwt, jwks, { issuer: opts.issuer, algorithms: ['ES256'], currentDate: new Date(clock.now()) });
        return payload as unknown as JwtClaims & { exp: number; iat: number };
      } catch {
        return null;
      }
    },
    jwks: () => ({ keys: keys.map((k) => k.public) }),
    /** Makes a new signing key; the previous one stays published until its tokens have expired. */
    async rotate() {
      current.retired_at = clock.now();
      save(current);
      const made = await create();
      load();
      prune();
      current = made;
      signingKey = await importJWK(current.private, 'ES256');
      jwks = createLocalJWKSet({ keys: keys.map((k) => k.public) });
      return current.kid;
    },
  };
};

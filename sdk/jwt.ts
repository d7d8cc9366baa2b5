/**
 * Offline verification of Tessera's JWTs (ES256, `POST /api/v1/auth/jwt`) against the server's JWKS
 * (`/.well-known/jwks.json`, fetched and cached by jose's createRemoteJWKSet; a new `kid` makes it fetch again).
 *
 * The honest limit: a JWT checked offline is valid until its `exp`. Revoking the token it was derived from, disabling
 * its owner or changing its grants does NOT stop it here — only Tessera itself (which checks the parent token on
 * every use) or the expiry does. Keep `jwt.ttl_seconds` short, or use LocalVerifier with tokens when revocation must
 * reach you within a second.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

export interface TesseraJwtClaims extends JWTPayload {
  sub: string;
  jti: string;
  exp: number;
  /** The access level of the credential it was derived from. */
  access: 'read' | 'write' | 'full';
  src_type: 'token' | 'session' | 'user';
  src_id: string;
  /**
   * The permissions it grants, space-separated (OAuth's `scope`): what its credential granted at the JWT's access level
   * when it was issued, or the subset asked for with `permissions`.
   */
  scope?: string;
  /** The username of the user it acts for (absent for a service token's JWT). */
  name?: string;
}

export interface JwtVerifierOptions {
  baseUrl: string;
  /** The `iss` claim the server signs with (`jwt.issuer`, default `tessera`). */
  issuer?: string;
  /** Accepted clock skew in seconds. Default 0. */
  clockTolerance?: number;
  /**
   * Least time between two fetches of the JWKS, in ms. Default 1000: a JWT signed with a key the cached set does not
   * hold (the server rotated its key) is checked against a fresh set — at once, or, when the set was fetched less than
   * this long ago, once this time has passed (the check waits for it) — and a flood of unknown `kid`s costs the server
   * at most one fetch a second.
   */
  jwksCooldownMs?: number;
}

export const createJwtVerifier = (o: JwtVerifierOptions) => {
  const cooldownMs = o.jwksCooldownMs ?? 1000;
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', o.baseUrl), { cooldownDuration: cooldownMs });
  const options = { issuer: o.issuer ?? 'tessera', algorithms: ['ES256'], clockTolerance: o.clockTolerance ?? 0 };
  /**
   * A key the set does not hold, met while jose will not fetch the set again (it did less than `cooldownMs` ago): once
   * that time has passed, the set is fetched — unless it was meanwhile, after the miss — and the JWT checked again.
   * Fetches stay at one per `cooldownMs` however many unknown keys arrive (jose also shares a fetch in flight).
   */
  const fetchLater = async (): Promise<void> => {
    await new Promise<void>((r) => setTimeout(r, cooldownMs));
    // the retry's own check reports what is wrong (the server unreachable, the key still unknown)
    if (!jwks.coolingDown) await jwks.reload().catch(() => undefined);
  };
  /** The JWT's claims; throws (jose's errors: JWTExpired, JWSSignatureVerificationFailed…) when it is not valid. */
  return async (jwt: string): Promise<TesseraJwtClaims> => {
    try {
      return (await jwtVerify(jwt, jwks, options)).payload as TesseraJwtClaims;
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || !jwks.coolingDown) throw err;
    }
    await fetchLater();
    return (await jwtVerify(jwt, jwks, options)).payload as TesseraJwtClaims;
  };
};

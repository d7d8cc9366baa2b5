/**
 * The hand-written verification lookup the cold-path figures compare with (bench/baseline.ts `sqlite`, bench/cold.ts):
 * the five columns a bare verifier needs, by the secret's SHA-256 (hex), in Tessera's own schema.
 */
export const REFERENCE_LOOKUP = 'select t.id, t.access, t.revoked_at, t.expires_at, t.active from token_secrets s join tokens t on t.id = s.token_id where s.hash = ?';

/**
 * `verify(token, …)`: one call to `POST /api/v1/verify`, returning the server's verify answer as it is (always a
 * result for a token; an `ApiError` only when the call itself fails: network, the caller's own credential refused).
 * Browser-safe (fetch only); the local verifier with its cache is in local.ts.
 *
 *   const v = new RemoteVerifier({ baseUrl: 'http://tessera:9696', credential: 'tsr_…service token…' });
 *   const a = await v.verify(req.headers['x-api-key'], { permissions: ['deploy:write'] });
 *   if (a.valid) …
 */
import type { paths } from './schema.js';
import { ApiError } from './errors.js';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/** The answer of POST /api/v1/verify (`valid`, `code`, `token`, `permissions`, `roles`, `rate_limit`, `usage`, `missing`…). */
export type VerifyAnswer = Json<paths['/api/v1/verify']['post']['responses'][200]>;
export type VerifyCode = VerifyAnswer['code'];
export type Access = 'read' | 'write' | 'full';

/** What to check besides the token itself. */
export interface VerifyRequest {
  /** Access level the token must have. */
  access?: Access;
  /**
   * A permission query: a name (`'deploy:write'`), a list (all of them), or `{and: [...]}` / `{or: [...]}`. Sent as
   * the body's `permissions` field.
   */
  permissions?: PermissionQuery;
  /** The client address, checked against the token's `allowed_cidrs` (a token with an allowlist needs it). */
  ip?: string;
}
export type PermissionQuery = string | PermissionQuery[] | { and: PermissionQuery[] } | { or: PermissionQuery[] };

export interface RemoteOptions {
  /** The Tessera server's origin, e.g. `http://127.0.0.1:9696`. */
  baseUrl: string;
  /**
   * The caller's own credential, sent as `Authorization: Bearer` (the server's `verify_policy`: `any` needs one,
   * `admin` an admin's, `public` none). A service token is the usual choice.
   */
  credential?: string;
  fetch?: typeof fetch;
  /** Abort a verification that takes longer (ms); default 5000. */
  timeoutMs?: number;
}

/** The body sent to POST /api/v1/verify. */
export const verifyBody = (token: string, o: VerifyRequest = {}): string => JSON.stringify({
  token, ...(o.access ? { access: o.access } : {}), ...(o.permissions !== undefined ? { permissions: o.permissions } : {}),
  ...(o.ip !== undefined ? { ip: o.ip } : {}),
});

export class RemoteVerifier {
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(o: RemoteOptions) {
    this.url = `${o.baseUrl.replace(/\/+$/, '')}/api/v1/verify`;
    this.headers = { 'content-type': 'application/json', accept: 'application/json', ...(o.credential ? { authorization: `Bearer ${o.credential}` } : {}) };
    this.fetch = o.fetch ?? globalThis.fetch;
    this.timeoutMs = o.timeoutMs ?? 5000;
  }

  /** One POST /api/v1/verify. Throws `ApiError` (NETWORK_ERROR, or the server's code) when there is no answer. */
  async verify(token: string, o: VerifyRequest = {}): Promise<VerifyAnswer> {
    let res: Response;
    try {
      res = await this.fetch(this.url, { method: 'POST', headers: this.headers, body: verifyBody(token, o), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new ApiError(0, 'NETWORK_ERROR', `could not reach the server (${e instanceof Error ? e.message : String(e)})`);
    }
    const body = await res.json().catch(() => null) as unknown;
    if (res.ok && body && typeof body === 'object' && 'valid' in body) return body as VerifyAnswer;
    throw ApiError.from(res.status, body, res.statusText);
  }
}

/** `verify(token, {permissions?}, {baseUrl, credential})`: the one-call form. */
export const verify = (token: string, o: VerifyRequest & RemoteOptions): Promise<VerifyAnswer> => new RemoteVerifier(o).verify(token, o);

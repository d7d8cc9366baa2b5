/**
 * A small HTTP client for the native API (Node's global fetch), and the rule for which server and token a command
 * uses: `--url`, then $TESSERA_URL, then the stored login; the token from $TESSERA_TOKEN, then the stored login.
 * A failed request becomes a CliError carrying the server's error code, e.g.
 * `TOKEN_REVOKED: the token was revoked (HTTP 401)`.
 */
import { readCredentials } from './credentials-file.js';
import { CliError } from './output.js';

const TIMEOUT_MS = 30_000;

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** Extra headers (login sends the session cookie this way). */
  headers?: Record<string, string>;
}

export interface ApiResponse<T> { status: number; data: T; headers: Headers }

/** The server refused a request: its HTTP status and error code, for callers that treat some refusals as expected. */
export class ApiError extends CliError {
  constructor(message: string, readonly status: number, readonly code: string | null) { super(message); }
}

/** Checks and tidies a server URL: http(s) only, no trailing slash (a path prefix behind a proxy is kept). */
export const normaliseUrl = (raw: string): string => {
  let u: URL;
  try { u = new URL(raw); } catch { throw new CliError(`'${raw}' is not a URL; give e.g. --url http://localhost:9696`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CliError(`'${raw}' must be an http:// or https:// URL`);
  if (u.search || u.hash) throw new CliError(`'${raw}' must not have a query or fragment`);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
};

export class Client {
  constructor(readonly url: string, private readonly token: string | null) {}

  async request<T>(method: string, path: string, o: RequestOptions = {}): Promise<ApiResponse<T>> {
    const target = new URL(this.url + path);
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) target.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(target, {
        method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      throw new CliError(`cannot reach ${this.url}: ${describeFetchError(e)}`);
    }
    const text = await res.text();
    let data: unknown = null;
    if (text.length > 0) {
      try { data = JSON.parse(text); } catch {
        if (res.ok) throw new CliError(`${method} ${path}: the server answered HTTP ${res.status} with a body that is not JSON`);
      }
    }
    if (!res.ok) throw apiError(res.status, data, text);
    return { status: res.status, data: data as T, headers: res.headers };
  }

  /**
   * A streaming GET (Server-Sent Events): the response as soon as its headers arrive, its body unread; a refusal becomes
   * a CliError as for `request`. No time limit (the server sends a heartbeat); stop it with `signal`.
   */
  async stream(path: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    const h: Record<string, string> = { accept: 'text/event-stream', ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(new URL(this.url + path), { headers: h, ...(signal ? { signal } : {}) });
    } catch (e) {
      throw new CliError(`cannot reach ${this.url}: ${describeFetchError(e)}`);
    }
    if (!res.ok) {
      const text = await res.text();
      let data: unknown = null;
      try { data = JSON.parse(text); } catch { /* not the envelope */ }
      throw apiError(res.status, data, text);
    }
    return res;
  }

  get = <T>(path: string, query?: Query): Promise<T> => this.request<T>('GET', path, { query }).then((r) => r.data);
  post = <T>(path: string, body?: unknown): Promise<T> => this.request<T>('POST', path, { body }).then((r) => r.data);
  patch = <T>(path: string, body: unknown): Promise<T> => this.request<T>('PATCH', path, { body }).then((r) => r.data);
  put = <T>(path: string, body: unknown): Promise<T> => this.request<T>('PUT', path, { body }).then((r) => r.data);
  delete = (path: string): Promise<void> => this.request<unknown>('DELETE', path).then(() => undefined);
}

/** `CODE: message (HTTP status)` from the error envelope; something readable when a proxy answered instead. */
const apiError = (status: number, data: unknown, text: string): ApiError => {
  const err = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (err && typeof err.code === 'string') return new ApiError(`${err.code}: ${String(err.message ?? '')} (HTTP ${status})`, status, err.code);
  const snippet = text.trim().replace(/\s+/g, ' ').slice(0, 200);
  return new ApiError(`HTTP ${status}${snippet ? `: ${snippet}` : ''}`, status, null);
};

const describeFetchError = (e: unknown): string => {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} seconds`;
  return err.cause?.code ?? err.cause?.message ?? err.message;
};

export interface ConnectionOptions { url?: string }

/**
 * The client for a command. The stored token is only sent to the server it was issued by: with `--url` or
 * $TESSERA_URL naming another server, the token must come from $TESSERA_TOKEN, so a typo in a URL never leaks it.
 */
export const connect = (o: ConnectionOptions, opts: { tokenOptional?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): Client => {
  const given = o.url ?? (env.TESSERA_URL || undefined);
  const envToken = env.TESSERA_TOKEN || null;
  // With both server and token given, the file is not needed (nor allowed to fail the command).
  const stored = given !== undefined && envToken ? null : readCredentials(env);
  const url = given !== undefined ? normaliseUrl(given) : stored ? normaliseUrl(stored.url) : null;
  if (url === null) throw new CliError("no server: run 'tessera login --url <url>', or pass --url or set TESSERA_URL");
  const storedToken = stored && normaliseUrl(stored.url) === url ? stored.token : null;
  const token = envToken ?? storedToken;
  if (!token && !opts.tokenOptional) {
    throw new CliError(`not logged in to ${url}: run 'tessera login --url ${url}' or set TESSERA_TOKEN`);
  }
  return new Client(url, token || null);
};

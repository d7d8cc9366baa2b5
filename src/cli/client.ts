/**
 * The CLI's connection to a server: the SDK's typed client (sdk/index.ts, openapi-fetch over the server's OpenAPI
 * types) with a time limit, and the rule for which server and token a command uses: `--url`, then $TESSERA_URL, then
 * the stored login; the token from $TESSERA_TOKEN, then the stored login.
 * A failed request becomes a CliError carrying the server's error code, e.g.
 * `TOKEN_REVOKED: the token was revoked (HTTP 401)`.
 *
 * This is the only CLI module that imports the SDK's code (the others import its types only), so the build
 * (scripts/build.mjs) inlines the SDK into this one file of dist/.
 */
import { createTesseraClient, type TesseraClient } from '../../sdk/index.js';
import { readCredentials } from './credentials-file.js';
import { CliError } from './output.js';

/**
 * How long a request may take before the command gives up: $TESSERA_TIMEOUT seconds, 30 unless set. A stream (a
 * job's output, `--follow`) only until its headers arrive.
 */
export const timeoutMs = (env: NodeJS.ProcessEnv = process.env): number => {
  const raw = env.TESSERA_TIMEOUT;
  if (raw === undefined || raw === '') return 30_000;
  const s = Number(raw);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(raw.trim()) || !(s > 0) || s > 86_400) throw new CliError(`TESSERA_TIMEOUT must be a number of seconds between 0 and 86400, not '${raw}'`);
  return Math.ceil(s * 1000);
};

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

/** What an SDK call resolves to (openapi-fetch). */
type Answer<D> = { data?: D; error?: unknown; response: Response };

export class Client {
  /** The SDK's typed client: `client.call(client.api.GET('/api/v1/tokens/{id}', { params: { path: { id } } }))`. */
  readonly api: TesseraClient;
  /** The request in flight (commands make one at a time), to name it when its answer is not JSON. */
  private last: { method: string; path: string; status: number } | null = null;

  private readonly timeoutMs = timeoutMs();

  constructor(readonly url: string, token: string | null) {
    this.api = createTesseraClient({
      baseUrl: url, ...(token ? { token } : {}),
      // Every request gets its time limit; a stream only until its headers (then the server's heartbeat keeps it going).
      timeoutMs: this.timeoutMs,
      fetch: async (req) => {
        this.last = { method: req.method, path: new URL(req.url).pathname.slice(new URL(url).pathname.replace(/\/$/, '').length), status: 0 };
        const res = await fetch(req);
        this.last.status = res.status;
        return res;
      },
    });
  }

  /** The data of a successful SDK call; a refusal, an unreachable server or an answer that is not JSON is a CliError. */
  async call<D>(p: Promise<Answer<D>>): Promise<D> {
    return (await this.answer(p)).data as D;
  }

  /** As `call`, with the response (its headers). */
  async answer<D>(p: Promise<Answer<D>>): Promise<{ data: D; response: Response }> {
    let r: Answer<D>;
    try {
      r = await p;
    } catch (e) {
      if (e instanceof SyntaxError && this.last !== null) {
        throw new CliError(`${this.last.method} ${this.last.path}: the server answered HTTP ${this.last.status} with a body that is not JSON`);
      }
      throw new CliError(`cannot reach ${this.url}: ${describeFetchError(e, this.timeoutMs)}`);
    }
    if (!r.response.ok) throw apiError(r.response.status, r.error);
    return { data: r.data as D, response: r.response };
  }

  /**
   * A streaming GET (Server-Sent Events, `parseAs: 'stream'`): the response as soon as its headers arrive, its body
   * unread; a refusal becomes a CliError as for `call`. Stop it with a signal in the call's options.
   */
  async stream(p: (api: TesseraClient, headers: { accept: 'text/event-stream' }) => Promise<Answer<unknown>>): Promise<Response> {
    return (await this.answer(p(this.api, { accept: 'text/event-stream' }))).response;
  }
}

/** `CODE: message (HTTP status)` from the error envelope; something readable when a proxy answered instead. */
const apiError = (status: number, error: unknown): ApiError => {
  const err = (error as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (err && typeof err.code === 'string') return new ApiError(`${err.code}: ${String(err.message ?? '')} (HTTP ${status})`, status, err.code);
  const text = typeof error === 'string' ? error : error === undefined ? '' : JSON.stringify(error);
  const snippet = text.trim().replace(/\s+/g, ' ').slice(0, 200);
  return new ApiError(`HTTP ${status}${snippet ? `: ${snippet}` : ''}`, status, null);
};

const describeFetchError = (e: unknown, ms: number): string => {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${ms / 1000} seconds (TESSERA_TIMEOUT)`;
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

/**
 * The local verifier: answers repeated verifications of the same token from memory, and learns every revocation from
 * the server within a second.
 *
 * - Only positive answers are cached (`valid: true`, and not for tokens with a rate or usage limit: every use of
 *   those must reach the server). Each answer is kept per question (access, permissions, ip) under the token's
 *   SHA-256 (never the raw value) — the same hash the server stores, so its `hash` invalidations match.
 * - It subscribes to `GET /api/v1/verify/events` (Server-Sent Events; the credential must be a service token or an
 *   admin's) and drops entries by token id, by owner (user id), by hash, or all of them, as the server says.
 * - The cache is used only while that stream is up and the server itself caches (`state {caching: true}`). When the
 *   stream is lost (an error, the server going away, no byte for `idleMs` although the server sends a heartbeat
 *   every 15 s) the cache is emptied and every verification goes to the server until the stream is back.
 * - A remote check that started before an invalidation does not cache what it read (a generation counter).
 * - A safety-net TTL (`ttlMs`) and the token's own `expires_at` end entries too.
 *
 *   const v = new LocalVerifier({ baseUrl: 'http://tessera:9696', credential: process.env.TESSERA_SERVICE_TOKEN });
 *   await v.start();
 *   const a = await v.verify(token, { permissions: 'deploy:write' });
 */
import { hash } from 'node:crypto';
import { ApiError } from './errors.js';
import { RemoteVerifier, type RemoteOptions, type VerifyAnswer, type VerifyRequest } from './verify.js';

export interface LocalOptions extends RemoteOptions {
  /** Service token (or an admin's credential): used for the invalidation stream and for the remote checks. */
  credential: string;
  /** Most tokens kept (oldest evicted first). Default 100 000. */
  maxEntries?: number;
  /** Longest an answer is served from memory (ms), a safety net behind the stream. Default 300 000. */
  ttlMs?: number;
  /** The stream counts as lost when no byte came for this long (ms). Default 45 000 (three heartbeats). */
  idleMs?: number;
  /** Wait before reconnecting (ms), doubled up to `maxReconnectMs`. Defaults 250 and 5000. */
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** Told when the cache turns on or off (stream up and server caching, or not), and why. */
  onState?: (s: { caching: boolean; reason: string }) => void;
}

interface Entry { tokenId: string; userId: number | null; at: number; expiresAt: number | null; answers: Map<string, VerifyAnswer> }

/** SHA-256 of a token's value, hex: what the server stores and sends in `hash` invalidations. */
export const tokenHash = (value: string): string => hash('sha256', value, 'hex');
/** The cache key: the same SHA-256, as its 32 bytes in a one-byte string (shorter to hash and compare than hex). */
const keyOf = (value: string): string => hash('sha256', value, 'binary');
const keyOfHex = (hex: string): string => Buffer.from(hex, 'hex').toString('binary');

const questionKey = (o: VerifyRequest | undefined): string => {
  if (o === undefined || (o.access === undefined && o.permissions === undefined && o.ip === undefined)) return '';
  return `${o.access ?? ''}\u0000${o.ip ?? ''}\u0000${o.permissions === undefined ? '' : JSON.stringify(o.permissions)}`;
};

const deepFreeze = <T>(v: T): T => {
  if (v && typeof v === 'object') { for (const x of Object.values(v)) deepFreeze(x); Object.freeze(v); }
  return v;
};

export class LocalVerifier {
  readonly remote: RemoteVerifier;
  private readonly cache = new Map<string, Entry>();
  private readonly byToken = new Map<string, Set<string>>();
  private readonly byUser = new Map<number, Set<string>>();
  private gen = 0;
  private on = false;
  private closed = false;
  private abort: AbortController | null = null;
  private idle: ReturnType<typeof setTimeout> | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private backoff: number;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly idleMs: number;
  private readonly eventsUrl: string;
  private readonly fetch: typeof fetch;
  private firstState: (() => void) | null = null;
  /** Why the stream was last lost or could not be opened (null while it never was): e.g. `FORBIDDEN: …`. */
  lastError: string | null = null;
  /** Remote checks made (cache misses and checks while the cache is off); for tests and benchmarks. */
  remoteChecks = 0;

  constructor(private readonly o: LocalOptions) {
    this.remote = new RemoteVerifier(o);
    this.maxEntries = o.maxEntries ?? 100_000;
    this.ttlMs = o.ttlMs ?? 300_000;
    this.idleMs = o.idleMs ?? 45_000;
    this.backoff = o.reconnectMs ?? 250;
    this.eventsUrl = `${o.baseUrl.replace(/\/+$/, '')}/api/v1/verify/events`;
    this.fetch = o.fetch ?? globalThis.fetch;
  }

  /**
   * Opens the invalidation stream. Resolves once the server said whether to cache, or the first attempt failed
   * (verifications then go to the server while it retries in the background). Never rejects.
   */
  start(): Promise<void> {
    if (this.abort || this.retry) return Promise.resolve();
    return new Promise((resolve) => { this.firstState = resolve; this.connect(); });
  }

  /** Stops the stream and empties the cache; verifications after this go to the server. */
  close(): void {
    this.closed = true;
    this.setCaching(false, 'closed');
    this.abort?.abort();
    this.abort = null;
    if (this.retry) clearTimeout(this.retry);
    if (this.idle) clearTimeout(this.idle);
    this.retry = this.idle = null;
  }

  /** Whether answers are served from memory now. */
  get caching(): boolean { return this.on; }
  get size(): number { return this.cache.size; }

  /** The cached answer to this question, if there is one (synchronous; undefined: ask `verify`). */
  cached(token: string, o?: VerifyRequest): VerifyAnswer | undefined {
    if (!this.on) return undefined;
    const key = keyOf(token);
    const e = this.cache.get(key);
    if (e === undefined) return undefined;
    const now = Date.now();
    if (now - e.at >= this.ttlMs || (e.expiresAt !== null && e.expiresAt <= now)) { this.drop(key); return undefined; }
    return e.answers.get(questionKey(o));
  }

  /** The verify answer: from memory when possible, else from the server (and cached when it may be). */
  verify(token: string, o?: VerifyRequest): Promise<VerifyAnswer> {
    const hit = this.cached(token, o);
    return hit !== undefined ? Promise.resolve(hit) : this.ask(token, o);
  }

  private async ask(token: string, o: VerifyRequest | undefined): Promise<VerifyAnswer> {
    const gen = this.gen;
    this.remoteChecks++;
    const a = await this.remote.verify(token, o);
    if (this.on && gen === this.gen && a.valid && a.token !== null && a.rate_limit === undefined && a.usage === undefined) {
      this.remember(keyOf(token), questionKey(o), deepFreeze(a));
    }
    return a;
  }

  private remember(key: string, q: string, a: VerifyAnswer): void {
    const t = a.token!;
    let e = this.cache.get(key);
    if (e === undefined || e.tokenId !== t.id) {
      if (this.cache.size >= this.maxEntries) { const oldest = this.cache.keys().next().value; if (oldest !== undefined) this.drop(oldest); }
      e = { tokenId: t.id, userId: t.owner?.id ?? null, at: Date.now(), expiresAt: t.expires_at === null ? null : Date.parse(t.expires_at), answers: new Map() };
      this.cache.set(key, e);
      addTo(this.byToken, t.id, key);
      if (e.userId !== null) addTo(this.byUser, e.userId, key);
    }
    e.answers.set(q, a);
  }

  private drop(key: string): void {
    const e = this.cache.get(key);
    if (!e) return;
    this.cache.delete(key);
    removeFrom(this.byToken, e.tokenId, key);
    if (e.userId !== null) removeFrom(this.byUser, e.userId, key);
  }

  private clear(): void {
    this.gen++;
    this.cache.clear();
    this.byToken.clear();
    this.byUser.clear();
  }

  private setCaching(on: boolean, reason: string, tell = false): void {
    this.clear();
    if (on !== this.on || tell) { this.on = on; this.o.onState?.({ caching: on, reason }); }
  }

  /** One invalidation from the server. */
  invalidate(e: { kind: string; id: unknown }): void {
    // `hash`: a value was just created (the server drops its negative entry); an answer read now is not stale, so
    // checks in flight may still cache. Everything else may make any answer in flight stale.
    if (e.kind === 'hash') { this.drop(keyOfHex(String(e.id))); return; }
    this.gen++;
    if (e.kind === 'token') for (const k of [...(this.byToken.get(String(e.id)) ?? [])]) this.drop(k);
    else if (e.kind === 'user') for (const k of [...(this.byUser.get(Number(e.id)) ?? [])]) this.drop(k);
    else this.clear();
  }

  private connect(): void {
    if (this.closed) return;
    this.retry = null;
    const ac = new AbortController();
    this.abort = ac;
    void this.follow(ac).catch((err: unknown) => {
      this.lost(ac, err instanceof ApiError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err));
    });
  }

  private async follow(ac: AbortController): Promise<void> {
    this.touch(ac); // a server that takes the connection but never answers is lost after `idleMs` too
    const res = await this.fetch(this.eventsUrl, { headers: { accept: 'text/event-stream', authorization: `Bearer ${this.o.credential}` }, signal: ac.signal });
    if (!res.ok || !res.body) throw ApiError.from(res.status, await res.json().catch(() => null), res.statusText);
    this.touch(ac);
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error('the server ended the stream');
      this.touch(ac);
      buf += dec.decode(value, { stream: true });
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) !== -1) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        this.event(block);
      }
    }
  }

  private event(block: string): void {
    let name = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) name = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (data === '') return; // a comment (connected, heartbeat)
    const d = JSON.parse(data) as { caching?: boolean; kind?: string; id?: unknown };
    if (name === 'state') {
      this.backoff = this.o.reconnectMs ?? 250;
      this.lastError = null;
      this.setCaching(d.caching === true, d.caching ? 'stream open' : 'the server does not cache (its change feed is down)');
      this.firstState?.(); this.firstState = null;
    } else if (name === 'invalidate' && typeof d.kind === 'string') {
      this.invalidate({ kind: d.kind, id: d.id });
    } else if (name === 'error') {
      throw new Error(`the server ended the stream: ${data}`);
    }
  }

  /** A byte arrived: the stream is alive for `idleMs` more. */
  private touch(ac: AbortController): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => { this.lost(ac, `no byte from the stream for ${this.idleMs} ms`); }, this.idleMs);
    this.idle.unref?.();
  }

  /** The stream `ac` is lost (a stream that was already replaced or closed is ignored). */
  private lost(ac: AbortController, reason: string): void {
    if (this.closed || this.abort !== ac) return;
    ac.abort();
    this.abort = null;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.lastError = reason;
    // The first attempt's failure is told even though the cache was off already: a credential the server refuses
    // (403: not a service token) would otherwise go unnoticed while every verification goes to the server.
    this.setCaching(false, `stream lost (${reason})`, this.firstState !== null);
    this.firstState?.(); this.firstState = null;
    if (this.retry) return;
    this.retry = setTimeout(() => this.connect(), this.backoff);
    this.retry.unref?.();
    this.backoff = Math.min(this.backoff * 2, this.o.maxReconnectMs ?? 5000);
  }
}

const addTo = <K>(m: Map<K, Set<string>>, k: K, v: string): void => {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
};
const removeFrom = <K>(m: Map<K, Set<string>>, k: K, v: string): void => {
  const s = m.get(k);
  if (s) { s.delete(v); if (s.size === 0) m.delete(k); }
};

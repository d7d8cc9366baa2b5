/**
 * The metrics port (issue 19): what the core and the faces record, with no metrics library behind it here. The
 * composition root passes `promMetrics` (src/infra/metrics.ts, prom-client) when `metrics.enabled`, else the no-op
 * `NO_METRICS`; docs/metrics.md lists every metric.
 *
 * The hot path records without allocating: every labelled child is made once (when the recorder is built or, for a
 * label value first seen later, once on first use and kept) and handed down; a request then calls `inc()` or
 * `observe()` on a child it already holds.
 */

/** One labelled counter series. */
export interface CounterChild { inc(): void }
/** One labelled histogram series (seconds). */
export interface HistogramChild { observe(seconds: number): void }

/**
 * Where a verification came in: `verify` (POST /api/v1/verify with a token value), `jwt` (the same with one of
 * Tessera's JWTs), `forward` (/api/v1/auth/forward), `forward_profile` (/api/v1/auth/forward/<profile>), `introspect`
 * (POST /api/v1/introspect), `compat` (a seed product's face: POST /message with a command-bound token).
 */
export type VerifyFace = 'verify' | 'jwt' | 'forward' | 'forward_profile' | 'introspect' | 'compat';
export const VERIFY_FACES: readonly VerifyFace[] = ['verify', 'jwt', 'forward', 'forward_profile', 'introspect', 'compat'];
/** Which server answered: the hot lane (node:http, src/http/hot-lane.ts) or fastify. */
export type Lane = 'hot' | 'fastify';

/** The verification counter of one face and lane: `count(code)` with a verify code (VALID, REVOKED, …) or an error code. */
export interface CodeCounter { count(code: string): void }

/** The routes of the hot lane, for its latency histogram. */
export type LaneRoute = 'verify' | 'forward' | 'forward_profile';

export type LoginFailure = 'bad_credentials' | 'disabled' | 'throttled';
export type StoreErrorKind = 'unavailable' | 'unexpected';

export interface Metrics {
  /** False for the no-op recorder: callers may skip work done only to record (timing a request). */
  readonly enabled: boolean;
  verifications(face: VerifyFace, lane: Lane): CodeCounter;
  /** Verifier cache: a value answered from the cache (`token`: a known token; `unknown`: the negative cache) or looked up. */
  readonly cacheHit: CounterChild;
  readonly cacheUnknownHit: CounterChild;
  readonly cacheMiss: CounterChild;
  /** Values the store's secret filter refused without a lookup (SQLite). */
  readonly secretFilterRejections: CounterChild;
  storeError(kind: StoreErrorKind): CounterChild;
  loginFailure(reason: LoginFailure): CounterChild;
  /** A job ended (or was refused): its command, its outcome (the job status) and how long it ran. */
  job(command: string, outcome: string, seconds: number): void;
  /** Time from a change's commit on one node to its arrival on this node (PostgreSQL change feed), per change kind. */
  propagation(kind: string): HistogramChild;
  /** Latency of one fastify route (method and route pattern). */
  route(method: string, pattern: string): HistogramChild;
  /** Latency of the hot lane's routes. */
  lane(route: LaneRoute): HistogramChild;
  /** The exposition (Prometheus text format) for GET /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

const NOOP_CHILD: CounterChild & HistogramChild = Object.freeze({ inc: () => undefined, observe: () => undefined });
const NOOP_CODES: CodeCounter = Object.freeze({ count: () => undefined });

/** Records nothing (metrics off, unit tests). */
export const NO_METRICS: Metrics = Object.freeze({
  enabled: false,
  verifications: () => NOOP_CODES,
  cacheHit: NOOP_CHILD, cacheUnknownHit: NOOP_CHILD, cacheMiss: NOOP_CHILD, secretFilterRejections: NOOP_CHILD,
  storeError: () => NOOP_CHILD,
  loginFailure: () => NOOP_CHILD,
  job: () => undefined,
  propagation: () => NOOP_CHILD,
  route: () => NOOP_CHILD,
  lane: () => NOOP_CHILD,
  render: () => Promise.resolve({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: '' }),
});

/**
 * Whether an error that reached a request or a background task is a store error worth counting: `unavailable` for
 * STORE_UNAVAILABLE (the PostgreSQL store maps a lost database to it), `unexpected` for a driver exception that became
 * INTERNAL_ERROR (better-sqlite3's SqliteError, or pg's DatabaseError with its SQLSTATE), else null.
 */
export const storeErrorKind = (code: string, err: unknown): StoreErrorKind | null => {
  if (code === 'STORE_UNAVAILABLE') return 'unavailable';
  if (code !== 'INTERNAL_ERROR' || !(err instanceof Error)) return null;
  const e = err as Error & { code?: unknown; severity?: unknown };
  if (e.name === 'SqliteError') return 'unexpected';
  return typeof e.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? 'unexpected' : null;
};

/**
 * The metrics port (src/core/metrics.ts) over prom-client: its registry, text exposition and default process metrics.
 *
 * The series themselves are kept here, in children made once per label set: a counter child is one number, a
 * histogram child a fixed array of bucket counts, so recording is an increment with no allocation. (prom-client's own
 * `counter.labels(...).inc()` hashes the label object into a string and returns a result object on every call.) Each
 * family is registered in the prom-client registry as a collector object whose `get()` reports the children in
 * prom-client's metric format at scrape time; docs/metrics.md lists every family.
 *
 * With `tessera serve --workers N` each worker records its own requests, and a scrape reaches one worker (the one its
 * connection was dealt to). So a worker answers a scrape with every worker's metrics added up: it asks the primary
 * (`fromPrimary`), which gathers each worker's series over the cluster IPC channel and aggregates them with
 * prom-client's `AggregatorRegistry` (`workersMetrics`): counters and histograms summed, the process metrics as
 * prom-client's cluster mode aggregates them.
 */
import type { Worker } from 'node:cluster';
import { AggregatorRegistry, collectDefaultMetrics, Registry } from 'prom-client';
import { TesseraError } from '../core/errors.js';
import {
  type CodeCounter, type CounterChild, type HistogramChild, type Lane, type LaneRoute, type LoginFailure, type Metrics,
  type StoreErrorKind, type VerifyFace, VERIFY_FACES,
} from '../core/metrics.js';

type Labels = Readonly<Record<string, string>>;

class Count implements CounterChild {
  n = 0;
  constructor(readonly labels: Labels) {}
  inc(): void { this.n++; }
}

class Buckets implements HistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  n = 0;
  constructor(readonly labels: Labels, private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(seconds: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && seconds > b[i]!) i++;
    if (i < b.length) this.counts[i]!++;
    this.sum += seconds;
    this.n++;
  }
}

interface MetricValue { labels: Record<string, string | number>; value: number; metricName?: string }

/** One family: its children by a key of their label values, reported to the registry in prom-client's format. */
abstract class Family<C> {
  readonly children = new Map<string, C>();
  constructor(readonly name: string, readonly help: string, readonly type: 'counter' | 'histogram', private readonly labelNames: readonly string[]) {}

  /** The child of these label values (in labelNames order), made once and kept. */
  child(...values: string[]): C {
    const key = values.join('\u0000');
    let c = this.children.get(key);
    if (c === undefined) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((n, i) => { labels[n] = values[i]!; });
      c = this.make(Object.freeze(labels));
      this.children.set(key, c);
    }
    return c;
  }

  protected abstract make(labels: Labels): C;
  protected abstract values(): MetricValue[];

  get(): Promise<{ name: string; help: string; type: string; values: MetricValue[]; aggregator: 'sum' }> {
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values: this.values(), aggregator: 'sum' });
  }
}

class CounterFamily extends Family<Count> {
  constructor(name: string, help: string, labelNames: readonly string[]) { super(name, help, 'counter', labelNames); }
  protected make(labels: Labels): Count { return new Count(labels); }
  protected values(): MetricValue[] {
    return [...this.children.values()].map((c) => ({ labels: { ...c.labels }, value: c.n }));
  }
}

class HistogramFamily extends Family<Buckets> {
  constructor(name: string, help: string, labelNames: readonly string[], private readonly bounds: readonly number[]) {
    super(name, help, 'histogram', labelNames);
  }

  protected make(labels: Labels): Buckets { return new Buckets(labels, this.bounds); }
  protected values(): MetricValue[] {
    const out: MetricValue[] = [];
    for (const c of this.children.values()) {
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += c.counts[i]!;
        out.push({ labels: { ...c.labels, le }, value: acc, metricName: `${this.name}_bucket` });
      });
      out.push({ labels: { ...c.labels, le: '+Inf' }, value: c.n, metricName: `${this.name}_bucket` });
      out.push({ labels: { ...c.labels }, value: c.sum, metricName: `${this.name}_sum` });
      out.push({ labels: { ...c.labels }, value: c.n, metricName: `${this.name}_count` });
    }
    return out;
  }
}

/** Request latencies: from 50 µs (the hot lane answers a cached verification in well under 100 µs) to 5 s. */
export const LATENCY_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Change propagation between nodes: a NOTIFY normally arrives in milliseconds; a feed that was down, in seconds. */
export const PROPAGATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
export const JOB_BUCKETS = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

/**
 * The codes each face's series are made for up front (so a dashboard sees them at 0); any other code gets its series on
 * first use, made once and kept. Verify-style faces answer verify codes, forward-auth faces error codes.
 */
const FIRST_CODES: Record<VerifyFace, readonly string[]> = {
  verify: ['VALID', 'NOT_FOUND', 'REVOKED', 'EXPIRED'], jwt: ['VALID', 'NOT_FOUND'], introspect: ['VALID', 'NOT_FOUND'], compat: ['VALID', 'NOT_FOUND'],
  forward: ['VALID', 'UNAUTHENTICATED', 'TOKEN_NOT_FOUND'], forward_profile: ['VALID', 'UNAUTHENTICATED', 'TOKEN_NOT_FOUND'],
};

/** The IPC message of a worker asking the primary for the workers' metrics (`id`), and of the primary's answer. */
interface MetricsMessage { tessera: 'metrics'; id: number; body?: string; error?: string }

const isMetricsMessage = (m: unknown): m is MetricsMessage =>
  typeof m === 'object' && m !== null && (m as { tessera?: unknown }).tessera === 'metrics' && typeof (m as { id?: unknown }).id === 'number';

/** How long a worker waits for the primary's answer (prom-client gives up on a silent worker after 5 s). */
const GATHER_MS = 6_000;

const unavailable = (why: string): TesseraError =>
  new TesseraError('METRICS_UNAVAILABLE', `the workers' metrics could not be gathered (${why}); the next scrape may succeed`);

/**
 * The primary's side: answers a worker's request for the workers' metrics (other messages are not its). Every
 * connected worker is asked for its series (prom-client's cluster protocol, which `promMetrics({ worker: true })`
 * answers); the answer is their aggregate in the text exposition.
 */
export const workersMetrics = (): ((w: Worker, m: unknown) => void) => {
  const aggregator = new AggregatorRegistry();
  return (w, m) => {
    if (!isMetricsMessage(m) || m.body !== undefined || m.error !== undefined) return;
    const reply = (answer: MetricsMessage): void => {
      if (w.isConnected()) w.send(answer, undefined, () => undefined);
    };
    aggregator.clusterMetrics().then(
      (body) => reply({ tessera: 'metrics', id: m.id, body }),
      (e: unknown) => reply({ tessera: 'metrics', id: m.id, error: (e as Error).message }),
    );
  };
};

/** A worker's side: asks the primary for the workers' metrics (`workersMetrics`) and waits for its answer. */
const fromPrimary = (): (() => Promise<string>) => {
  let next = 0;
  const waiting = new Map<number, { done: (body: string) => void; fail: (e: Error) => void; timer: NodeJS.Timeout }>();
  process.on('message', (m: unknown) => {
    if (!isMetricsMessage(m)) return;
    const w = waiting.get(m.id);
    if (w === undefined) return;
    waiting.delete(m.id);
    clearTimeout(w.timer);
    if (typeof m.body === 'string') w.done(m.body);
    else w.fail(unavailable(m.error ?? 'no answer'));
  });
  return () => new Promise<string>((done, fail) => {
    if (!process.connected || !process.send) { fail(unavailable('the primary process is gone')); return; }
    const id = next++;
    const timer = setTimeout(() => { waiting.delete(id); fail(unavailable(`no answer within ${GATHER_MS / 1000} s`)); }, GATHER_MS);
    waiting.set(id, { done, fail, timer });
    const ask: MetricsMessage = { tessera: 'metrics', id };
    try { process.send(ask, undefined, {}, () => undefined); } catch { /* disconnected: the timer answers */ }
  });
};

/**
 * The prom-client recorder. `defaultMetrics`: also collect prom-client's process and Node.js metrics. `worker`: this
 * process is a worker of `serve --workers N`: its series are also handed to the primary on request, and a scrape is
 * answered with every worker's, added up (`workersMetrics`).
 */
export const promMetrics = (o: { defaultMetrics?: boolean; worker?: boolean } = {}): Metrics => {
  const registry = new Registry();
  if (o.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  let gather: (() => Promise<string>) | null = null;
  if (o.worker) {
    // Constructing one installs prom-client's answer to the primary's requests; it hands over this registry's series.
    AggregatorRegistry.setRegistries(registry);
    new AggregatorRegistry(); // eslint-disable-line no-new
    gather = fromPrimary();
  }
  const families: Family<unknown>[] = [];
  const counter = (name: string, help: string, labels: readonly string[]): CounterFamily => {
    const f = new CounterFamily(name, help, labels);
    families.push(f as Family<unknown>);
    return f;
  };
  const histogram = (name: string, help: string, labels: readonly string[], bounds: readonly number[]): HistogramFamily => {
    const f = new HistogramFamily(name, help, labels, bounds);
    families.push(f as Family<unknown>);
    return f;
  };
  const verifications = counter('tessera_verifications_total', 'Verifications of a credential by face, lane (hot or fastify) and result code (a verify code, or the error code of a refusal)', ['face', 'lane', 'code']);
  const cacheHits = counter('tessera_verifier_cache_hits_total', 'Verifications answered from the verifier cache (entry: token = a known token, unknown = the negative cache)', ['entry']);
  const cacheMisses = counter('tessera_verifier_cache_misses_total', 'Verifications that looked the value up in the store', []);
  const filter = counter('tessera_secret_filter_rejections_total', 'Values refused by the store\'s secret filter without a lookup (SQLite)', []);
  const storeErrors = counter('tessera_store_errors_total', 'Store errors that reached a request or a background task: unavailable (STORE_UNAVAILABLE) or unexpected (a driver exception)', ['kind']);
  const logins = counter('tessera_login_failures_total', 'Refused password logins by reason', ['reason']);
  const jobs = counter('tessera_jobs_total', 'Jobs that ended or were refused, by command and outcome', ['command', 'outcome']);
  const jobTime = histogram('tessera_job_duration_seconds', 'How long jobs ran, by command and outcome', ['command', 'outcome'], JOB_BUCKETS);
  const propagation = histogram('tessera_change_propagation_seconds', 'From a change committed on another node to its arrival here (PostgreSQL change feed), by change kind', ['kind'], PROPAGATION_BUCKETS);
  const routes = histogram('tessera_http_request_duration_seconds', 'Latency of requests answered by fastify, by method and route pattern', ['method', 'route'], LATENCY_BUCKETS);
  const lane = histogram('tessera_hot_lane_request_duration_seconds', 'Latency of requests answered by the hot lane (node:http in front of fastify), by route', ['route'], LATENCY_BUCKETS);
  for (const f of families) registry.registerMetric(f as never);

  // Children made up front: every face and lane with the common codes, the cache, filter, store and login series.
  const codeCounters = new Map<string, CodeCounter>();
  const codes = (face: VerifyFace, ln: Lane): CodeCounter => {
    const key = `${face}/${ln}`;
    let cc = codeCounters.get(key);
    if (cc === undefined) {
      const byCode = new Map<string, Count>();
      for (const c of FIRST_CODES[face]) byCode.set(c, verifications.child(face, ln, c));
      cc = {
        count(code: string): void {
          let c = byCode.get(code);
          if (c === undefined) byCode.set(code, (c = verifications.child(face, ln, code)));
          c.n++;
        },
      };
      codeCounters.set(key, cc);
    }
    return cc;
  };
  for (const f of VERIFY_FACES) codes(f, 'fastify');
  for (const f of ['verify', 'forward', 'forward_profile'] as const) codes(f, 'hot');
  const stores = { unavailable: storeErrors.child('unavailable'), unexpected: storeErrors.child('unexpected') };
  const loginFailures = { bad_credentials: logins.child('bad_credentials'), disabled: logins.child('disabled'), throttled: logins.child('throttled') };
  const laneRoutes = { verify: lane.child('verify'), forward: lane.child('forward'), forward_profile: lane.child('forward_profile') };

  return {
    enabled: true,
    verifications: codes,
    cacheHit: cacheHits.child('token'),
    cacheUnknownHit: cacheHits.child('unknown'),
    cacheMiss: cacheMisses.child(),
    secretFilterRejections: filter.child(),
    storeError: (kind: StoreErrorKind) => stores[kind],
    loginFailure: (reason: LoginFailure) => loginFailures[reason],
    job(command: string, outcome: string, seconds: number): void {
      jobs.child(command, outcome).inc();
      jobTime.child(command, outcome).observe(Math.max(0, seconds));
    },
    propagation: (kind: string) => propagation.child(kind),
    route: (method: string, pattern: string) => routes.child(method, pattern),
    lane: (route: LaneRoute) => laneRoutes[route],
    async render() {
      return { contentType: registry.contentType, body: gather === null ? await registry.metrics() : await gather() };
    },
  };
};

/**
 * The composition root: turns a Config into a store, services, the HTTP app and the background timers.
 * Nothing else builds services or reads process.env (the CLI passes the environment in).
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, type Stats, statSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { AuditForwarder, type AuditForwarderOptions } from './core/audit/forward.js';
import { AuditService } from './core/audit/service.js';
import { JwtService } from './core/auth/jwt.js';
import { AuthService } from './core/auth/service.js';
import type { Atomically, AuditSink, Clock, JwtKeyStore, Random } from './core/ports.js';
import type { Services } from './core/services.js';
import { TokenService } from './core/tokens/service.js';
import { UsageRecorder } from './core/tokens/usage.js';
import { Verifier } from './core/tokens/verifier.js';
import { type CreateUserInput, UserService } from './core/users/service.js';
import { systemContext } from './core/principal.js';
import { userOut } from './http/schemas.js';
import { ChannelService } from './core/channels/service.js';
import { MessageService } from './core/chat/message.js';
import { ChatService } from './core/chat/service.js';
import { split } from './runner/split.js';
import { CommandService } from './core/commands/service.js';
import { JobService } from './core/jobs/service.js';
import { LiveOutput } from './core/jobs/live.js';
import type { ChannelDef, CommandDef } from './core/job-types.js';
import { ConfigError } from './config/load.js';
import type { Config } from './config/schema.js';
import { type App, buildApp, REDACT } from './http/app.js';
import { VERSION } from './version.js';
import { allowedHostList } from './http/hosts.js';
import { aesGcmCipher, loadOrCreateKey } from './infra/cipher.js';
import { fileJwtKeys, fileKeysAtomically, jwtSigner } from './infra/jwt.js';
import { argon2Hasher } from './infra/passwords.js';
import { clusterRateLimiter, memoryRateLimiter, redisRateLimiter } from './infra/ratelimit.js';
import { IpcChangeFeed, IpcSiblingOutput, primaryLog, reportGroup, superviseWorkers } from './infra/cluster.js';
import { ProcessGroupLedger } from './infra/process-groups.js';
import { takeServeLock } from './infra/serve-lock.js';
export { drainWhenPrimaryGone, workerNumber } from './infra/cluster.js';
import { cryptoRandom, systemClock } from './infra/system.js';
import { clientConfig, openPostgresStore } from './store/postgres/index.js';
import { SecretKeyMismatch, sqlJwtKeys } from './store/postgres/jwt-keys.js';
import { PgChangeFeed } from './store/postgres/notify.js';
import { openSqliteStore } from './store/sqlite/index.js';
import type { SqlStore } from './store/sql-store.js';
import { SqlJobStore } from './store/sql-jobs.js';
import { SqlAuthzStore } from './store/sql-authz.js';
import { AuthzService } from './core/authz/service.js';
import { LeakService } from './core/leaks/service.js';
import { ImportService } from './core/import/service.js';
import { randomBase62 } from './core/tokens/format.js';
import { Revocation } from './core/tokens/revocation.js';
import { githubLeakSignatures } from './infra/github-keys.js';
import { SqlLoginThrottle } from './store/sql-throttle.js';
import { runnerExecutor } from './infra/executor.js';
import { fetchWebhook } from './infra/webhook.js';
import { auditWebhookSink } from './infra/audit-webhook.js';
import { syslogSink } from './infra/syslog.js';
import { ArgPolicyError, compileArgPolicy } from './runner/args.js';
import { type Metrics, NO_METRICS, storeErrorKind } from './core/metrics.js';
import { TesseraError } from './core/errors.js';
import { checkCidrs } from './core/authz/cidr.js';
import { promMetrics, workersMetrics } from './infra/metrics.js';
import { AuditEvents } from './core/webhooks/events.js';
import { Dispatcher } from './core/webhooks/dispatcher.js';
import { ExpiryScanner } from './core/webhooks/expiry.js';
import { WebhookService } from './core/webhooks/service.js';
import { SqlWebhookStore } from './store/sql-webhooks.js';
import { signedPoster } from './infra/webhook-signed.js';
import { smtpMailer } from './infra/mailer.js';


export interface Tessera {
  config: Readonly<Config>;
  services: Services;
  app: App;
  /** Audit forwarding (audit.forward): counts per destination. */
  auditForward: AuditForwarder;
  /** Flushes usage counts, stops timers, closes the server and the store. */
  close(): Promise<void>;
}

export interface BuildOptions {
  clock?: Clock;
  random?: Random;
  /** Log destination; defaults to stdout. Tests pass a stream to inspect what was logged. */
  logStream?: NodeJS.WritableStream;
  /**
   * This process is worker `id` of `count` forked by `tessera serve --workers N` (src/infra/cluster.ts): its changes
   * reach the other workers (IPC relay on SQLite, LISTEN/NOTIFY on PostgreSQL), rate limits are counted in the
   * primary (without Redis), its jobs carry the node id `<node>#w<id>`, and only worker 1 runs the periodic sweeps.
   */
  worker?: { id: number; count: number };
  /**
   * This process serves (default true): it takes over what a previous process of this node left — running jobs are
   * marked failed, in a single process or a primary the commands it left running are killed
   * (infra/process-groups.ts), in-flight webhook deliveries are sent again — and runs the background work (webhook
   * delivery, sweeps, expiry scans). False for a process that serves nothing (`users create --local`): a server may
   * be running on the same data directory.
   */
  serving?: boolean;
  /** Hold the data directory for this process (`<data_dir>/serve.pid`, infra/serve-lock.ts): `tessera serve`. */
  lock?: boolean;
}

/**
 * The data directory holds the database, the secret key and the JWT signing keys, so it is private to the server's
 * user: created 0700 (the files in it are created 0600). One that already exists with group or other bits is made 0700
 * when this user owns it (it is about to hold secrets), else left alone; so are the secret files in it (the database
 * and its -wal/-shm, `secret.key`, `jwt/*.json`: an older version made the database's files 0644), made 0600. Either
 * way the returned warning is logged.
 */
const lstatOrNull = (p: string): Stats | null => {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
};

export const privateDataDir = (dir: string): string | null => {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return null;
  const uid = process.getuid?.();
  const st = statSync(dir);
  const mode = (st.mode & 0o777).toString(8);
  const said: string[] = [];
  if ((st.mode & 0o077) !== 0) {
    if (st.uid !== uid) return `data directory ${dir} is open to other users (mode ${mode}) and owned by another user: run chmod 700 on it`;
    chmodSync(dir, 0o700);
    said.push(`data directory ${dir} was open to other users (mode ${mode}); made it 0700`);
  }
  const jwt = join(dir, 'jwt');
  const jwtDir = lstatOrNull(jwt);
  if (jwtDir?.isDirectory() && (jwtDir.mode & 0o077) !== 0 && jwtDir.uid === uid) {
    chmodSync(jwt, 0o700);
    said.push(`${jwt} was open to other users (mode ${(jwtDir.mode & 0o777).toString(8)}); made it 0700`);
  }
  const secrets = [
    ...readdirSync(dir).filter((f) => /^(tessera\.db(-wal|-shm|-journal)?|secret\.key)$/.test(f)).map((f) => join(dir, f)),
    ...(lstatOrNull(jwt)?.isDirectory() ? readdirSync(jwt).filter((f) => f.endsWith('.json')).map((f) => join(jwt, f)) : []),
  ];
  const opened: string[] = [];
  const foreign: string[] = [];
  for (const f of secrets) {
    // Not followed: a link's target is not ours to change. Gone meanwhile: SQLite removes -wal and -shm when the last
    // other connection to the database closes.
    const fs = lstatOrNull(f);
    if (fs === null || !fs.isFile() || (fs.mode & 0o077) === 0) continue;
    const name = `${f.slice(dir.length + 1)} (${(fs.mode & 0o777).toString(8)})`;
    if (fs.uid !== uid) { foreign.push(name); continue; }
    try { chmodSync(f, 0o600); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; throw e; }
    opened.push(name);
  }
  if (opened.length > 0) said.push(`files in ${dir} were open to other users: ${opened.join(', ')}; made them 0600`);
  if (foreign.length > 0) said.push(`files in ${dir} are open to other users and owned by another user: ${foreign.join(', ')}: run chmod 600 on them`);
  return said.length > 0 ? said.join('; ') : null;
};

export const openStore = async (config: Readonly<Config>, o: { shared?: boolean } = {}): Promise<SqlStore> => {
  mkdirSync(config.data_dir, { recursive: true, mode: 0o700 });
  if (config.database_url) return openPostgresStore(config.database_url, { queryTimeoutMs: config.database_query_timeout_ms });
  return openSqliteStore(join(config.data_dir, 'tessera.db'), { shared: o.shared === true });
};

/** How many processes `tessera serve` runs: `workers`, with `auto` = the cores this process may use. */
export const workerCount = (config: Readonly<Config>): number => config.workers === 'auto' ? availableParallelism() : config.workers;

/** The configured commands and channels as the core sees them (config is already validated by loadConfig). */
export const commandDefs = (config: Readonly<Config>): CommandDef[] => Object.entries(config.commands).map(([name, c]) => {
  let args;
  try { args = compileArgPolicy(c.args, `commands.${name}.args`); } catch (e) {
    throw e instanceof ArgPolicyError ? new ConfigError(`invalid configuration: ${e.message}`) : e;
  }
  return {
    name, id: c.id, argv: c.argv, args, groups: c.groups, timeoutSeconds: c.timeout, outputCapBytes: c.output_cap,
    ...(c.cwd !== undefined ? { cwd: c.cwd } : {}), ...(c.env !== undefined ? { env: c.env } : {}),
    ...(c.description !== undefined ? { description: c.description } : {}), ...(c.channel !== undefined ? { channel: c.channel } : {}),
  };
});
export const channelDefs = (config: Readonly<Config>): ChannelDef[] => Object.entries(config.channels).map(([name, c]) => ({
  name, ...(c.webhook !== undefined ? { webhook: c.webhook } : {}), retry: { attempts: c.retry.attempts, backoffMs: c.retry.backoff_ms },
}));

/**
 * This node's id, recorded on the jobs it runs: `node_id` from the config, else the host name and a hash of the
 * resolved data directory (stable across restarts of the same node; two nodes on one host differ by data directory).
 */
export const nodeId = (config: Readonly<Config>): string => config.node_id
  ?? `${hostname().replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 100) || 'node'}-${createHash('sha256').update(resolve(config.data_dir)).digest('hex').slice(0, 8)}`;

/** The secret key, from the config or `secret.key` in the data directory; a malformed one is a configuration error. */
const secretKey = (dataDir: string, fromConfig: string | undefined): Buffer => {
  try {
    return loadOrCreateKey(dataDir, fromConfig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).syscall) throw e; // a file system error: reported as such by the caller
    throw new ConfigError(`invalid ${fromConfig ? "'secret_key' (TESSERA_SECRET_KEY)" : `secret key file ${join(dataDir, 'secret.key')}`}: ${(e as Error).message}`);
  }
};

/**
 * The metrics recorder: prom-client's (src/infra/metrics.ts) with `metrics.enabled`, else the no-op one. Enabled
 * metrics need a scrape token or an address allowlist: an open /metrics would tell anyone the service's traffic.
 * A worker of `serve --workers N` answers a scrape with every worker's metrics, gathered by the primary.
 */
const metricsOf = (config: Readonly<Config>, worker: boolean): Metrics => {
  const m = config.metrics;
  if (!m.enabled) return NO_METRICS;
  if (m.token === undefined && m.allow.length === 0) {
    throw new ConfigError("metrics.enabled needs metrics.token (a scrape secret) or metrics.allow (the scrapers' addresses)");
  }
  try { checkCidrs('metrics.allow', m.allow); } catch (e) {
    throw e instanceof TesseraError ? new ConfigError(`invalid configuration: ${e.message}`) : e;
  }
  return promMetrics({ worker });
};

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

export const createTessera = async (config: Readonly<Config>, opts: BuildOptions = {}): Promise<Tessera> => {
  if (config.provider === 'none' && !isLoopback(config.host) && !config.allow_insecure_none) {
    throw new ConfigError(`provider 'none' (no authentication) is refused on host '${config.host}': listen on a loopback address, or set TESSERA_ALLOW_INSECURE_NONE=1`);
  }
  const metrics = metricsOf(config, opts.worker !== undefined);
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? cryptoRandom();
  const dataDir = resolve(config.data_dir);
  const dataDirWarning = privateDataDir(dataDir);
  const worker = opts.worker;
  const serving = opts.serving !== false;
  const lock = opts.lock ? takeServeLock(dataDir) : null;
  let store: SqlStore;
  try {
    store = await openStore(config, { shared: worker !== undefined });
  } catch (e) {
    lock?.release();
    throw e;
  }
  const cipher = aesGcmCipher(secretKey(dataDir, config.secret_key));
  // A database restored without its secret key (SQLite's secret.key left behind, another TESSERA_SECRET_KEY): refused
  // here, not as a 500 at the first reveal. PostgreSQL's JWT keys are checked with the signer below.
  const sample = await store.sampleEncrypted().catch(async (e: unknown) => { await store.close(); lock?.release(); throw e; });
  if (sample !== null) {
    try {
      cipher.decrypt(sample.box);
    } catch {
      await store.close();
      lock?.release();
      const source = config.secret_key ? 'secret_key, TESSERA_SECRET_KEY' : `${join(dataDir, 'secret.key')}`;
      throw new ConfigError(`the secret key (${source}) does not decrypt ${sample.what} in the database: start with the secret key `
        + 'the database was written with (a restored database needs its secret key restored with it)');
    }
  }
  const hasher = argon2Hasher({ memoryCost: config.password_hash.memory_kib, timeCost: config.password_hash.iterations });
  // Audit forwarding (audit.forward): each committed row copied to syslog / a webhook in the background; failures and
  // drops go to the app log once it exists.
  let forwardLog: (level: 'warn' | 'error', fields: Record<string, unknown>, msg: string) => void = () => undefined;
  const auditForward = auditForwarder(config, (level, fields, msg) => forwardLog(level, fields, msg));
  // Webhooks (issue 16): events are written with the audit row that causes them; the dispatcher is woken after.
  const dialect = config.database_url ? 'postgres' : 'sqlite';
  const webhookStore = new SqlWebhookStore(store.db, dialect);
  let dispatcherRef: Dispatcher | null = null;
  const kick = (): void => dispatcherRef?.kick();
  const audit = new AuditService(store, clock, auditForward, new AuditEvents(store, () => webhookStore.subscribedTypes()), kick);
  const webhooks = new WebhookService({
    store: webhookStore, cipher, clock, audit, kick, atomically: (fn) => store.transaction((s) => fn(new SqlWebhookStore(s.db, dialect, true), s)),
  });
  const usage = new UsageRecorder(store, clock);
  const storeFailed = (err: unknown): void => {
    const kind = storeErrorKind(err instanceof TesseraError ? err.code : 'INTERNAL_ERROR', err);
    if (kind !== null) metrics.storeError(kind).inc();
  };
  // Several nodes on one PostgreSQL database tell each other what changed (LISTEN/NOTIFY), so a revocation on one
  // node stops the token on all of them at once. Log lines go to the app log once it exists.
  let feedLog: (level: 'info' | 'warn', msg: string, err?: unknown) => void = () => undefined;
  // The workers of one `serve --workers N` on SQLite tell each other through the primary (cluster IPC).
  const feed = config.database_url ? new PgChangeFeed(clientConfig(config.database_url), { log: (l, m, e) => feedLog(l, m, e), metrics })
    : worker ? new IpcChangeFeed() : undefined;
  // Token rate limits: counted in this process, or shared by every node through Redis (redis_url). Lines logged before
  // the app exists are kept and written once it does.
  const early: ['info' | 'warn', string][] = [];
  let limitLog = (level: 'info' | 'warn', msg: string): void => { early.push([level, msg]); };
  const rateLimiter = config.redis_url
    ? await redisRateLimiter(config.redis_url, { warn: (m) => limitLog('warn', m), info: (m) => limitLog('info', m) })
    : worker ? clusterRateLimiter() : memoryRateLimiter();
  // Roles, grants and the permission catalogue; a change there drops every node's cached verifications.
  let verifierRef: Verifier | null = null;
  const authz = new AuthzService(new SqlAuthzStore(store.db), clock, audit, {
    strict: config.permissions.strict, atomically: (fn) => store.transaction((s) => fn(new SqlAuthzStore(s.db), s)),
  }, () => verifierRef?.invalidateAuthz());
  const verifier = new Verifier(store, clock, usage, {
    prefix: config.token_prefix, cacheMaxEntries: config.cache.max_entries, cacheTtlMs: config.cache.ttl_seconds * 1000, rateLimiter, authz, metrics, ...(feed ? { feed } : {}), events: webhooks,
  });
  verifierRef = verifier;
  // Failed-login counters live in the database: every node on one PostgreSQL database shares them.
  const throttle = new SqlLoginThrottle(store.db, clock, {
    maxFailures: config.login_throttle.max_failures, windowSeconds: config.login_throttle.window_seconds, blockSeconds: config.login_throttle.block_seconds,
  });
  // On PostgreSQL the JWT keys live in the database (encrypted with the secret key), shared by every node; each node
  // re-reads them every 10 s, so a rotation made on another node is signed with and published here within that.
  const jwtOpts = { issuer: config.jwt.issuer, maxTtlSeconds: config.jwt.max_ttl_seconds };
  const jwtKeys = config.database_url ? sqlJwtKeys(store.db, cipher) : fileJwtKeys(dataDir);
  const signer = await jwtSigner(jwtKeys, clock, { ...jwtOpts, ...(config.database_url || worker ? { refreshMs: 10_000 } : {}) })
    .catch((e: unknown) => { throw e instanceof SecretKeyMismatch ? new ConfigError(e.message) : e; });
  // A key rotation commits with its audit row: in the same transaction (keys in the database), or undone (key files).
  const keysAtomically: Atomically<JwtKeyStore> = config.database_url
    ? (fn) => store.transaction((s) => fn(sqlJwtKeys(s.db, cipher, true), s))
    : fileKeysAtomically(jwtKeys, (fn) => store.transaction(fn));
  const jwt = new JwtService(signer, store, clock, random, verifier, audit, {
    defaultTtlSeconds: config.jwt.ttl_seconds, maxTtlSeconds: config.jwt.max_ttl_seconds, authz, issuer: config.jwt.issuer, keys: keysAtomically,
  });
  const commands = commandDefs(config);
  const jobStore = new SqlJobStore(store.db);
  // Background failures (webhook given up, a job's outcome not stored) go to the app log once the app exists.
  let warn: (obj: object, msg: string) => void = () => undefined;
  const channels = new ChannelService({
    jobs: jobStore, clock, webhook: fetchWebhook(), channels: channelDefs(config),
    onDeliveryFailure: (channel, messageId, detail) => warn({ channel, messageId, detail }, 'channel webhook delivery failed'),
    ...(feed ? { feed } : {}),
  });
  // A worker tells its primary which process groups its commands run in: killed if the worker dies (cluster.ts).
  // A single process keeps them in a ledger of the data directory: the next start kills what a process killed
  // outright left running.
  const ledger = worker ? null : new ProcessGroupLedger(config.data_dir, (err) => warn({ err }, LEDGER_FAILED));
  const executor = runnerExecutor({ maxConcurrent: config.jobs.max_concurrent, maxQueued: config.jobs.max_queued, killGraceMs: config.jobs.kill_grace_ms,
    onGroup: worker ? reportGroup : ledger!.note });
  const node = worker ? `${nodeId(config)}#w${worker.id}` : nodeId(config);
  const live = new LiveOutput();
  // A worker follows the jobs its siblings run, and passes on the output of its own, through the primary.
  const siblings = worker ? new IpcSiblingOutput(live) : undefined;
  siblings?.start();
  // A worker recovers only its own leftover jobs (its node id); the single process and the primary, which start before
  // any worker of this node runs, also those of this node's workers from an earlier run (`<node>#w<n>`).
  const jobs = new JobService(store, jobStore, clock, { live, ...(siblings ? { siblings } : {}), nodeId: node, recoverWorkers: worker === undefined });
  const core: Omit<Services, 'chat' | 'messages' | 'leaks' | 'imports'> = {
    clock, jobs, channels, webhooks,
    commands: new CommandService({
      store, jobs: jobStore, channels, executor, audit, clock, commands, live, nodeId: node, authz,
      onBackgroundError: (err, jobId, what) => {
        storeFailed(err);
        warn({ err, jobId }, what === 'output' ? 'writing a running job\'s output failed' : 'recording a job outcome failed');
      }, metrics, events: webhooks,
      outputSaveMs: config.jobs.output_save_ms,
    }),
    jwt, authz,
    revocation: new Revocation({ store, verifier, audit, clock, limiter: rateLimiter, prefix: config.token_prefix, authz }),
    store, audit, usage, verifier,
    users: new UserService(store, clock, hasher, verifier, audit, { passwordMinLength: config.password_min_length, authz }),
    tokens: new TokenService({ store, clock, random, cipher, usage, verifier, audit, authz, prefix: config.token_prefix, maxPerUser: config.max_tokens_per_user,
      formats: { ...config.tokens.format },
      policy: { requireExpiry: config.tokens.policy.require_expiry, maxLifetimeSeconds: config.tokens.policy.max_lifetime_seconds,
        defaultExpirySeconds: config.tokens.policy.default_expiry_seconds } }),
    auth: new AuthService(store, clock, random, hasher, throttle, verifier, audit, jwt, {
      sessionTtlMs: config.session_ttl_seconds * 1000, tokenPrefix: config.token_prefix, throttleWindowSeconds: config.login_throttle.window_seconds, authz, metrics,
    }),
  };
  // Chat commands and POST /message (issue 4, Meeseeks) sit on top of tokens and commands.
  const services: Services = {
    ...core,
    chat: new ChatService({
      store, tokens: core.tokens, split, clock, slackSigningSecret: config.slack_signing_secret,
      catalog: { commandExists: (name) => core.commands.find(name) !== undefined, channelExists: (name) => core.channels.has(name) },
    }),
    messages: new MessageService({ verifier, clock, commands: core.commands, split, codes: metrics.verifications('compat', 'fastify'), isJwt: (v) => jwt.isOwn(v) }),
    imports: new ImportService({ store, clock, random, verifier, audit, authz, prefix: config.token_prefix,
      createUser: (ctx, username) => core.users.create(ctx, { username, password: randomBase62(random, 32) }),
      deleteUserIfUnused: (ctx, id) => core.users.deleteIfUnused(ctx, id) }),
    leaks: new LeakService({ store, verifier, audit, clock, opts: { action: config.leaks.action, prefix: config.token_prefix },
      signatures: githubLeakSignatures(config.leaks.github_keys_file !== undefined ? { file: config.leaks.github_keys_file } : { url: config.leaks.github_keys_url }) }),
    metrics,
  };

  const logger = config.log_level === 'silent' ? false : {
    level: config.log_level,
    ...(worker ? { base: { pid: process.pid, hostname: hostname(), worker: worker.id } } : {}),
    redact: { paths: REDACT, censor: '[redacted]' },
    ...(opts.logStream ? { stream: opts.logStream } : {}),
  };
  const app = await buildApp(services, {
    logger: logger as never, bodyLimit: config.body_limit_bytes, trustProxy: config.trust_proxy,
    credentialHeaders: config.credential_headers, verifyPolicy: config.verify_policy, version: VERSION, provider: config.provider,
    allowedHosts: allowedHostList(config),
    forwardProfiles: config.forward_auth.profiles, messageRefusalStatus: config.message.refusal_status, messageAcceptedBody: config.message.accepted_body, publicUrl: config.public_url,
    metrics, metricsAccess: config.metrics.enabled ? { token: config.metrics.token, allow: config.metrics.allow } : null,
    limits: {
      requestTimeoutMs: config.http.request_timeout_ms, headersTimeoutMs: config.http.headers_timeout_ms,
      keepAliveTimeoutMs: config.http.keep_alive_timeout_ms, maxConnections: config.http.max_connections, shutdownGraceMs: config.http.shutdown_grace_ms,
    },
  });

  warn = (obj, msg) => app.log.warn(obj, msg);
  forwardLog = (level, fields, msg) => app.log[level](fields, msg);
  feedLog = (level, msg, err) => app.log[level]({ err }, msg);
  limitLog = (level, msg) => app.log[level](msg);
  for (const [level, msg] of early) limitLog(level, msg);
  if (dataDirWarning) app.log.warn(dataDirWarning);
  // What other nodes (or workers) changed goes to the verifier; the channel messages they posted, to the channels.
  await feed?.start({
    changed: (c) => { if (c.kind === 'message') void channels.received(c.channel, c.id); else verifier.changed(c); },
    lost: () => verifier.lost(),
    restored: () => verifier.restored(),
  });
  if (feed && !feed.live()) app.log.warn('change feed not connected yet: serving without a verification cache until it is');
  if (serving) {
    const reaped = ledger?.reap() ?? 0;
    if (reaped > 0) app.log.warn({ process_groups: reaped }, 'killed the commands a previous process left running');
    const interrupted = await jobs.recover();
    if (interrupted > 0) app.log.warn({ jobs: interrupted }, 'jobs left running by a previous process were marked failed');
  }
  if (config.provider === 'none') app.log.warn('provider none: single-user mode, every request without a credential acts as admin');
  const dispatcher = new Dispatcher({
    store: webhookStore, poster: signedPoster(), cipher, clock, node,
    opts: { maxAttempts: config.webhooks.max_attempts, retryBaseMs: config.webhooks.retry_base_ms, timeoutMs: config.webhooks.timeout_ms, pollMs: config.webhooks.poll_ms },
    onError: (err) => app.log.warn({ err }, 'webhook dispatch failed; will retry'),
  });
  if (serving) dispatcherRef = dispatcher;
  // Events committed before a restart (or a kill -9) are sent now, those this node was sending when it died too.
  const freed = serving ? await dispatcher.start() : 0;
  if (freed > 0) app.log.warn({ deliveries: freed }, 'webhook deliveries left in flight by a previous process will be sent again');
  const mailer = config.smtp.host === undefined ? undefined : smtpMailer({
    host: config.smtp.host, port: config.smtp.port, secure: config.smtp.secure, from: config.smtp.from,
    ...(config.smtp.user !== undefined ? { user: config.smtp.user } : {}), ...(config.smtp.password !== undefined ? { password: config.smtp.password } : {}),
  });
  const expiry = new ExpiryScanner({
    store, webhooks: webhookStore, clock, days: config.webhooks.expiry_warning_days, kick, ...(mailer ? { mailer } : {}),
    onError: (err, tokenId) => app.log.warn({ err, tokenId }, 'expiry warning e-mail failed'),
  });
  // Sweeps of shared tables (sessions, audit retention, login throttle) and the expiry scan run once per server: in
  // worker 1 only (token_notices makes a second scan harmless, but not free).
  const sweeps = serving && (worker === undefined || worker.id === 1);
  let scanning: Promise<unknown> = Promise.resolve();
  const scanExpiry = (): void => { scanning = expiry.scan().catch((err) => app.log.warn({ err }, 'token expiry scan failed')); };
  const expiryScan = sweeps ? setInterval(scanExpiry, config.webhooks.expiry_scan_ms) : undefined;
  expiryScan?.unref();
  if (sweeps) scanExpiry();
  const flush = setInterval(() => { usage.flush().catch((err) => { storeFailed(err); app.log.warn({ err }, 'usage flush failed; will retry'); }); }, config.usage_flush_ms);
  const hourly = async (): Promise<void> => {
    await services.auth.sweepSessions();
    const pruned = await audit.prune(config.audit.retention_days);
    if (pruned > 0) app.log.info({ pruned, retention_days: config.audit.retention_days }, 'old audit rows deleted');
    const deliveries = await webhooks.prune(config.webhooks.retention_days);
    if (deliveries > 0) app.log.info({ deliveries, retention_days: config.webhooks.retention_days }, 'old webhook deliveries deleted');
  };
  // Also once at start: a server restarted more often than hourly would otherwise never prune.
  let sweeping: Promise<unknown> = Promise.resolve();
  const runSweep = (): void => { sweeping = hourly().catch((err) => app.log.warn({ err }, 'hourly sweep failed')); };
  const sweep = sweeps ? setInterval(runSweep, 3_600_000) : undefined;
  if (sweeps) runSweep();
  const throttleSweep = sweeps ? setInterval(() => { services.auth.sweepThrottle().catch((err) => app.log.warn({ err }, 'login throttle sweep failed')); }, 60_000) : undefined;
  flush.unref(); sweep?.unref(); throttleSweep?.unref();

  let closed = false;
  return {
    config, services, app, auditForward,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(flush); clearInterval(sweep); clearInterval(throttleSweep); clearInterval(expiryScan);
      await services.commands.stopAll(); // kills running commands; each is recorded as failed ('server shutting down')
      await app.close();
      channels.close();
      await dispatcher.close();
      await scanning;
      await sweeping;
      mailer?.close();
      await usage.flush().catch((err) => app.log.error({ err }, 'final usage flush failed'));
      await services.auth.throttledAudit.flush(true).catch((err) => app.log.error({ err }, 'recording refused logins failed'));
      await auditForward.close();
      for (const [sink, st] of Object.entries(auditForward.stats())) {
        if (st.failed + st.dropped + st.queued > 0) app.log.warn({ sink, ...st }, 'audit forwarding: rows not forwarded during this run');
      }
      signer.close();
      lock?.release();
      await feed?.close();
      siblings?.close();
      await rateLimiter.close();
      await store.close();
    },
  };
};

/** The audit forwarder of `audit.forward` (no destinations: inactive). */
const auditForwarder = (config: Readonly<Config>, log: AuditForwarderOptions['log']): AuditForwarder => {
  const f = config.audit.forward ?? { queue_size: 10_000, retries: 3 };
  const sinks: AuditSink[] = [];
  if (f.syslog) sinks.push(syslogSink({ host: f.syslog.host, port: f.syslog.port, protocol: f.syslog.protocol, facility: f.syslog.facility, appName: f.syslog.app_name }));
  if (f.webhook) sinks.push(auditWebhookSink({ url: f.webhook.url, secret: f.webhook.secret }));
  return new AuditForwarder(sinks, { queueSize: f.queue_size, retries: f.retries, backoffMs: 500, log });
};

const LEDGER_FAILED = 'cannot write the commands\' process groups to the data directory: a server killed outright would leave them running';

/**
 * `tessera users create --local`: a user made straight in the store, as the system (there may be no admin yet to act
 * as: UserService's bootstrap path), answered in the API's shape.
 */
export const createUserOffline = async (config: Readonly<Config>, input: CreateUserInput): Promise<ReturnType<typeof userOut>> => {
  const t = await createTessera(config, { serving: false });
  try {
    return userOut(await t.services.users.create(systemContext(), input, { bootstrap: true }));
  } finally {
    await t.close();
  }
};

/**
 * The primary of `tessera serve --workers N`: prepares what the workers would otherwise race on (data directory,
 * migrations, secret key, JWT key, the first admin — `prepare`, which the CLI gives the same start-up steps as a
 * single process), then forks and supervises the workers until SIGTERM/SIGINT (src/infra/cluster.ts). Resolves with
 * the exit code.
 */
export const runPrimary = async (config: Readonly<Config>, count: number, prepare: (t: Tessera) => Promise<void>): Promise<number> => {
  // The primary holds the data directory for the whole run (its workers do not take it).
  const dataDir = resolve(config.data_dir);
  const dataDirWarning = privateDataDir(dataDir);
  const lock = takeServeLock(dataDir);
  try {
    const t = await createTessera(config);
    try {
      await prepare(t);
    } finally {
      await t.close();
    }
    const log = primaryLog(config.log_level);
    if (dataDirWarning) log('warn', {}, dataDirWarning);
    log('info', { workers: count, store: config.database_url ? 'postgresql' : 'sqlite' }, `starting ${count} workers`);
    const ledger = new ProcessGroupLedger(dataDir, (err) => log('warn', { err: String(err) }, LEDGER_FAILED));
    return await superviseWorkers({ count, log, rateLimits: !config.redis_url, ledger, ...(config.metrics.enabled ? { answer: workersMetrics() } : {}) });
  } finally {
    lock.release();
  }
};

/**
 * The configuration: one schema for the YAML/JSON file and for the environment. Parsed once at start, validated
 * (unknown keys are errors, and every message names its key), frozen.
 */
import { type Static, Type as T } from 'typebox';

const Throttle = T.Object({
  max_failures: T.Integer({ minimum: 1, default: 5, description: 'login attempts per client address per window (then the address is blocked); also the failures a username may have before its delay starts' }),
  window_seconds: T.Integer({ minimum: 1, default: 900, description: 'the counting window; counters live in the database, shared by every node' }),
  block_seconds: T.Integer({ minimum: 1, default: 900, description: 'how long an address is refused after too many failures; also the longest username delay (which doubles with each further failure: 1, 2, 4 … s) — only addresses with failures of their own wait it out, so a correct password from a clean address always gets in' }),
}, { additionalProperties: false });

const Cache = T.Object({
  max_entries: T.Integer({ minimum: 0, default: 100_000, description: 'verification results kept in memory (oldest evicted first)' }),
  ttl_seconds: T.Integer({ minimum: 0, default: 60, description: 'how long a cached result may be served; changes made on any node invalidate at once (on PostgreSQL through LISTEN/NOTIFY)' }),
}, { additionalProperties: false });

/** A configured command (issue 4). Names and the cross-references are checked after the schema, in load.ts. */
const Command = T.Object({
  id: T.Integer({ minimum: 1, description: 'unique number; Semaphore\'s template_id' }),
  argv: T.Array(T.String({ minLength: 1 }), { minItems: 1, description: 'run directly, never through a shell; argv[0] must be an executable (absolute, or found on PATH)' }),
  args: T.Union([T.Literal('none'), T.Literal('any'), T.Object({ pattern: T.String({ minLength: 1 }) }, { additionalProperties: false })],
    { default: 'none', description: 'extra arguments callers may append: none, any, or {pattern} each one must fully match' }),
  groups: T.Array(T.String({ minLength: 1 }), { default: [], description: 'user groups allowed to run it (admins always may); each must be declared in `groups`' }),
  timeout: T.Integer({ minimum: 1, maximum: 86_400, default: 60, description: 'seconds; then the whole process group is killed' }),
  output_cap: T.Integer({ minimum: 0, maximum: 16_777_216, default: 65_536, description: 'bytes of output kept; the rest is cut and marked' }),
  cwd: T.Optional(T.String({ minLength: 1 })),
  env: T.Optional(T.Record(T.String(), T.String(), { description: 'extra environment (the server\'s own environment is never passed on)' })),
  description: T.Optional(T.String({ maxLength: 500 })),
  channel: T.Optional(T.String({ minLength: 1, description: 'where outcomes go when the caller names none (default: `default`)' })),
}, { additionalProperties: false });

const Channel = T.Object({
  webhook: T.Optional(T.String({ pattern: '^https?://', description: 'Slack-compatible incoming webhook: POST {"text": ...}' })),
  retry: T.Object({
    attempts: T.Integer({ minimum: 1, maximum: 20, default: 3, description: 'webhook attempts in all (1 = no retry)' }),
    backoff_ms: T.Integer({ minimum: 0, maximum: 600_000, default: 1000, description: 'wait before the first retry; doubles each time' }),
  }, { additionalProperties: false, default: {} }),
}, { additionalProperties: false });

/** The shape of new token values of one kind (issue 17; src/core/tokens/format.ts). */
const TokenFormat = (def: 'tessera' | 'uuid', what: string) => T.Union([T.Literal('tessera'), T.Literal('uuid'), T.Literal('filebin')], {
  default: def, description: `new ${what}: tessera (prefix + 27 base62 + CRC32 checksum), uuid (a UUID v4) or filebin (32 base62 characters); existing values keep working whatever the setting`,
});

/** A forward-auth profile (issue 19): `GET /api/v1/auth/forward/<name>`; see docs/proxies/README.md. */
export const FORWARD_SOURCES = ['bearer', 'token_header', 'headers', 'token_cookie', 'session_cookie', 'basic'] as const;
const ForwardProfile = T.Object({
  sources: T.Array(T.Union(FORWARD_SOURCES.map((s) => T.Literal(s))), { minItems: 1, uniqueItems: true, default: ['bearer'],
    description: 'where the credential may be: bearer (Authorization: Bearer), token_header (TOKEN), headers (credential_headers), token_cookie, session_cookie, basic (Authorization: Basic, the password is the token)' }),
  access: T.Optional(T.Union([T.Literal('read'), T.Literal('write'), T.Literal('full')], { description: 'the access level every request through this profile needs' })),
  permissions: T.Optional(T.Array(T.String({ maxLength: 128 }), { maxItems: 50, description: 'permissions every request through this profile needs (all of them; docs/permissions.md); ?permission= adds more' })),
  mode: T.Union([T.Literal('standard'), T.Literal('nginx')], { default: 'standard',
    description: 'standard: the statuses of /api/v1/auth/forward (400, 401, 403, 429); nginx: every refusal is 401 or 403 (auth_request knows no other), the reason in X-Tessera-Error' }),
}, { additionalProperties: false });

export const ConfigSchema = T.Object({
  host: T.String({ default: '0.0.0.0', minLength: 1 }),
  port: T.Integer({ minimum: 0, maximum: 65535, default: 9696 }),
  data_dir: T.String({ default: './data', minLength: 1 }),
  database_url: T.Optional(T.String({ pattern: '^postgres(ql)?://', description: 'PostgreSQL connection URL; without it the embedded SQLite store in data_dir is used' })),
  database_query_timeout_ms: T.Integer({ minimum: 100, default: 30_000, description: 'PostgreSQL: a statement not answered within this time ends its connection (503 STORE_UNAVAILABLE); migrations at start are not limited' }),
  redis_url: T.Optional(T.String({ pattern: '^rediss?://', description: 'Redis URL: token rate limits are shared by every node through it; without it each node counts on its own' })),
  admin_password: T.Optional(T.String({ minLength: 1, description: 'at least password_min_length characters' })),
  secret_key: T.Optional(T.String({ minLength: 1, description: '32-byte key for recoverable tokens, hex or base64' })),
  token_prefix: T.String({ default: 'tsr_', pattern: '^[a-z][a-z0-9]{0,9}_$' }),
  log_level: T.Union([T.Literal('fatal'), T.Literal('error'), T.Literal('warn'), T.Literal('info'), T.Literal('debug'), T.Literal('trace'), T.Literal('silent')], { default: 'info' }),
  credential_headers: T.Array(T.String({ pattern: '^[A-Za-z0-9-]+$' }), { default: ['x-api-key', 'meshplay-token'], description: 'extra headers that may carry a token' }),
  verify_policy: T.Union([T.Literal('any'), T.Literal('admin'), T.Literal('public')], { default: 'any', description: 'who may call POST /api/v1/verify: any valid credential, admins only, or anyone' }),
  session_ttl_seconds: T.Integer({ minimum: 60, default: 604_800 }),
  max_tokens_per_user: T.Integer({ minimum: 1, default: 1000, description: 'live (not revoked) personal and command-bound tokens one user may own; one more is refused (409 TOKEN_QUOTA_EXCEEDED). '
    + 'Service tokens (admins only, no owner) are not counted. Also the most tokens a Semaphore or FileBin listing shows (the newest)' }),
  password_min_length: T.Integer({ minimum: 1, maximum: 1024, default: 8, description: 'shortest password accepted for a user (creating one or changing it)' }),
  login_throttle: T.Object(Throttle.properties, { additionalProperties: false, default: {} }),
  leaks: T.Object({
    action: T.Union([T.Literal('revoke'), T.Literal('deactivate')], { default: 'revoke', description: 'what a reported leak does to a Tessera token: revoke it, or switch it off (its owner can switch it on again)' }),
    github_keys_url: T.String({ default: 'https://api.github.com/meta/public_keys/secret_scanning', description: 'where GitHub secret scanning\'s public keys are read (POST /api/v1/leaks/github)' }),
    github_keys_file: T.Optional(T.String({ description: 'read the keys from this file (the same JSON) instead of the URL' })),
  }, { additionalProperties: false, default: {} }),
  permissions: T.Object({
    strict: T.Boolean({ default: false, description: 'only permissions in the catalogue (POST /api/v1/permissions) may be granted to roles, users, groups and tokens' }),
  }, { additionalProperties: false, default: {} }),
  tokens: T.Object({
    policy: T.Object({
      require_expiry: T.Boolean({ default: false, description: 'every new, changed or rotated token must have an expiry (400 POLICY_VIOLATION otherwise)' }),
      max_lifetime_seconds: T.Union([T.Integer({ minimum: 60 }), T.Null()], { default: null, description: 'no token may be created, extended or rotated to expire later than this many seconds from now; null: no limit' }),
      default_expiry_seconds: T.Union([T.Integer({ minimum: 60 }), T.Null()], { default: null, description: 'a token created without an expiry (API, UI, CLI, compat routes) gets this one; null: none' }),
    }, { additionalProperties: false, default: {} }),
    format: T.Object({
      personal: TokenFormat('tessera', 'personal tokens'),
      service: TokenFormat('tessera', 'service tokens'),
      bound: TokenFormat('uuid', 'command-bound tokens (Meeseeks token-new, seed 000: "will return a UUID")'),
    }, { additionalProperties: false, default: {} }),
  }, { additionalProperties: false, default: {} }),
  audit: T.Object({
    retention_days: T.Integer({ minimum: 0, default: 365, description: 'audit rows older than this are deleted by an hourly job; 0 keeps them for ever' }),
    // Optional in the type only (the default always fills it): overrides in tests may give `audit` without it.
    forward: T.Optional(T.Object({
      syslog: T.Optional(T.Object({
        host: T.String({ minLength: 1, description: 'syslog receiver (RFC 5424); audit rows are copied to it in the background' }),
        port: T.Integer({ minimum: 1, maximum: 65535, default: 514 }),
        protocol: T.Union([T.Literal('udp'), T.Literal('tcp')], { default: 'udp', description: 'tcp frames with RFC 6587 octet counting' }),
        facility: T.Integer({ minimum: 0, maximum: 23, default: 13, description: '13: log audit; 16-23: local0-local7' }),
        app_name: T.String({ minLength: 1, maxLength: 48, pattern: '^[!-~]+$', default: 'tessera' }),
      }, { additionalProperties: false })),
      webhook: T.Optional(T.Object({
        url: T.String({ pattern: '^https?://', description: 'POST {"entries": [...]}, signed: X-Tessera-Signature: sha256=HMAC(secret, timestamp.body)' }),
        secret: T.String({ minLength: 16, description: 'the HMAC-SHA256 key (at least 16 characters)' }),
      }, { additionalProperties: false })),
      queue_size: T.Integer({ minimum: 1, default: 10_000, description: 'rows waiting per destination at most; more are dropped (counted and logged)' }),
      retries: T.Integer({ minimum: 0, maximum: 10, default: 3, description: 'retries of a failed batch (backoff 0.5 s, doubling) before it is given up (counted and logged)' }),
    }, { additionalProperties: false, default: {} })),
  }, { additionalProperties: false, default: {} }),
  cache: T.Object(Cache.properties, { additionalProperties: false, default: {} }),
  workers: T.Union([T.Integer({ minimum: 1, maximum: 256 }), T.Literal('auto')], { default: 1, description: '`tessera serve`: processes serving one port (node:cluster; the primary forks and restarts them); `auto`: one per core' }),
  usage_flush_ms: T.Integer({ minimum: 10, default: 1000, description: 'how often use counts and last-used times are written' }),
  body_limit_bytes: T.Integer({ minimum: 1024, default: 1_048_576 }),
  http: T.Object({
    request_timeout_ms: T.Integer({ minimum: 1, default: 30_000, description: 'a client must send its whole request (headers and body) within this time, or gets 408 and the connection is closed (slow-body clients)' }),
    headers_timeout_ms: T.Integer({ minimum: 1, default: 10_000, description: 'a client must send its request headers within this time (at most request_timeout_ms)' }),
    keep_alive_timeout_ms: T.Integer({ minimum: 1, default: 5_000, description: 'an idle keep-alive connection is closed after this time (behind a proxy that keeps upstream connections, make it longer than the proxy\'s idle timeout, so the proxy closes first)' }),
    max_connections: T.Integer({ minimum: 1, default: 10_000, description: 'open connections at most; a connection beyond it is closed at once' }),
    shutdown_grace_ms: T.Integer({ minimum: 0, maximum: 60_000, default: 300, description: 'at shutdown, how long open keep-alive connections stay open before they are dropped: a request already on its way on one is answered (503 SHUTTING_DOWN, Connection: close) rather than reset' }),
  }, { additionalProperties: false, default: {} }),
  trust_proxy: T.Union([T.Boolean(), T.Integer({ minimum: 0 }), T.Array(T.String({ minLength: 1 }))], {
    default: false,
    description: 'which peers are proxies whose X-Forwarded-For/-Proto/-Host are believed: false (none), a hop count (1 = the peer is the only proxy, e.g. nginx '
      + 'with $proxy_add_x_forwarded_for; only when clients cannot reach Tessera directly), a list of proxy addresses/CIDRs (or loopback, linklocal, uniquelocal), '
      + 'or true (every hop: the leftmost X-Forwarded-For entry, which a client can write, is believed). The client address is the rightmost untrusted entry',
  }),
  provider: T.Union([T.Literal('local'), T.Literal('none')], { default: 'local', description: 'local = accounts and passwords; none = single-user mode, every request without a credential acts as the admin' }),
  public_url: T.Optional(T.String({ pattern: '^https?://[^/?#\\s]+', description: 'the URL users reach Tessera at (behind a proxy: the proxy\'s); its host is one of the default allowed_hosts' })),
  allowed_hosts: T.Optional(T.Array(T.String({ pattern: '^(\\*\\.)?[A-Za-z0-9._-]+$|^\\[[0-9A-Fa-f:.]+\\]$' }), {
    description: 'Host header names (any port; `*.example.org` for subdomains) this server answers; others get 403 HOST_NOT_ALLOWED. '
      + 'When set it applies in every mode; unset, provider none allows only the loopback names (localhost, 127.0.0.1, [::1]), `host` and public_url\'s host (against DNS rebinding), and provider local allows any',
  })),
  allow_insecure_none: T.Boolean({ default: false, description: 'allow provider none on a non-loopback host' }),
  slack_signing_secret: T.Optional(T.String({ minLength: 1, description: 'Slack app signing secret for POST /api/v1/chat/slack (the endpoint is off without it)' })),
  jwt: T.Object({
    issuer: T.String({ default: 'tessera', minLength: 1, description: 'the iss claim of Tessera JWTs' }),
    ttl_seconds: T.Integer({ minimum: 1, default: 900, description: 'default lifetime of a JWT from POST /api/v1/auth/jwt' }),
    max_ttl_seconds: T.Integer({ minimum: 1, default: 86_400, description: 'longest lifetime a caller may ask for' }),
  }, { additionalProperties: false, default: {} }),
  forward_auth: T.Object({
    profiles: T.Record(T.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }), ForwardProfile, { default: {}, description: 'name → forward-auth profile, served at GET /api/v1/auth/forward/<name>' }),
  }, { additionalProperties: false, default: {} }),
  message: T.Object({
    refusal_status: T.Union([T.Literal(202), T.Literal(403)], { default: 202, description: 'POST /message when the command is refused at run time: 202 (seed 000: the refusal is only posted to the channel) or 403 with the reason (still posted), so an alert source logs a failure' }),
    accepted_body: T.Union([T.Literal('auto'), T.Literal('empty'), T.Literal('job_id')], { default: 'auto', description: 'the body of POST /message\'s 202: auto (empty when the token is a UUID, as Meeseeks answers; {"job_id"} otherwise), empty (always), or job_id (always {"job_id"})' }),
  }, { additionalProperties: false, default: {} }),
  metrics: T.Object({
    enabled: T.Boolean({ default: false, description: 'serve Prometheus metrics at GET /metrics (docs/metrics.md); needs token or allow' }),
    token: T.Optional(T.String({ minLength: 16, description: 'a secret the scraper sends as Authorization: Bearer <token> (at least 16 characters; not a Tessera token)' })),
    allow: T.Array(T.String({ minLength: 1 }), { default: [], description: 'client addresses/CIDRs (after trust_proxy) that may scrape; empty: any address (then token is required)' }),
  }, { additionalProperties: false, default: {} }),
  node_id: T.Optional(T.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$', description: 'this node\'s name, recorded on the jobs it runs (restart recovery fails only its own); default: hostname + a hash of data_dir' })),
  groups: T.Array(T.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' }), { default: [], description: 'the user groups commands may name (a command naming an undeclared group is a config error)' }),
  commands: T.Record(T.String(), Command, { default: {}, description: 'name → command; names are [a-z0-9][a-z0-9_.-]*' }),
  channels: T.Record(T.String(), Channel, { default: {}, description: 'name → channel; `default` always exists' }),
  jobs: T.Object({
    max_concurrent: T.Integer({ minimum: 1, maximum: 1000, default: 4, description: 'jobs running at once, per process (with serve --workers N: per worker)' }),
    max_queued: T.Integer({ minimum: 0, maximum: 100_000, default: 100, description: 'jobs waiting for a slot; one more is refused (JOB_QUEUE_FULL)' }),
    kill_grace_ms: T.Integer({ minimum: 0, maximum: 60_000, default: 2000, description: 'between SIGTERM and SIGKILL when a job times out' }),
    output_save_ms: T.Integer({ minimum: 0, maximum: 3_600_000, default: 1000, description: 'how often a running job\'s new output is written to the store, where other nodes and workers read it (GET /api/v1/jobs/{id}, its stream); 0: only when it ends' }),
  }, { additionalProperties: false, default: {} }),
  webhooks: T.Object({
    max_attempts: T.Integer({ minimum: 1, maximum: 100, default: 8, description: 'attempts per webhook delivery before it is marked failed' }),
    retry_base_ms: T.Integer({ minimum: 10, default: 10_000, description: 'wait before the first retry; doubled after each failed attempt (at most 6 hours)' }),
    timeout_ms: T.Integer({ minimum: 100, maximum: 120_000, default: 10_000, description: 'how long a receiver may take to answer one delivery' }),
    poll_ms: T.Integer({ minimum: 10, default: 1000, description: 'how often each node looks for due deliveries (events written on this node are sent at once)' }),
    expiry_warning_days: T.Array(T.Integer({ minimum: 1, maximum: 365 }), { default: [7, 1], maxItems: 10, description: 'token.expiring is sent (and the owner e-mailed) this many days before a token expires, once per threshold' }),
    expiry_scan_ms: T.Integer({ minimum: 100, default: 3_600_000, description: 'how often tokens are scanned for token.expiring and token.expired' }),
    retention_days: T.Integer({ minimum: 0, default: 30, description: 'delivered and failed deliveries (with their attempts and events) older than this are deleted by the hourly job; 0 keeps them' }),
  }, { additionalProperties: false, default: {} }),
  smtp: T.Object({
    host: T.Optional(T.String({ minLength: 1, description: 'SMTP server for expiry warnings to token owners; no e-mail is sent without it' })),
    port: T.Integer({ minimum: 1, maximum: 65535, default: 587 }),
    secure: T.Boolean({ default: false, description: 'TLS from the start (port 465); false uses STARTTLS when the server offers it' }),
    user: T.Optional(T.String({ minLength: 1 })),
    password: T.Optional(T.String()),
    from: T.String({ minLength: 3, default: 'tessera@localhost', description: 'the From address of e-mail Tessera sends' }),
  }, { additionalProperties: false, default: {} }),
  password_hash: T.Object({
    memory_kib: T.Integer({ minimum: 1024, default: 19456 }),
    iterations: T.Integer({ minimum: 1, default: 2 }),
  }, { additionalProperties: false, default: {} }),
}, { additionalProperties: false });

export type Config = Static<typeof ConfigSchema>;

/** Environment variables and the key each sets. Environment wins over the file. */
export const ENV_KEYS: Record<string, { key: keyof Config; type: 'string' | 'integer' | 'boolean' | 'trust' | 'count' }> = {
  TESSERA_HOST: { key: 'host', type: 'string' },
  TESSERA_PORT: { key: 'port', type: 'integer' },
  TESSERA_DATA_DIR: { key: 'data_dir', type: 'string' },
  TESSERA_NODE_ID: { key: 'node_id', type: 'string' },
  TESSERA_WORKERS: { key: 'workers', type: 'count' }, // a number, or auto
  TESSERA_DATABASE_URL: { key: 'database_url', type: 'string' },
  TESSERA_REDIS_URL: { key: 'redis_url', type: 'string' },
  TESSERA_ADMIN_PASSWORD: { key: 'admin_password', type: 'string' },
  TESSERA_SECRET_KEY: { key: 'secret_key', type: 'string' },
  TESSERA_TOKEN_PREFIX: { key: 'token_prefix', type: 'string' },
  TESSERA_LOG_LEVEL: { key: 'log_level', type: 'string' },
  TESSERA_TRUST_PROXY: { key: 'trust_proxy', type: 'trust' }, // true/false, a hop count, or a comma list of addresses/CIDRs
  TESSERA_PASSWORD_MIN_LENGTH: { key: 'password_min_length', type: 'integer' },
  TESSERA_MAX_TOKENS_PER_USER: { key: 'max_tokens_per_user', type: 'integer' },
  TESSERA_PROVIDER: { key: 'provider', type: 'string' },
  TESSERA_ALLOW_INSECURE_NONE: { key: 'allow_insecure_none', type: 'boolean' },
  TESSERA_SLACK_SIGNING_SECRET: { key: 'slack_signing_secret', type: 'string' },
};

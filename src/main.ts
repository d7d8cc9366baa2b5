/**
 * The composition root: turns a Config into a store, services, the HTTP app and the background timers.
 * Nothing else builds services or reads process.env (the CLI passes the environment in).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AuditService } from './core/audit/service.js';
import { JwtService } from './core/auth/jwt.js';
import { AuthService } from './core/auth/service.js';
import type { Clock, Random, Store } from './core/ports.js';
import type { Services } from './core/services.js';
import { TokenService } from './core/tokens/service.js';
import { UsageRecorder } from './core/tokens/usage.js';
import { Verifier } from './core/tokens/verifier.js';
import { UserService } from './core/users/service.js';
import { ConfigError } from './config/load.js';
import type { Config } from './config/schema.js';
import { type App, buildApp, REDACT } from './http/app.js';
import { aesGcmCipher, loadOrCreateKey } from './infra/cipher.js';
import { fileJwtSigner } from './infra/jwt.js';
import { argon2Hasher } from './infra/passwords.js';
import { memoryLoginThrottle } from './infra/throttle.js';
import { cryptoRandom, systemClock } from './infra/system.js';
import { openPostgresStore } from './store/postgres/index.js';
import { openSqliteStore } from './store/sqlite/index.js';

export const VERSION = '0.1.0';

export interface Tessera {
  config: Readonly<Config>;
  services: Services;
  app: App;
  /** Flushes usage counts, stops timers, closes the server and the store. */
  close(): Promise<void>;
}

export interface BuildOptions {
  clock?: Clock;
  random?: Random;
  /** Log destination; defaults to stdout. Tests pass a stream to inspect what was logged. */
  logStream?: NodeJS.WritableStream;
}

export const openStore = async (config: Readonly<Config>): Promise<Store> => {
  mkdirSync(config.data_dir, { recursive: true });
  if (config.database_url) return openPostgresStore(config.database_url);
  return openSqliteStore(join(config.data_dir, 'tessera.db'));
};

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

export const createTessera = async (config: Readonly<Config>, opts: BuildOptions = {}): Promise<Tessera> => {
  if (config.provider === 'none' && !isLoopback(config.host) && !config.allow_insecure_none) {
    throw new ConfigError(`provider 'none' (no authentication) is refused on host '${config.host}': listen on a loopback address, or set TESSERA_ALLOW_INSECURE_NONE=1`);
  }
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? cryptoRandom();
  const dataDir = resolve(config.data_dir);
  const store = await openStore(config);
  const cipher = aesGcmCipher(loadOrCreateKey(dataDir, config.secret_key));
  const hasher = argon2Hasher({ memoryCost: config.password_hash.memory_kib, timeCost: config.password_hash.iterations });
  const audit = new AuditService(store, clock);
  const usage = new UsageRecorder(store, clock);
  const verifier = new Verifier(store, clock, usage, {
    prefix: config.token_prefix, cacheMaxEntries: config.cache.max_entries, cacheTtlMs: config.cache.ttl_seconds * 1000,
  });
  const throttle = memoryLoginThrottle({
    maxFailures: config.login_throttle.max_failures, windowSeconds: config.login_throttle.window_seconds, blockSeconds: config.login_throttle.block_seconds,
  });
  const signer = await fileJwtSigner(dataDir, clock, { issuer: config.jwt.issuer, maxTtlSeconds: config.jwt.max_ttl_seconds });
  const jwt = new JwtService(signer, store, clock, random, verifier, audit, { defaultTtlSeconds: config.jwt.ttl_seconds, maxTtlSeconds: config.jwt.max_ttl_seconds });
  const services: Services = {
    jwt,
    store, audit, usage, verifier,
    users: new UserService(store, clock, hasher, verifier, audit),
    tokens: new TokenService({ store, clock, random, cipher, usage, verifier, audit, prefix: config.token_prefix }),
    auth: new AuthService(store, clock, random, hasher, throttle, verifier, audit, jwt, { sessionTtlMs: config.session_ttl_seconds * 1000 }),
  };

  const logger = config.log_level === 'silent' ? false : {
    level: config.log_level,
    redact: { paths: REDACT, censor: '[redacted]' },
    ...(opts.logStream ? { stream: opts.logStream } : {}),
  };
  const app = await buildApp(services, {
    logger: logger as never, bodyLimit: config.body_limit_bytes, trustProxy: config.trust_proxy,
    credentialHeaders: config.credential_headers, verifyPolicy: config.verify_policy, version: VERSION, provider: config.provider,
  });

  if (config.provider === 'none') app.log.warn('provider none: single-user mode, every request without a credential acts as admin');
  const flush = setInterval(() => { usage.flush().catch((err) => app.log.warn({ err }, 'usage flush failed; will retry')); }, config.usage_flush_ms);
  const sweep = setInterval(() => { services.auth.sweepSessions().catch(() => undefined); }, 3_600_000);
  flush.unref(); sweep.unref();

  let closed = false;
  return {
    config, services, app,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(flush); clearInterval(sweep);
      await app.close();
      await usage.flush().catch((err) => app.log.error({ err }, 'final usage flush failed'));
      await store.close();
    },
  };
};

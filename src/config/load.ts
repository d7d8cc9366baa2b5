import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { DEFAULT_PATH } from '../runner/run.js';
import { type Config, ConfigSchema, ENV_KEYS } from './schema.js';
import { firstComplaint } from '../core/complaints.js';

export class ConfigError extends Error {
  constructor(message: string) { super(message); this.name = 'ConfigError'; }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validate = ajv.compile(ConfigSchema);

const keyOf = (path: string): string => path.replace(/^\//, '').replaceAll('/', '.');

/**
 * Builds the one frozen Config: defaults, then the file named by TESSERA_CONFIG (YAML; JSON is valid YAML), then
 * the environment. Throws ConfigError naming the offending key.
 */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Readonly<Config> => {
  let raw: Record<string, unknown> = {};
  const file = env.TESSERA_CONFIG;
  if (file) {
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch (e) { throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`); }
    let doc: unknown;
    // The parser's first line says what and where (line, column); the rest is a drawing of the spot, for a terminal.
    try { doc = parse(text); } catch (e) { throw new ConfigError(`config file ${file} is not valid YAML: ${(e as Error).message.split('\n')[0]!.trim()}`); }
    if (doc !== null && doc !== undefined) {
      if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`config file ${file} must hold a mapping of keys`);
      raw = doc as Record<string, unknown>;
      // `trust_proxy: loopback` (one name, or a comma list) means what TESSERA_TRUST_PROXY=loopback means.
      if (typeof raw.trust_proxy === 'string') raw.trust_proxy = raw.trust_proxy.split(',').map((x) => x.trim());
    }
  }
  for (const [name, { key, type }] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    if (type === 'integer') {
      if (!/^-?\d+$/.test(v)) throw new ConfigError(`${name} (${key}) must be an integer, got '${v}'`);
      raw[key] = Number(v);
    } else if (type === 'boolean') {
      if (!/^(1|0|true|false)$/i.test(v)) throw new ConfigError(`${name} (${key}) must be true or false, got '${v}'`);
      raw[key] = /^(1|true)$/i.test(v);
    } else if (type === 'count') {
      raw[key] = /^\d+$/.test(v) ? Number(v) : v;
    } else if (type === 'trust') {
      raw[key] = /^(true|false)$/i.test(v) ? /^true$/i.test(v) : /^\d+$/.test(v) ? Number(v) : v.split(',').map((s) => s.trim());
    } else raw[key] = v;
  }
  Object.assign(raw, overrides);
  if (!validate(raw)) {
    // A value that fits none of a union's shapes: one complaint for it (firstComplaint), not one per shape.
    const all = validate.errors ?? [];
    const unions = all.filter((e) => e.keyword === 'anyOf');
    const under = (e: (typeof all)[number], u: (typeof all)[number]): boolean => e !== u && e.schemaPath.startsWith(`${u.schemaPath}/`);
    const told = all.filter((e) => !unions.some((u) => under(e, u)))
      .map((e) => (e.keyword === 'anyOf' ? firstComplaint([e, ...all.filter((x) => under(x, e))]) : e));
    const msgs = told.map((e) => {
      if (e.keyword === 'additionalProperties') {
        const k = [keyOf(e.instancePath), (e.params as { additionalProperty: string }).additionalProperty].filter(Boolean).join('.');
        return `unknown key '${k}'`;
      }
      return `'${keyOf(e.instancePath) || '(root)'}' ${e.message}`;
    });
    throw new ConfigError(`invalid configuration: ${[...new Set(msgs)].join('; ')}`);
  }
  const c = raw as Config;
  if (c.database_url !== undefined) {
    try { new URL(c.database_url); } catch { throw new ConfigError(`invalid configuration: 'database_url' is not a valid URL (postgres://user:password@host:port/database)`); }
  }
  if (c.admin_password !== undefined && c.admin_password.length < c.password_min_length) {
    throw new ConfigError(`invalid configuration: 'admin_password' is shorter than 'password_min_length' (${c.password_min_length})`);
  }
  checkTrustProxy(c.trust_proxy);
  if (c.http.headers_timeout_ms > c.http.request_timeout_ms) {
    throw new ConfigError(`invalid configuration: 'http.headers_timeout_ms' (${c.http.headers_timeout_ms}) must not be longer than 'http.request_timeout_ms' (${c.http.request_timeout_ms})`);
  }
  // Pairs that would refuse every request of a kind, rather than once at start.
  if (c.jwt.ttl_seconds > c.jwt.max_ttl_seconds) {
    throw new ConfigError(`invalid configuration: 'jwt.ttl_seconds' (${c.jwt.ttl_seconds}) must not be longer than 'jwt.max_ttl_seconds' (${c.jwt.max_ttl_seconds}): every JWT asked for without a ttl would be refused`);
  }
  const pol = c.tokens.policy;
  if (pol.default_expiry_seconds !== null && pol.max_lifetime_seconds !== null && pol.default_expiry_seconds > pol.max_lifetime_seconds) {
    throw new ConfigError(`invalid configuration: 'tokens.policy.default_expiry_seconds' (${pol.default_expiry_seconds}) must not be longer than 'tokens.policy.max_lifetime_seconds' (${pol.max_lifetime_seconds}): every token made without an expiry would be refused`);
  }
  checkCommands(c);
  for (const name of Object.keys(c.forward_auth.profiles)) {
    // The path segment of GET /api/v1/auth/forward/<name> (the schema's record keys are not checked by the validator).
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(name)) throw new ConfigError(`invalid configuration: 'forward_auth.profiles.${name.slice(0, 80)}': a profile name must match ^[a-z0-9][a-z0-9_-]{0,63}$`);
  }
  return deepFreeze(raw as Config);
};

const IP_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** A trust_proxy list holds addresses, CIDRs (or address/netmask) and proxy-addr's range names; nothing else. */
const checkTrustProxy = (tp: Config['trust_proxy']): void => {
  if (!Array.isArray(tp)) return;
  for (const e of tp) {
    if (IP_RANGE_NAMES.has(e)) continue;
    const [addr = '', bits, ...more] = e.split('/');
    const v = isIP(addr);
    const ok = v !== 0 && more.length === 0 && (bits === undefined
      || (/^\d{1,3}$/.test(bits) && Number(bits) <= (v === 4 ? 32 : 128))
      || (v === 4 && isIP(bits) === 4));
    if (!ok) throw new ConfigError(`invalid configuration: 'trust_proxy' entry '${e}' is not an IP address, a CIDR range or one of ${[...IP_RANGE_NAMES].join(', ')}`);
  }
};

const NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

const isExecutable = (p: string): boolean => {
  try { accessSync(p, constants.X_OK); return statSync(p).isFile(); } catch { return false; }
};

/** The executable argv[0] names: itself if absolute, else the first match on PATH; null if there is none. */
export const resolveExecutable = (exe: string, path: string): string | null => {
  if (exe.includes('/')) return isAbsolute(exe) && isExecutable(exe) ? exe : null;
  for (const dir of path.split(':')) if (dir && isAbsolute(dir) && isExecutable(join(dir, exe))) return join(dir, exe);
  return null;
};

/** What the schema cannot say: names, unique ids, declared groups and channels, executables, argument patterns. */
const checkCommands = (c: Config): void => {
  const problems: string[] = [];
  const groups = new Set(c.groups);
  const ids = new Map<number, string>();
  for (const name of Object.keys(c.channels)) {
    if (!NAME.test(name)) problems.push(`channels.${name}: a channel name must match ${NAME.source}`);
  }
  for (const [name, cmd] of Object.entries(c.commands)) {
    const at = `commands.${name}`;
    if (!NAME.test(name)) problems.push(`${at}: a command name must match ${NAME.source}`);
    const other = ids.get(cmd.id);
    if (other !== undefined) problems.push(`${at}.id: id ${cmd.id} is already used by command '${other}'`);
    else ids.set(cmd.id, name);
    for (const g of cmd.groups) if (!groups.has(g)) problems.push(`${at}.groups: unknown group '${g}' (declare it in 'groups')`);
    if (cmd.channel !== undefined && cmd.channel !== 'default' && !(cmd.channel in c.channels)) {
      problems.push(`${at}.channel: unknown channel '${cmd.channel}'`);
    }
    const exe = cmd.argv[0]!;
    if (resolveExecutable(exe, cmd.env?.PATH ?? DEFAULT_PATH) === null) {
      problems.push(exe.includes('/') && !isAbsolute(exe)
        ? `${at}.argv[0]: '${exe}' must be an absolute path or a name found on PATH`
        : `${at}.argv[0]: executable '${exe}' not found or not executable`);
    }
    if (cmd.cwd !== undefined) {
      let dir = false;
      try { dir = isAbsolute(cmd.cwd) && statSync(cmd.cwd).isDirectory(); } catch { /* missing */ }
      if (!dir) problems.push(`${at}.cwd: '${cmd.cwd}' is not an existing absolute directory`);
    }
    for (const k of Object.keys(cmd.env ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) problems.push(`${at}.env: '${k}' is not a valid environment variable name`);
    }
    if (typeof cmd.args === 'object') {
      try { new RegExp(cmd.args.pattern, 'u'); } catch (e) {
        problems.push(`${at}.args.pattern: not a valid regular expression (${(e as Error).message})`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
};

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === 'object') { for (const v of Object.values(o)) deepFreeze(v); Object.freeze(o); }
  return o;
};

import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { type Config, ConfigSchema, ENV_KEYS } from './schema.js';

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
    try { doc = parse(text); } catch (e) { throw new ConfigError(`config file ${file} is not valid YAML: ${(e as Error).message}`); }
    if (doc !== null && doc !== undefined) {
      if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`config file ${file} must hold a mapping of keys`);
      raw = doc as Record<string, unknown>;
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
    } else raw[key] = v;
  }
  Object.assign(raw, overrides);
  if (!validate(raw)) {
    const msgs = (validate.errors ?? []).map((e) => {
      if (e.keyword === 'additionalProperties') {
        const k = [keyOf(e.instancePath), (e.params as { additionalProperty: string }).additionalProperty].filter(Boolean).join('.');
        return `unknown key '${k}'`;
      }
      return `'${keyOf(e.instancePath) || '(root)'}' ${e.message}`;
    });
    throw new ConfigError(`invalid configuration: ${[...new Set(msgs)].join('; ')}`);
  }
  return deepFreeze(raw as Config);
};

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === 'object') { for (const v of Object.values(o)) deepFreeze(v); Object.freeze(o); }
  return o;
};
